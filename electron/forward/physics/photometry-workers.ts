// BC-table photometry and XP-like spectra on several worker threads, for batches large enough to pay for
// it (~1e5 stars for photometry, ~1e3 for XP): the table's values are already in shared memory, so each
// worker wraps them (BcTable.fromParts) instead of rebuilding, and builds its own XpBatchModel on first
// use; the batch's columns and the outputs live in SharedArrayBuffers, and each worker fills its own
// contiguous range of stars. No per-star objects cross a thread; a call posts one small message per
// worker. BcTable.photometry and XpBatchModel.run stay the single-thread paths (and the references the
// threaded ones must equal bit for bit).
//
// This one module is both sides: the pool below on the calling thread, and the message loop at the
// bottom when it is loaded as a worker's entry (through jobs/spawn-worker.ts, which registers tsx for
// TypeScript sources).
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { siblingModule, spawnJobWorker } from '../../jobs/spawn-worker.ts';
import type { WorkerBootData } from '../../jobs/worker-protocol.ts';
import { BANDS, type Band } from './bands.ts';
import { BcTable, type BcTableParts, type PhotometryBatch, type PhotometryResult } from './bc-tables.ts';
import { XP_N, XpBatchModel } from './xp.ts';

const COLUMNS = ['teff', 'logg', 'mh', 'logL', 'av', 'rv', 'distancePc'] as const;

type Job =
  | {
      readonly kind: 'photometry';
      readonly id: number;
      readonly start: number;
      readonly end: number;
      readonly batch: PhotometryBatch;
      readonly out: PhotometryResult;
    }
  | {
      readonly kind: 'xp';
      readonly id: number;
      /** the worker's range of stars (columns) and of rows (outputs, views on shared memory) */
      readonly batch: PhotometryBatch;
      readonly flux: Float32Array;
      readonly error: Float32Array;
    };

type Reply = { id: number; ok: true } | { id: number; ok: false; message: string };

function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT));
}

/** n x XP_N Float32 rows in shared memory, for PhotometryWorkers.xp outputs */
export function sharedXpRows(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(n * XP_N * Float32Array.BYTES_PER_ELEMENT));
}

/** The column itself when it already lives in shared memory, else a shared copy. */
function shared(column: Float64Array): Float64Array {
  if (column.buffer instanceof SharedArrayBuffer) return column;
  const copy = sharedFloat64(column.length);
  copy.set(column);
  return copy;
}

function sharedBatch(batch: PhotometryBatch): PhotometryBatch {
  return Object.fromEntries(COLUMNS.map((c) => [c, shared(batch[c])])) as unknown as PhotometryBatch;
}

function sliceBatch(batch: PhotometryBatch, start: number, end: number): PhotometryBatch {
  return Object.fromEntries(
    COLUMNS.map((c) => [c, batch[c].subarray(start, end)]),
  ) as unknown as PhotometryBatch;
}

