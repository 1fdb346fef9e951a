// The messages between the job registry (main thread) and a job's worker thread.

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; done: number; total: number | null }
  | { type: 'log'; message: string }
  | { type: 'result'; result: unknown }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

/** What a worker is started with. */
export interface WorkerJobData {
  /** The module (file URL) that calls serveWorkerJob. */
  entry: string;
  params: unknown;
}

/** The worker's workerData: the job, and tsx's ESM API (a file URL) when the entry is TypeScript. */
export interface WorkerBootData {
  job: WorkerJobData;
  tsxApi: string | null;
}
