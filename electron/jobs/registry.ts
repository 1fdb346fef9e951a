// The job registry: starts jobs in worker threads (at most `concurrency` at once, the rest queued),
// tracks their state and progress, cancels them, and reports every change as an event. It knows
// nothing of what a job does: a job kind is a worker module plus a title and a progress unit.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ProgressMeter, type Progress } from './progress.ts';
import { spawnJobWorker } from './spawn-worker.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

export interface JobKindDefinition {
  kind: string;
  /** The worker module (calls serveWorkerJob). */
  entry: URL;
  /** What progress counts, e.g. "files". */
  unit: string;
  title(params: unknown): string;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobSnapshot {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  progress: Progress | null;
  startedMs: number;
  endedMs: number | null;
  message: string | null;
}

export type JobEvent =
  | { type: 'started'; job: JobSnapshot }
  | { type: 'progress'; id: string; progress: Progress }
  | { type: 'log'; id: string; message: string }
  | { type: 'done'; job: JobSnapshot; result: unknown }
  | { type: 'failed'; job: JobSnapshot; message: string }
  | { type: 'cancelled'; job: JobSnapshot };

export interface JobRegistryOptions {
  onEvent(event: JobEvent): void;
  /** Jobs running at once; default: one less than the cores, at least 1. */
  concurrency?: number;
  /** How long a cancelled worker may take to stop by itself before it is terminated. */
  cancelGraceMs?: number;
  /** Finished jobs kept for list(). */
  keepFinished?: number;
  now?: () => number;
}

interface JobRecord {
  snapshot: JobSnapshot;
  definition: JobKindDefinition;
  params: unknown;
  meter: ProgressMeter;
  worker: Worker | null;
  cancelTimer: NodeJS.Timeout | null;
}

export class JobRegistry {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: JobRecord[] = [];
  private nextId = 1;
  private running = 0;
  private readonly concurrency: number;
  private readonly cancelGraceMs: number;
  private readonly keepFinished: number;
  private readonly now: () => number;

  constructor(private readonly options: JobRegistryOptions) {
    this.concurrency = options.concurrency ?? Math.max(1, availableParallelism() - 1);
    this.cancelGraceMs = options.cancelGraceMs ?? 2000;
    this.keepFinished = options.keepFinished ?? 50;
    this.now = options.now ?? Date.now;
  }

  start(definition: JobKindDefinition, params: unknown): JobSnapshot {
    const id = `job-${this.nextId++}`;
    const record: JobRecord = {
      snapshot: {
        id,
        kind: definition.kind,
        title: definition.title(params),
        state: 'queued',
        progress: null,
        startedMs: this.now(),
        endedMs: null,
        message: null,
      },
      definition,
      params,
      meter: new ProgressMeter(definition.unit, this.now),
      worker: null,
      cancelTimer: null,
    };
    this.jobs.set(id, record);
    this.queue.push(record);
    this.pump();
    this.options.onEvent({ type: 'started', job: { ...record.snapshot } });
    return { ...record.snapshot };
  }

  /** Asks a job to stop; true when it was queued or running. */
  cancel(id: string): boolean {
    const record = this.jobs.get(id);
    if (record === undefined) return false;
    if (record.snapshot.state === 'queued') {
      this.queue.splice(this.queue.indexOf(record), 1);
      this.finish(record, 'cancelled', null);
      return true;
    }
    if (record.snapshot.state !== 'running' || record.worker === null) return false;
    if (record.cancelTimer === null) {
      const worker = record.worker;
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      record.cancelTimer = setTimeout(() => {
        if (record.snapshot.state === 'running') {
          this.finish(record, 'cancelled', null);
          void worker.terminate();
        }
      }, this.cancelGraceMs);
    }
    return true;
  }

  get(id: string): JobSnapshot | undefined {
    const record = this.jobs.get(id);
    return record === undefined ? undefined : { ...record.snapshot };
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((record) => ({ ...record.snapshot }));
  }

  /** Cancels everything and waits for the workers to end (used when the app quits). */
  async dispose(): Promise<void> {
    this.queue.length = 0;
    const workers: Worker[] = [];
    for (const record of this.jobs.values()) {
      if (record.cancelTimer !== null) clearTimeout(record.cancelTimer);
      if (record.worker !== null) workers.push(record.worker);
      if (record.snapshot.state === 'queued' || record.snapshot.state === 'running') {
        record.worker = null;
        this.finish(record, 'cancelled', null);
      }
    }
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const record = this.queue.shift() as JobRecord;
      this.run(record);
    }
  }

  private run(record: JobRecord): void {
    this.running += 1;
    record.snapshot.state = 'running';
    record.snapshot.progress = record.meter.update(0, null);
    const worker = spawnJobWorker(record.definition.entry, record.params);
    record.worker = worker;
    worker.on('message', (message: FromWorker) => this.onWorkerMessage(record, message));
    worker.on('error', (error: Error) => this.finish(record, 'failed', error.message));
    worker.on('exit', (code) => {
      if (record.snapshot.state === 'running') {
        this.finish(record, 'failed', `the ${record.definition.kind} worker stopped (exit code ${code})`);
      }
    });
  }

  private onWorkerMessage(record: JobRecord, message: FromWorker): void {
    if (record.snapshot.state !== 'running') return;
    switch (message.type) {
      case 'progress': {
        const progress = record.meter.update(message.done, message.total);
        record.snapshot.progress = progress;
        this.options.onEvent({ type: 'progress', id: record.snapshot.id, progress });
        break;
      }
      case 'log':
        this.options.onEvent({ type: 'log', id: record.snapshot.id, message: message.message });
        break;
      case 'result':
        this.finish(record, 'done', null, message.result);
        break;
      case 'cancelled':
        this.finish(record, 'cancelled', null);
        break;
      case 'error':
        this.finish(record, 'failed', message.message);
        break;
    }
  }

  private finish(
    record: JobRecord,
    state: 'done' | 'failed' | 'cancelled',
    message: string | null,
    result?: unknown,
  ): void {
    const wasRunning = record.snapshot.state === 'running';
    if (record.snapshot.state !== 'running' && record.snapshot.state !== 'queued') return;
    if (record.cancelTimer !== null) clearTimeout(record.cancelTimer);
    record.cancelTimer = null;
    record.worker = null;
    record.snapshot.state = state;
    record.snapshot.endedMs = this.now();
    record.snapshot.message = message;
    const job = { ...record.snapshot };
    if (state === 'done') this.options.onEvent({ type: 'done', job, result });
    else if (state === 'failed') this.options.onEvent({ type: 'failed', job, message: message ?? 'failed' });
    else this.options.onEvent({ type: 'cancelled', job });
    this.forgetOldJobs();
    if (wasRunning) {
      this.running -= 1;
      this.pump();
    }
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter(
      (record) => record.snapshot.state !== 'queued' && record.snapshot.state !== 'running',
    );
    for (const record of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) {
      this.jobs.delete(record.snapshot.id);
    }
  }
}