export class PhotometryWorkers {
  readonly size: number;
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  private closed = false;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    this.size = workers.length;
    for (const w of workers) {
      w.on('message', (reply: Reply) => {
        const p = this.pending.get(reply.id);
        if (!p) return;
        this.pending.delete(reply.id);
        if (reply.ok) p.resolve();
        else p.reject(new Error(reply.message));
      });
      w.on('error', (error: Error) => this.fail(error));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`photometry worker stopped (exit ${code})`));
      });
    }
  }

  /** Starts `workers` threads that share `table` (its values must be SharedArrayBuffer-backed). */
  static async start(table: BcTable, workers: number): Promise<PhotometryWorkers> {
    if (!(Number.isInteger(workers) && workers >= 1))
      throw new Error(`photometry workers: need a whole number >= 1 of workers (got ${workers})`);
    if (!(table.values.buffer instanceof SharedArrayBuffer))
      throw new Error('photometry workers: the BC table is not in shared memory (build it with bcTable())');
    const parts: BcTableParts = table.parts();
    const entry = siblingModule(import.meta.url, 'photometry-workers');
    const started = Array.from({ length: workers }, () => spawnJobWorker(entry, parts));
    // each worker says 'ready' once it has wrapped the table; if one cannot, none is left running
    try {
      await Promise.all(
        started.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              w.once('message', (m: Reply) => (m.ok ? resolve() : reject(new Error(m.message))));
              w.once('error', reject);
            }),
        ),
      );
    } catch (error) {
      await Promise.all(started.map((w) => w.terminate()));
      throw error;
    }
    return new PhotometryWorkers(started);
  }

  /** Vega magnitudes per band for the batch, split evenly over the workers (outputs in shared memory). */
  async photometry(batch: PhotometryBatch): Promise<PhotometryResult> {
    const n = this.check(batch);
    const input = sharedBatch(batch);
    const mags = {} as Record<Band, Float32Array>;
    for (const b of BANDS)
      mags[b] = new Float32Array(new SharedArrayBuffer(n * Float32Array.BYTES_PER_ELEMENT));
    const out: PhotometryResult = { mags, flags: new Uint8Array(new SharedArrayBuffer(n)) };
    await this.split(n, (id, start, end) => ({ kind: 'photometry', id, start, end, batch: input, out }));
    return out;
  }

  /**
   * XP-like spectra (XpBatchModel of the table's library and law) for the batch into `flux` and `error`,
   * n x XP_N rows that must live in shared memory (sharedXpRows).
   */
  async xp(batch: PhotometryBatch, flux: Float32Array, error: Float32Array): Promise<void> {
    const n = this.check(batch);
    for (const [name, rows] of [
      ['flux', flux],
      ['error', error],
    ] as const) {
      if (!(rows.buffer instanceof SharedArrayBuffer))
        throw new Error(`photometry workers: XP '${name}' must be in shared memory (sharedXpRows)`);
      if (rows.length < n * XP_N)
        throw new Error(`photometry workers: XP '${name}' needs ${n} x ${XP_N} values, has ${rows.length}`);
    }
    const input = sharedBatch(batch);
    await this.split(n, (id, start, end) => ({
      kind: 'xp',
      id,
      batch: sliceBatch(input, start, end),
      flux: flux.subarray(start * XP_N, end * XP_N),
      error: error.subarray(start * XP_N, end * XP_N),
    }));
  }

  private check(batch: PhotometryBatch): number {
    if (this.failure) throw this.failure;
    const n = batch.teff.length;
    for (const c of COLUMNS) {
      if (batch[c].length !== n)
        throw new Error(`photometry workers: column '${c}' has ${batch[c].length} values, teff has ${n}`);
    }
    return n;
  }

  /** one job per worker over contiguous ranges of n stars; resolves when all are done */
  private async split(n: number, job: (id: number, start: number, end: number) => Job): Promise<void> {
    const per = Math.ceil(n / this.size);
    await Promise.all(
      this.workers.map((w, k) => {
        const start = Math.min(n, k * per);
        const end = Math.min(n, start + per);
        if (start === end) return Promise.resolve();
        const id = this.nextId++;
        return new Promise<void>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          w.postMessage(job(id, start, end));
        });
      }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fail(new Error('photometry workers: the pool is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

if (parentPort !== null && (workerData as WorkerBootData | undefined)?.job?.entry === import.meta.url) {
  const port = parentPort;
  try {
    const table = BcTable.fromParts((workerData as WorkerBootData).job.params as BcTableParts);
    let xp: XpBatchModel | null = null;
    port.on('message', (job: Job) => {
      try {
        if (job.kind === 'photometry') table.photometryInto(job.batch, job.out, job.start, job.end);
        else (xp ??= new XpBatchModel(table.library, table.law)).run(job.batch, job.flux, job.error);
        port.postMessage({ id: job.id, ok: true } satisfies Reply);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        port.postMessage({ id: job.id, ok: false, message } satisfies Reply);
      }
    });
    port.postMessage({ id: -1, ok: true } satisfies Reply);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ id: -1, ok: false, message } satisfies Reply);
  }
}
