// Worker-thread entry of the inference pool: opens the model's sessions once, then computes the
// chunks it is sent (executor.ts holds the protocol).
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerBootData } from '../jobs/worker-protocol.ts';
import { loadModel } from './card.ts';
import { computeChunk, transferables } from './chunk.ts';
import type { ExecutorSetup, FromChunkWorker, ToChunkWorker } from './executor.ts';
import { PosteriorSampler } from './sampler.ts';
import { openSessions } from './sessions.ts';

const port = parentPort;
if (port === null) throw new Error('chunk.worker.ts must run in a worker thread');
const setup = (workerData as WorkerBootData).job.params as ExecutorSetup;
const post = (message: FromChunkWorker, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

try {
  const model = loadModel(setup.modelDir);
  const sessions = await openSessions(model, { provider: setup.provider, threads: setup.threads });
  const sampler = new PosteriorSampler(sessions, model.card, setup.settings);
  let queue = Promise.resolve();
  port.on('message', (message: ToChunkWorker) => {
    if (message.type === 'close') {
      void sessions.release().then(() => port.close());
      return;
    }
    queue = queue.then(async () => {
      try {
        const result = await computeChunk(sampler, model.card, message.block, setup.keepSamples);
        post({ type: 'result', id: message.id, result }, transferables(result));
      } catch (error) {
        post({
          type: 'error',
          id: message.id,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
  });
  post({ type: 'ready', provider: sessions.provider, notes: sessions.notes });
} catch (error) {
  post({ type: 'error', id: null, message: error instanceof Error ? error.message : String(error) });
}
