// A simulation worker thread: builds the model once from the config and the photometry port, then
// simulates the chunks it is sent and returns their columns (buffers transferred, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { loadGaiaSplines } from '../survey/gaia.ts';
import { simulateChunk, type ChunkResult, type ChunkSpec } from './chunk.ts';
import { buildModel } from './model.ts';
import { loadPort } from './port-loader.ts';
import type { WorkerInit, WorkerReply } from './worker-messages.ts';

const port = parentPort;
if (port === null) throw new Error('the simulation worker must run in a worker thread');
const init = (workerData as { init: WorkerInit }).init;

const ready = (async () => {
  const photometry = await loadPort(init.port);
  return {
    model: buildModel(init.config, photometry, init.curves),
    splines: loadGaiaSplines(init.splineFile),
  };
})();

port.on('message', (spec: ChunkSpec) => {
  ready.then(
    ({ model, splines }) => {
      try {
        const result = simulateChunk(model, splines, spec);
        port.postMessage({ type: 'chunk', result } satisfies WorkerReply, transferables(result));
      } catch (error) {
        port.postMessage({
          type: 'error',
          index: spec.index,
          message: (error as Error).message,
        } satisfies WorkerReply);
      }
    },
    (error: unknown) => {
      port.postMessage({
        type: 'error',
        index: spec.index,
        message: (error as Error).message,
      } satisfies WorkerReply);
    },
  );
});

function transferables(result: ChunkResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
    } else if (value !== null && typeof value === 'object') {
      for (const inner of Object.values(value)) visit(inner);
    }
  };
  visit(result);
  return [...buffers];
}
