// The worker-thread side of a job: a job module calls serveWorkerJob(run) at top level; run gets
// the parameters, an AbortSignal that fires on cancel, and throttled progress/log reporters.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerBootData } from './worker-protocol.ts';

export interface JobContext {
  signal: AbortSignal;
  /** Report progress; sent at most every `progressIntervalMs` unless `force` (e.g. the last one). */
  progress(done: number, total: number | null, force?: boolean): void;
  log(message: string): void;
}

export type WorkerJob = (params: unknown, context: JobContext) => Promise<unknown>;

const progressIntervalMs = 100;

export function serveWorkerJob(run: WorkerJob): void {
  const port = parentPort;
  if (port === null) throw new Error('serveWorkerJob must run in a worker thread');
  const { job } = workerData as WorkerBootData;
  const controller = new AbortController();
  const post = (message: FromWorker): void => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') controller.abort();
  });

  let lastProgressMs = 0;
  const context: JobContext = {
    signal: controller.signal,
    progress(done, total, force = false) {
      const now = Date.now();
      if (!force && now - lastProgressMs < progressIntervalMs) return;
      lastProgressMs = now;
      post({ type: 'progress', done, total });
    },
    log(message) {
      post({ type: 'log', message });
    },
  };

  run(job.params, context).then(
    (result) => {
      post(controller.signal.aborted ? { type: 'cancelled' } : { type: 'result', result });
      port.close();
    },
    (error: unknown) => {
      if (controller.signal.aborted) post({ type: 'cancelled' });
      else post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      port.close();
    },
  );
}
