// The run folder (architecture doc, "Runs"): run.json (model, input, settings, provider, versions,
// start/end, status), chunks/ (one summary Parquet file per finished chunk — the checkpoints),
// summary.parquet (all chunks, merged when the last one is written) and optional samples.parquet.
// Every file is written to a temporary name and renamed, so a killed run leaves only whole files and
// a resumed run redoes only the chunks without one.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openAsBlob,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { ParquetFile, transformParquetStream, WriterPropertiesBuilder, Compression } from 'parquet-wasm';
import type { RecordBatch as WasmRecordBatch } from 'parquet-wasm';
import {
  PARQUET_ROW_GROUP,
  closeParquet,
  openParquet,
  readRowGroup,
  writeParquet,
} from '../catalog/parquet.ts';
import { writeTextAtomic } from '../catalog/text-out.ts';
import { trapping } from '../catalog/wasm-trap.ts';

export const RUN_FILE = 'run.json';
export const SUMMARY_FILE = 'summary.parquet';
export const SAMPLES_FILE = 'samples.parquet';
export const CHUNKS_DIR = 'chunks';
export const RUN_FORMAT = 'cradle-run/1';

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
    /** A run of one part of the input (`--part K/N`, for a cluster's array jobs): part K (from 1) of N
     * contiguous row ranges, rows [first_row, first_row + rows). Absent for a run of the whole input. */
    part?: RunPart;
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

export interface RunPart {
  index: number;
  count: number;
  first_row: number;
  rows: number;
}

/** Rows [first, first + rows) of part `index` (from 1) of `count`: the input's rows cut into `count`
 * contiguous ranges whose sizes differ by at most one row. */
export function partRows(index: number, count: number, totalRows: number): RunPart {
  const first = Math.floor(((index - 1) * totalRows) / count);
  const end = Math.floor((index * totalRows) / count);
  return { index, count, first_row: first, rows: end - first };
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
  /** A run merged from part runs (`cradle infer merge`): the part folders, in part order. */
  merged_from?: string[];
}

/** SHA-256 of the files' bytes in order, read in chunks (an input catalogue may be larger than one
 * Buffer). */
