// Prepares the Galaxy view's buffers off the main thread: a worker reads the stars
// (source.ts), builds the octree (lod.ts) and reorders every per-star array into the tree's order,
// then hands the buffers back by transfer. The host's event loop stays free while 10 million stars
// are read and sorted.
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { siblingModule, spawnJobWorker } from '../jobs/spawn-worker.ts';
import type { WorkerBootData } from '../jobs/worker-protocol.ts';
import { buildOctree, reorder, DEFAULT_OCTREE, type Octree } from './lod.ts';
import { loadGalaxySource, type GalaxySource } from './source.ts';

export interface PreparedGalaxy extends GalaxySource {
  /** Stars without a position (not drawn). */
  unplaced: number;
  octree: Omit<Octree, 'order' | 'nodeCount'>;
}

function reorderAny<T extends BigInt64Array | Uint32Array>(values: T, order: Uint32Array, out: T): T {
  for (let k = 0; k < order.length; k++) out[k] = values[order[k]!]!;
  return out;
}

/** Reads and orders the stars in this thread (the worker's body; also used directly by tests). */
export async function prepareGalaxy(path: string): Promise<PreparedGalaxy> {
  const source = await loadGalaxySource(path);
  const tree = buildOctree(source.positions, DEFAULT_OCTREE);
  const { order } = tree;
  return {
    path: source.path,
    source: source.source,
    runDir: source.runDir,
    count: order.length,
    unplaced: source.count - order.length,
    positions: reorder(source.positions, order, 3),
    logAge: reorder(source.logAge, order),
    logAgeError: reorder(source.logAgeError, order),
    distancePc: reorder(source.distancePc, order),
    distanceErrorPc: reorder(source.distanceErrorPc, order),
    sourceId: reorderAny(source.sourceId, order, new BigInt64Array(order.length)),
    inputRow:
      source.inputRow === null ? null : reorderAny(source.inputRow, order, new Uint32Array(order.length)),
    pYoung: reorder(source.pYoung, order),
    outsideTraining: reorder(source.outsideTraining, order),
    colour: reorder(source.colour, order),
    absMag: reorder(source.absMag, order),
    truthCluster: source.truthCluster === null ? null : reorder(source.truthCluster, order),
    vLKms: reorder(source.vLKms, order),
    vBKms: reorder(source.vBKms, order),
    octree: {
      nodeStart: tree.nodeStart,
      nodePoints: tree.nodePoints,
      nodeLevel: tree.nodeLevel,
      nodeCube: tree.nodeCube,
      nodeFirstChild: tree.nodeFirstChild,
      nodeChildCount: tree.nodeChildCount,
    },
  };
}

type Reply = { ok: true; value: PreparedGalaxy } | { ok: false; message: string };

/** Runs prepareGalaxy in a worker thread. */
export function prepareGalaxyInWorker(path: string): Promise<PreparedGalaxy> {
  const worker: Worker = spawnJobWorker(siblingModule(import.meta.url, 'prepare'), path);
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: Reply) => {
      void worker.terminate();
      if (reply.ok) resolve(reply.value);
      else reject(new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`galaxy: the preparing worker stopped (exit ${code})`));
    });
  });
}

/** The prepared stars and the buffers that carry them (transferred, not copied). */
async function preparedWithBuffers(path: string): Promise<{ value: PreparedGalaxy; buffers: ArrayBuffer[] }> {
  const value = await prepareGalaxy(path);
  const buffers = [
    value.positions,
    value.logAge,
    value.logAgeError,
    value.distancePc,
    value.distanceErrorPc,
    value.sourceId,
    value.pYoung,
    value.outsideTraining,
    value.colour,
    value.absMag,
    ...(value.inputRow === null ? [] : [value.inputRow]),
    value.vLKms,
    value.vBKms,
    ...(value.truthCluster === null ? [] : [value.truthCluster]),
    ...Object.values(value.octree),
  ].map((array) => array.buffer as ArrayBuffer);
  return { value, buffers };
}

if (parentPort !== null && (workerData as WorkerBootData | undefined)?.job?.entry === import.meta.url) {
  const port = parentPort;
  const path = (workerData as WorkerBootData).job.params as string;
  preparedWithBuffers(path).then(
    ({ value, buffers }) => port.postMessage({ ok: true, value }, [...new Set(buffers)]),
    (error: unknown) =>
      port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
}
