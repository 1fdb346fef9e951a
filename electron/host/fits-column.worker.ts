// Worker-thread entry for ./fits-column.ts: runs the task it was started with and posts one reply
// (the result's arrays are transferred, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerBootData } from '../jobs/worker-protocol.ts';
import { runColumn, type ColumnTask } from './fits-column.ts';

const task = (workerData as WorkerBootData).job.params as ColumnTask;
try {
  const result = runColumn(task);
  const transfer: ArrayBuffer[] = [];
  for (const array of result.task === 'sort' ? [result.order] : [result.stats.edges, result.stats.counts]) {
    if (array.buffer instanceof ArrayBuffer) transfer.push(array.buffer);
  }
  parentPort?.postMessage({ ok: true, result }, transfer);
} catch (error) {
  parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