export async function sha256(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
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

/** Why a merged output cannot be used (missing, unreadable, or not `rows` rows), or null. Each row group
 * is decoded where `decode` (the summary); samples.parquet, up to a thousand times larger, is checked by
 * its footer. */
async function mergedProblem(file: string, rows: number, decode: boolean): Promise<string | null> {
  if (!existsSync(file)) return `${basename(file)} is missing`;
  let parquet: ParquetFile;
  try {
    parquet = await openParquet(file);
  } catch (error) {
    return (error as Error).message;
  }
  try {
    const stored = parquet.metadata().fileMetadata().numRows();
    if (stored !== rows) return `${file}: holds ${stored} rows, not the run's ${rows}`;
    if (decode)
      for (let group = 0; group < parquet.metadata().numRowGroups(); group += 1)
        await readRowGroup(parquet, file, group);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    closeParquet(parquet);
  }
}

/** What is wrong with a run's merged outputs (summary.parquet, and samples.parquet where kept), or
 * null when they are whole: every row there and every summary row group readable. */
export async function mergedOutputsProblem(
  dir: string,
  run: { rows: number; samples: number; keepSamples: boolean },
): Promise<string | null> {
  const problems = [await mergedProblem(join(dir, SUMMARY_FILE), run.rows, true)];
  if (run.keepSamples)
    problems.push(await mergedProblem(join(dir, SAMPLES_FILE), run.rows * run.samples, false));
  const problem = problems.filter((p) => p !== null).join('; ');
  return problem === '' ? null : problem;
}

/**
 * For a run recorded as complete: null when its merged outputs are whole; otherwise what is wrong with
 * them, when every chunk file is still there to merge them again from. Throws when they cannot be
 * rebuilt (a complete run's chunk files are removed after the merge).
 */
export async function completeRunProblem(
  dir: string,
  run: { rows: number; chunks: number; samples: number; keepSamples: boolean },
): Promise<string | null> {
  const problem = await mergedOutputsProblem(dir, run);
  if (problem === null) return null;
  if (finishedChunks(dir, run.keepSamples).size === run.chunks) return problem;
  throw new Error(
    `${dir}: run.json says the run is complete, but ${problem}, and its chunk files are gone ` +
      '(removed after the merge): run it again into a new --out',
  );
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

/** Concatenates the chunk files of one kind, in chunk order, into `target` (see concatParquet). */
export async function mergeChunks(
  dir: string,
  kind: 'summary' | 'samples',
  total: number,
  target: string,
): Promise<void> {
  const files = Array.from({ length: total }, (_, i) => join(dir, CHUNKS_DIR, chunkName(i, kind)));
  await concatParquet(files, target);
}

/**
 * Concatenates Parquet files of one schema, in order, into `target`, streaming one row group at a time
 * through parquet-wasm's writer (a part run's summary may hold millions of rows); written atomically.
 * Both the row-group reader and the writer are asynchronous parquet-wasm calls, whose panics (a
 * WebAssembly trap, e.g. the reader's on a damaged page) would otherwise end the process: the whole
 * concatenation runs under `trapping`, and a trap fails it with the file it was reading named.
 */
export async function concatParquet(files: string[], target: string): Promise<void> {
  // Files are opened one after the other (a million-star run has hundreds of chunk files).
  let fileIndex = 0;
  let current: ParquetFile | null = null;
  let group = 0;
  let queue: WasmRecordBatch[] = [];
  /** True while a row group is being read: a trap then is the reader's, on that file. */
  let reading = false;
  // parquet-wasm's writer reports a failing source only as 'Dyn casting error': the source's own
  // error, naming the file, is kept here and given instead.
  let failure = null as Error | null;
  // The first file's columns, which every other file must have (the writer would otherwise cast or
  // fail with 'Dyn casting error'): chunks of a run resumed by another version of Cradle can differ.
  let first: string[] = [];
  const unreadable = (error: unknown): Error => {
    const file = files[fileIndex - 1] ?? files[0]!;
    const reason =
      error instanceof WebAssembly.RuntimeError
        ? `row group ${group} cannot be decoded: WebAssembly ${error.name}: ${error.message}; the file is probably damaged`
        : (error instanceof Error ? error.message : String(error)).split('\n')[0];
    failure = new Error(
      `${file}: not a readable Parquet file (${reason}); if it is a chunk of a stopped run, delete it ` +
        'and resume the run to compute that chunk again',
      { cause: error },
    );
    return failure;
  };
  const source = new ReadableStream<WasmRecordBatch>({
    async pull(controller) {
      try {
        while (queue.length === 0) {
          if (current !== null && group < current.metadata().numRowGroups()) {
            reading = true;
            const table = await current.read({ rowGroups: [group], batchSize: PARQUET_ROW_GROUP });
            reading = false;
            queue = table.recordBatches();
            group += 1;
            continue;
          }
          current?.free();
          current = null;
          if (fileIndex >= files.length) break;
          fileIndex += 1;
          current = await ParquetFile.fromFile(await openAsBlob(files[fileIndex - 1]!));
          const layout = columnLayout(current);
          if (fileIndex === 1) first = layout;
          else if (layout.join() !== first.join()) {
            failure = mismatch(files[fileIndex - 1]!, layout, files[0]!, first);
            throw failure;
          }
          group = 0;
        }
      } catch (error) {
        throw error === failure ? error : unreadable(error);
      }
      const batch = queue.shift();
      if (batch === undefined) controller.close();
      else controller.enqueue(batch);
    },
  });
  // Row groups of at most PARQUET_ROW_GROUP rows: the writer holds one row group in memory, and its
  // default (a million rows) would hold most of a large run.
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(PARQUET_ROW_GROUP)
    .build();
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await trapping(async () => {
      const bytes = (await transformParquetStream(source, properties)) as ReadableStream<Uint8Array>;
      for await (const piece of bytes) await handle.write(piece);
    });
    // The writer can end its output early, without an error, when its source fails.
    if (failure !== null) throw failure;
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    if (error instanceof WebAssembly.RuntimeError) {
      if (reading) throw unreadable(error);
      throw new Error(
        `${target}: writing Parquet failed: parquet-wasm's writer aborted (WebAssembly ${error.name}: ${error.message})`,
        { cause: error },
      );
    }
    throw failure ?? error;
  }
}

/** A Parquet file's columns as `name: type`, in order. */
function columnLayout(file: ParquetFile): string[] {
  return tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => `${f.name}: ${String(f.type)}`);
}

function mismatch(file: string, layout: string[], reference: string, expected: string[]): Error {
  const extra = layout.filter((c) => !expected.includes(c));
  const lacking = expected.filter((c) => !layout.includes(c));
  const differences = [
    ...(extra.length > 0 ? [`it has ${extra.join(', ')}`] : []),
    ...(lacking.length > 0 ? [`it lacks ${lacking.join(', ')}`] : []),
  ];
  return new Error(
    `${file}: its columns differ from those of ${reference} (${differences.join('; ') || 'another order'}); ` +
      'files written by different versions of Cradle cannot be joined: if these are chunks of a resumed ' +
      'run, delete the chunk files of one version and resume to compute them again',
  );
}
