// The run folder (architecture doc, "Runs"): run.json (model, input, settings, provider, versions,
// start/end, status), chunks/ (one summary Parquet file per finished chunk — the checkpoints),
// summary.parquet (all chunks, merged when the last one is written) and optional samples.parquet.
// Every file is written to a temporary name and renamed, so a killed run leaves only whole files and
// a resumed run redoes only the chunks without one.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import {
  readParquet as wasmRead,
  transformParquetStream,
  WriterPropertiesBuilder,
  Compression,
} from 'parquet-wasm';
import type { RecordBatch as WasmRecordBatch, Table as WasmTable } from 'parquet-wasm';
import { writeParquet } from '../catalog/parquet.ts';
import { writeTextAtomic } from '../catalog/text-out.ts';

export const RUN_FILE = 'run.json';
export const SUMMARY_FILE = 'summary.parquet';
export const SAMPLES_FILE = 'samples.parquet';
export const CHUNKS_DIR = 'chunks';
export const RUN_FORMAT = 'cradle-run/1';
const MERGE_ROW_GROUP = 65_536;

export type RunStatus = 'running' | 'complete' | 'cancelled' | 'failed';

/** What must match for a run to be resumed: the same model, input and settings. */
export interface RunFingerprint {
  model: {
    name: string;
    card_sha256: string;
    graphs_sha256: string;
    /** Present (true) only for a model its card says was adapted to real data, with the method. */
    adapted?: boolean;
    adaptation_method?: string | null;
  };
  input: {
    file: string;
    hdu: number | null;
    size: number;
    mtime_ms: number;
    /** SHA-256 of the input file's bytes: a copy with a new modification time resumes. Absent in runs
     * recorded before it existed, which are compared without it. */
    sha256?: string;
    rows: number;
    mapping: Record<string, string | null>;
    /** Parameters the user gave (`--given`): name → number, column or expression. Absent when none. */
    given?: Record<string, string>;
  };
  settings: {
    samples: number;
    steps: number;
    solver: string;
    /** The card's time grid ("uniform" or "power P") and whether the last step is Euler. */
    time_grid: string;
    final_euler: boolean;
    seed: number;
    chunk_rows: number;
    keep_samples: boolean;
  };
}

export interface RunRecord extends RunFingerprint {
  format: string;
  status: RunStatus;
  model_dir: string;
  provider: string;
  provider_notes: string[];
  workers: number;
  threads_per_worker: number;
  versions: Record<string, string>;
  started: string;
  ended: string | null;
  chunks: { total: number; done: number };
  stars: { total: number; done: number };
  elapsed_s: number;
  stars_per_s: number | null;
  columns: Record<string, string>;
  message: string | null;
}

export function chunkName(index: number, kind: 'summary' | 'samples'): string {
  return `${kind}-${String(index).padStart(6, '0')}.parquet`;
}

export function readRunRecord(dir: string): RunRecord | null {
  const file = join(dir, RUN_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  } catch (error) {
    throw new Error(`${file}: not a readable run record: ${(error as Error).message}`, { cause: error });
  }
}

export async function writeRunRecord(dir: string, record: RunRecord): Promise<void> {
  await writeTextAtomic(join(dir, RUN_FILE), function* () {
    yield `${JSON.stringify(record, null, 2)}\n`;
  });
}

/** Names the first field where two fingerprints differ, or null when they are the same. */
export function fingerprintDifference(a: RunFingerprint, b: RunFingerprint): string | null {
  for (const part of ['model', 'input', 'settings'] as const) {
    const x = a[part] as Record<string, unknown>;
    const y = b[part] as Record<string, unknown>;
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (JSON.stringify(x[key]) !== JSON.stringify(y[key]))
        return `${part}.${key} was ${JSON.stringify(x[key])}, now ${JSON.stringify(y[key])}`;
    }
  }
  return null;
}

/**
 * Why `previous` cannot be resumed as `current`, or null. The input's bytes decide over its modification
 * time: a file copied or downloaded again with the same content (same SHA-256) resumes.
 */
export function resumeDifference(previous: RunFingerprint, current: RunFingerprint): string | null {
  const recorded = previous.input.sha256;
  if (recorded === undefined) {
    const { sha256: _unrecorded, ...input } = current.input;
    return fingerprintDifference(previous, { ...current, input });
  }
  if (recorded !== current.input.sha256)
    return `the input's content changed (SHA-256 was ${recorded}, now ${current.input.sha256 ?? 'unknown'})`;
  return fingerprintDifference(
    { ...previous, input: { ...previous.input, mtime_ms: current.input.mtime_ms } },
    current,
  );
}

/** Chunk indices whose summary file is complete (a temporary file is never counted). */
export function finishedChunks(dir: string, keepSamples: boolean): Set<number> {
  const chunks = join(dir, CHUNKS_DIR);
  const done = new Set<number>();
  if (!existsSync(chunks)) return done;
  const names = new Set(readdirSync(chunks));
  for (const name of names) {
    const match = /^summary-(\d{6})\.parquet$/.exec(name);
    if (match === null) continue;
    const index = Number(match[1]);
    if (keepSamples && !names.has(chunkName(index, 'samples'))) continue;
    done.add(index);
  }
  return done;
}

/** Removes leftovers of writes a kill interrupted (temporary files in chunks/ and the folder). */
export function removeTemporaries(dir: string): void {
  for (const folder of [dir, join(dir, CHUNKS_DIR)]) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder))
      if (name.endsWith('.tmp')) rmSync(join(folder, name), { force: true });
  }
}

/** Writes a chunk's table; samples first, so a summary file always means the whole chunk is there. */
export async function writeChunk(
  dir: string,
  index: number,
  summary: Table,
  samples: Table | null,
): Promise<void> {
  const chunks = join(dir, CHUNKS_DIR);
  mkdirSync(chunks, { recursive: true });
  if (samples !== null) await writeParquet(samples, join(chunks, chunkName(index, 'samples')));
  await writeParquet(summary, join(chunks, chunkName(index, 'summary')));
}

/**
 * Concatenates the chunk files of one kind, in chunk order, into `target`, streaming record batches
 * through parquet-wasm's writer so that memory holds one chunk at a time; written atomically.
 */
export async function mergeChunks(
  dir: string,
  kind: 'summary' | 'samples',
  total: number,
  target: string,
): Promise<void> {
  let index = 0;
  let queue: WasmRecordBatch[] = [];
  const source = new ReadableStream<WasmRecordBatch>({
    pull(controller) {
      while (queue.length === 0 && index < total) {
        const bytes = readFileSync(join(dir, CHUNKS_DIR, chunkName(index, kind)));
        const table: WasmTable = wasmRead(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        queue = table.recordBatches();
        index += 1;
      }
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
  // Row groups of at most MERGE_ROW_GROUP rows: the writer holds one row group in memory, and its
  // default (a million rows) would hold most of a large run.
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(MERGE_ROW_GROUP)
    .build();
  const bytes = (await transformParquetStream(source, properties)) as ReadableStream<Uint8Array>;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w');
  try {
    for await (const piece of bytes) await handle.write(piece);
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}
