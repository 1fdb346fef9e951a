// A simulation run: plan the chunks (their sources and sizes follow from the config and seed alone),
// simulate them in worker threads, and write the results in chunk order as they arrive — the mock
// catalogue and its truth, or training shards — then the manifest. Output bytes depend only on the
// config and seed: chunks are keyed by index, workers may finish in any order, and the writer waits for
// the next index. Memory stays flat: at most a few chunks per worker are in flight.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { loadGaiaSplines } from '../survey/gaia.ts';
import {
  simulateChunk,
  type ChunkResult,
  type ChunkSpec,
  type SpectrumBlock,
  type SpectrumName,
} from './chunk.ts';
import type { SimulationConfig } from './config.ts';
import { Field, Schema } from 'apache-arrow';
import {
  type ColumnSpec,
  catalogColumns,
  columnMeanings,
  recordBatch,
  schemaOf,
  shardColumns,
  truthColumns,
} from './columns.ts';
import {
  buildModel,
  SOURCE_CLUSTER,
  SOURCE_FIELD,
  SOURCE_MIXTURE,
  SOURCE_NAMES,
  type SimulationModel,
} from './model.ts';
import { FitsTableStream } from './fits-stream.ts';
import { Compression } from 'parquet-wasm';
import { ParquetStreamWriter } from '../../catalog/parquet-stream.ts';
import type { ParquetStreamOptions } from '../../catalog/parquet-stream.ts';
import { loadPort, type PortSpec } from './port-loader.ts';
import { Random } from './random.ts';
import type { WorkerInit, WorkerReply } from './worker-messages.ts';

export const SIMULATOR_VERSION = '0.3.0';
export const MANIFEST_SCHEMA_VERSION = 1;
/** Rows per record batch of training shards with survey spectra (bounds the dense list columns:
 * 1024 rows x 8217 APOGEE pixels x 4 bytes = 34 MB per column). */
const SPECTRA_BATCH_ROWS = 1024;
/** Snappy and no dictionaries: the settings every shipped catalog and training shard was written with,
 * kept so that a run's bytes stay reproducible across versions. */
const PARQUET_OPTIONS: ParquetStreamOptions = {
  compression: Compression.SNAPPY,
  dictionary: false,
  createdBy: 'cradle simulate (parquet-wasm)',
};
/** Rows a mixture-mode run makes when the config gives no `stars`. */
export const DEFAULT_TRAINING_ROWS = 100000;

export interface RunProgress {
  /** Rows written so far. */
  rows: number;
  /** Rows expected in all (null while unknown). */
  totalRows: number | null;
  candidates: number;
}

export interface RunOptions {
  config: SimulationConfig;
  outDir: string;
  shards: boolean;
  /** Catalogue format (written as chunks arrive, either way); default parquet. */
  format?: 'parquet' | 'fits';
  /** Worker threads; 0 runs every chunk on the calling thread. */
  workers: number;
  port: PortSpec;
  /** The Gaia uncertainty spline (LogErrVsMagSpline.csv). */
  splineFile: string;
  /** sha256 of assets/grids/manifest.json, or null when unknown. */
  assetsHash: string | null;
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
}

export interface RunSummary {
  rows: number;
  candidates: number;
  chunks: number;
  rowsBySource: Record<string, number>;
  files: string[];
  manifest: string;
}

interface Plan {
  /** The chunk at an index, or null past the end of a finite plan. */
  chunk(index: number): ChunkSpec | null;
  /** Stop once this many rows are written (open-ended plans), or null. */
  targetRows: number | null;
  plannedCandidates: number | null;
  description: Record<string, unknown>;
}

export function makePlan(model: SimulationModel): Plan {
  const { config } = model;
  const size = config.chunkSize;
  if (model.mixtureMode) {
    const weights = [config.mixture.field, config.mixture.clusters, config.mixture.broadAge];
    const cumulative = weights.map((_, i) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0));
    return {
      chunk: (index) => ({ index, source: SOURCE_MIXTURE, count: size, clusterIndex: -1 }),
      targetRows: config.stars ?? DEFAULT_TRAINING_ROWS,
      plannedCandidates: null,
      description: {
        mode: 'mixture',
        candidateWeights: Object.fromEntries(
          SOURCE_NAMES.map((name, i) => [name, (weights[i] as number) / (cumulative[2] as number)]),
        ),
      },
    };
  }
  const expectedField = model.field?.expected ?? 0;
  if (config.stars !== undefined) {
    // A requested number of rows: chunks take turns among the sources (the field, then each cluster
    // until its members are used up), sized so that even a small request holds several sources.
    const sources = 1 + model.clusterMembers.length;
    const size = Math.min(config.chunkSize, Math.max(256, Math.ceil((2 * config.stars) / sources)));
    const specs: ChunkSpec[] = [];
    const left = [...model.clusterMembers];
    const hasField = model.field !== null;
    const extend = (upTo: number): void => {
      while (specs.length <= upTo && (hasField || left.some((n) => n > 0))) {
        if (hasField)
          specs.push({ index: specs.length, source: SOURCE_FIELD, count: size, clusterIndex: -1 });
        left.forEach((members, clusterIndex) => {
          if (members <= 0) return;
          const count = Math.min(size, members);
          specs.push({ index: specs.length, source: SOURCE_CLUSTER, count, clusterIndex });
          left[clusterIndex] = members - count;
        });
      }
    };
    return {
      chunk: (index) => {
        extend(index);
        return specs[index] ?? null;
      },
      targetRows: config.stars,
      plannedCandidates: null,
      description: {
        mode: 'catalog',
        fieldCandidatesExpected: expectedField,
        clusterMembers: model.clusterMembers,
        rowsRequested: config.stars,
        chunkCandidates: size,
        order: 'chunks take turns: field, then each cluster until its members are used up',
      },
    };
  }
  const specs: ChunkSpec[] = [];
  model.clusterMembers.forEach((members, clusterIndex) => {
    for (let start = 0; start < members; start += size) {
      specs.push({
        index: specs.length,
        source: SOURCE_CLUSTER,
        count: Math.min(size, members - start),
        clusterIndex,
      });
    }
  });
  const fieldTotal =
    model.field === null ? 0 : Random.stream(config.seed, 0, 'field-total').poisson(expectedField);
  for (let start = 0; start < fieldTotal; start += size) {
    specs.push({
      index: specs.length,
      source: SOURCE_FIELD,
      count: Math.min(size, fieldTotal - start),
      clusterIndex: -1,
    });
  }
  return {
    chunk: (index) => specs[index] ?? null,
    targetRows: null,
    plannedCandidates: specs.reduce((sum, s) => sum + s.count, 0),
    description: {
      mode: 'catalog',
      fieldCandidatesExpected: expectedField,
      fieldCandidates: fieldTotal,
      clusterMembers: model.clusterMembers,
    },
  };
}

/** Rows [offset, offset + rows) of a chunk (views, no copies); XP arrays hold `length` values per row. */
function offsetChunk(chunk: ChunkResult, offset: number, rows: number): ChunkResult {
  const cut = (value: unknown): unknown => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return (value as Float64Array).subarray(offset, offset + rows);
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cut(v)]));
    }
    return value;
  };
  const sliced: ChunkResult = {
    ...chunk,
    truth: { ...(cut(chunk.truth) as ChunkResult['truth']), rows },
    observed: cut(chunk.observed) as ChunkResult['observed'],
  };
  if (chunk.xp !== undefined) {
    const { length, flux, error } = chunk.xp;
    sliced.xp = {
      length,
      flux: flux.subarray(offset * length, (offset + rows) * length),
      error: error.subarray(offset * length, (offset + rows) * length),
    };
  }
  if (chunk.spectra !== undefined) {
    sliced.spectra = {};
    for (const [name, block] of Object.entries(chunk.spectra) as [SpectrumName, SpectrumBlock][]) {
      const { pixels, rowIndex } = block;
      let lo = 0;
      while (lo < rowIndex.length && (rowIndex[lo] as number) < offset) lo++;
      let hi = lo;
      while (hi < rowIndex.length && (rowIndex[hi] as number) < offset + rows) hi++;
      sliced.spectra[name] = {
        pixels,
        rowIndex: rowIndex.subarray(lo, hi).map((r) => r - offset),
        flux: block.flux.subarray(lo * pixels, hi * pixels),
        error: block.error.subarray(lo * pixels, hi * pixels),
      };
    }
  }
  return sliced;
}

function sliceChunk(chunk: ChunkResult, rows: number): ChunkResult {
  return offsetChunk(chunk, 0, rows);
}

interface OutputSet {
  write(chunk: ChunkResult): void;
  close(): Promise<string[]>;
  abort(): Promise<void>;
  columns: Record<string, Record<string, { unit: string; description: string }>>;
}

/** The schema a catalogue table is written with: only the columns that can hold nulls (floats, where NaN
 * is null, and those with `nullWhen`) are nullable, so that astropy's description (parquet-astropy.ts)
 * gives a mask column only to an integer or flag that has missing values (truth's cluster_id). */
function nullableWhereNull(schema: Schema, columns: readonly ColumnSpec[]): Schema {
  return new Schema(
    schema.fields.map((field, c) => {
      const spec = columns[c]!;
      const nullable = spec.nullWhen !== undefined || ['f64', 'f32', 'f32-list'].includes(spec.kind);
      return new Field(field.name, field.type, nullable, field.metadata);
    }),
    schema.metadata,
  );
}

function catalogOutputs(outDir: string, model: SimulationModel, format: 'parquet' | 'fits'): OutputSet {
  const bands = model.port.bands;
  const tables = [
    ['catalog', 'CATALOG', catalogColumns(bands)] as const,
    ['truth', 'TRUTH', truthColumns(bands)] as const,
  ].map(([base, extname, columns]) => {
    const file = `${base}.${format}`;
    if (format === 'fits') {
      const writer = FitsTableStream.open(join(outDir, file), columns, extname);
      return {
        file,
        columns,
        write: (chunk: ChunkResult) => writer.write(chunk),
        close: () => Promise.resolve(writer.close()),
        abort: () => Promise.resolve(writer.abort()),
      };
    }
    const schema = schemaOf(columns);
    const writer = ParquetStreamWriter.open(join(outDir, file), nullableWhereNull(schema, columns), {
      ...PARQUET_OPTIONS,
      astropy: {},
    });
    return {
      file,
      columns,
      write: (chunk: ChunkResult) => writer.write(recordBatch(schema, columns, chunk)),
      close: () => writer.close(),
      abort: () => writer.abort(),
    };
  });
  return {
    write(chunk) {
      for (const t of tables) t.write(chunk);
    },
    async close() {
      for (const t of tables) await t.close();
      return tables.map((t) => t.file);
    },
    async abort() {
      for (const t of tables) await t.abort();
    },
    columns: Object.fromEntries(tables.map((t) => [t.file, columnMeanings(t.columns)])),
  };
}

function shardOutputs(outDir: string, model: SimulationModel): OutputSet & { rowCounts: number[] } {
  const xpLength = model.config.xp ? (model.port.xpLength ?? null) : null;
  const surveys = model.config.spectra.map((survey) => {
    const port = model.port.surveySpectra?.(survey);
    if (port === undefined)
      throw new Error(`simulation: the config asks for ${survey} spectra but the photometry offers none`);
    return { name: `spectrum.${survey}` as const, pixels: port.pixels, unit: port.unit };
  });
  const columns = shardColumns(model.port.bands, { xpLength, surveys });
  const schema = schemaOf(columns);
  const limit = model.config.shardRows;
  // With survey spectra a record batch holds its list columns densely (rows x pixels, null rows too), so
  // chunks are written in slices of at most SPECTRA_BATCH_ROWS rows.
  const batchRows = surveys.length > 0 ? SPECTRA_BATCH_ROWS : Number.POSITIVE_INFINITY;
  const files: string[] = [];
  const rowCounts: number[] = [];
  let writer: ParquetStreamWriter | null = null;
  const openNext = (): ParquetStreamWriter => {
    const name = `shards/shard-${String(files.length).padStart(5, '0')}.parquet`;
    files.push(name);
    rowCounts.push(0);
    return ParquetStreamWriter.open(join(outDir, name), schema, PARQUET_OPTIONS);
  };
  const pending: Promise<void>[] = [];
  return {
    rowCounts,
    write(chunk) {
      let offset = 0;
      while (offset < chunk.truth.rows) {
        writer ??= openNext();
        const room = limit - writer.rows;
        const take = Math.min(room, chunk.truth.rows - offset, batchRows);
        const piece = offsetChunk(chunk, offset, take);
        writer.write(recordBatch(schema, columns, piece));
        rowCounts[rowCounts.length - 1] = writer.rows;
        offset += take;
        if (writer.rows >= limit) {
          pending.push(writer.close());
          writer = null;
        }
      }
    },
    async close() {
      if (writer !== null || files.length === 0) {
        writer ??= openNext();
        pending.push(writer.close());
        writer = null;
      }
      await Promise.all(pending);
      return files;
    },
    async abort() {
      if (writer !== null) await writer.abort();
    },
    columns: { 'shards/*.parquet': columnMeanings(columns) },
  };
}

/** Runs chunks on worker threads (or inline) and hands results over in index order. */
class ChunkRunner {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }
  >();
  private readonly idle: Worker[] = [];
  private readonly queue: ChunkSpec[] = [];
  private failure: Error | null = null;

  constructor(
    private readonly model: SimulationModel,
    private readonly splines: ReturnType<typeof loadGaiaSplines>,
    private readonly init: WorkerInit,
    /** Workers at most; each is started when a chunk finds none idle, so a short job starts few. */
    private readonly count: number,
  ) {}

  private spawn(): void {
    const worker = spawnWorker(this.init);
    worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
    worker.on('error', (error) => this.fail(error));
    this.workers.push(worker);
    this.idle.push(worker);
  }

  run(spec: ChunkSpec): Promise<ChunkResult> {
    if (this.count === 0) {
      try {
        return Promise.resolve(simulateChunk(this.model, this.splines, spec));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return new Promise((resolve, reject) => {
      if (this.failure !== null) {
        reject(this.failure);
        return;
      }
      this.waiting.set(spec.index, { resolve, reject });
      this.queue.push(spec);
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length < this.queue.length && this.workers.length < this.count) this.spawn();
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift() as Worker;
      worker.postMessage(this.queue.shift());
    }
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    this.idle.push(worker);
    if (reply.type === 'chunk') {
      const entry = this.waiting.get(reply.result.index);
      this.waiting.delete(reply.result.index);
      entry?.resolve(reply.result);
    } else {
      const entry = this.waiting.get(reply.index);
      this.waiting.delete(reply.index);
      entry?.reject(new Error(`chunk ${reply.index}: ${reply.message}`));
    }
    this.pump();
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const entry of this.waiting.values()) entry.reject(error);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const bootstrap = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((error) => { process.nextTick(() => { throw error; }); });
`;

function spawnWorker(init: WorkerInit): Worker {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./worker${extension}`, import.meta.url).href;
  const tsxApi = extension === '.ts' ? import.meta.resolve('tsx/esm/api') : null;
  return new Worker(bootstrap, { eval: true, execArgv: [], workerData: { entry, tsxApi, init } });
}

// Streamed: a run's outputs grow with its rows (0.4 GB of truth at 2.4M rows), and reading them whole to
// hash them made the run's peak memory grow with its size.
async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** A temporary file of this module's writers (`<output>.partial-<pid>`), left behind by a killed run. */
const TEMPORARY =
  /^(?:catalog\.(?:parquet|fits)|truth\.(?:parquet|fits)|manifest\.json|shard-\d{5}\.parquet)\.partial-\d+$/;

/** The first top-level config field where two configs differ, or null. */
function configDifference(previous: Record<string, unknown>, config: SimulationConfig): string | null {
  const current = config as Record<string, unknown>;
  for (const key of new Set([...Object.keys(previous), ...Object.keys(current)]))
    if (JSON.stringify(previous[key]) !== JSON.stringify(current[key]))
      return `${key} was ${JSON.stringify(previous[key]) ?? 'absent'}, now ${JSON.stringify(current[key]) ?? 'absent'}`;
  return null;
}

/**
 * Refuses an output folder that holds anything but an earlier run of the same config, kind and format
 * (which this run rewrites, file for file, with the same names): files of another run would be mixed
 * with this one's under one manifest. Nothing of the user's is deleted; only the temporary files of a
 * killed run are removed.
 */
async function checkOutDir(
  outDir: string,
  config: SimulationConfig,
  shards: boolean,
  format: 'parquet' | 'fits',
): Promise<void> {
  if (!existsSync(outDir)) return;
  if (!(await stat(outDir)).isDirectory()) throw new Error(`${outDir}: not a folder; choose another --out`);
  const advice = 'choose a new or empty --out, or move those files away first';
  const entries = [];
  for (const name of await readdir(outDir)) {
    if (TEMPORARY.test(name)) await rm(join(outDir, name), { force: true });
    else entries.push(name);
  }
  const shardNames: string[] = [];
  const shardsDir = entries.includes('shards') && (await stat(join(outDir, 'shards'))).isDirectory();
  if (shardsDir) {
    for (const name of await readdir(join(outDir, 'shards'))) {
      if (TEMPORARY.test(name)) await rm(join(outDir, 'shards', name), { force: true });
      else shardNames.push(`shards/${name}`);
    }
  }
  if (entries.length === 0) return;
  const manifestFile = join(outDir, 'manifest.json');
  if (!entries.includes('manifest.json'))
    throw new Error(
      `${outDir}: not empty (holds ${entries[0]}) and holds no simulation's manifest.json; ${advice}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(manifestFile, 'utf8'));
  } catch (error) {
    const reason = (error as Error).message;
    throw new Error(`${manifestFile}: not a readable simulation manifest (${reason}); ${advice}`, {
      cause: error,
    });
  }
  const manifest = (parsed ?? {}) as { kind?: unknown; config?: unknown; files?: unknown };
  const kind = shards ? 'training-shards' : 'mock-catalog';
  const files = Array.isArray(manifest.files) ? (manifest.files as { path?: unknown }[]) : [];
  const listed = new Set(files.map((f) => String(f?.path)));
  const expected = shards ? null : [`catalog.${format}`, `truth.${format}`];
  if (manifest.kind !== kind || manifest.config === null || typeof manifest.config !== 'object')
    throw new Error(
      `${outDir}: holds another kind of simulation output (${String(manifest.kind)}, not ${kind}); ${advice}`,
    );
  if (expected !== null && !expected.every((file) => listed.has(file)))
    throw new Error(
      `${outDir}: holds a simulation written as ${[...listed].join(', ')}, not ${expected.join(', ')}; ${advice}`,
    );
  const difference = configDifference(manifest.config as Record<string, unknown>, config);
  if (difference !== null)
    throw new Error(`${outDir}: holds a simulation of another config (${difference}); ${advice}`);
  const foreign = [
    ...entries.filter((n) => n !== 'manifest.json' && !(shardsDir && n === 'shards')),
    ...shardNames,
  ].find((name) => !listed.has(name));
  if (foreign !== undefined)
    throw new Error(
      `${outDir}: holds ${foreign}, which its simulation's manifest.json does not list; ${advice}`,
    );
}

export async function runSimulation(options: RunOptions): Promise<RunSummary> {
  const { config, outDir } = options;
  if (!options.shards && config.spectra.length > 0)
    throw new Error(
      `simulation: survey spectra (${config.spectra.join(', ')}) are written into training shards only (use --shards)`,
    );
  await checkOutDir(outDir, config, options.shards, options.format ?? 'parquet');
  const port = await loadPort(options.port);
  const model = buildModel(config, port);
  const splines = loadGaiaSplines(options.splineFile);
  const plan = makePlan(model);
  await mkdir(join(outDir, options.shards ? 'shards' : '.'), { recursive: true });
  const outputs = options.shards
    ? shardOutputs(outDir, model)
    : catalogOutputs(outDir, model, options.format ?? 'parquet');
  const shared = port.workerOptions?.();
  const workerPort: PortSpec =
    shared === undefined
      ? options.port
      : { ...options.port, options: { ...options.port.options, ...shared } };
  const init: WorkerInit = { config, port: workerPort, splineFile: options.splineFile, curves: model.curves };
  const runner = new ChunkRunner(model, splines, init, options.workers);
  const inFlightLimit = Math.max(1, options.workers) * 2;
  const rowsBySource = [0, 0, 0];
  let rows = 0;
  let candidates = 0;
  let chunks = 0;
  const inFlight = new Map<number, Promise<ChunkResult>>();
  let nextToStart = 0;
  let nextToWrite = 0;
  let finished = false;
  try {
    const startMore = (): void => {
      while (!finished && inFlight.size < inFlightLimit) {
        const spec = plan.chunk(nextToStart);
        if (spec === null) break;
        const promise = runner.run(spec);
        promise.catch(() => undefined);
        inFlight.set(nextToStart, promise);
        nextToStart++;
      }
    };
    startMore();
    while (inFlight.size > 0) {
      if (options.signal?.aborted) throw new Error('simulation cancelled');
      const promise = inFlight.get(nextToWrite);
      if (promise === undefined) break;
      let chunk = await promise;
      inFlight.delete(nextToWrite);
      nextToWrite++;
      chunks++;
      candidates += chunk.candidates;
      if (plan.targetRows !== null && rows + chunk.truth.rows >= plan.targetRows) {
        chunk = sliceChunk(chunk, plan.targetRows - rows);
        finished = true;
      }
      for (let i = 0; i < chunk.truth.rows; i++) rowsBySource[chunk.truth.source[i] as number]! += 1;
      outputs.write(chunk);
      rows += chunk.truth.rows;
      options.onProgress?.({ rows, totalRows: plan.targetRows ?? null, candidates });
      if (finished) break;
      startMore();
    }
    if (plan.targetRows !== null && !finished && rows < plan.targetRows) {
      throw new Error(
        `the config's sources cannot make ${plan.targetRows} rows (made ${rows}): is the field weight 0 with no clusters?`,
      );
    }
  } catch (error) {
    await runner.close();
    await outputs.abort();
    throw error;
  }
  await runner.close();
  const files = await outputs.close();
  const fileEntries = [];
  for (const file of files) fileEntries.push({ path: file, sha256: await sha256File(join(outDir, file)) });
  const rowsBySourceNamed = Object.fromEntries(
    SOURCE_NAMES.map((name, i) => [name, rowsBySource[i] as number]),
  );
  const manifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    kind: options.shards ? 'training-shards' : 'mock-catalog',
    simulator: { name: 'cradle-forward', version: SIMULATOR_VERSION },
    seed: config.seed,
    config,
    assets: {
      gridsManifestSha256: options.assetsHash,
      photometry: port.description,
      spectra: Object.fromEntries(
        config.spectra.map((survey) => [`spectrum.${survey}`, port.surveySpectra?.(survey).description]),
      ),
    },
    rows,
    candidates,
    chunks,
    files: fileEntries.map((entry, i) => ({
      ...entry,
      rows: options.shards ? ((outputs as ReturnType<typeof shardOutputs>).rowCounts[i] ?? 0) : rows,
    })),
    prior: {
      plan: plan.description,
      rowsBySource: rowsBySourceNamed,
      rowFractions: Object.fromEntries(
        Object.entries(rowsBySourceNamed).map(([k, v]) => [k, rows > 0 ? v / rows : 0]),
      ),
      note: 'Rows are a mixture of sources (field: the Galactic model of electron/forward/population; clusters: θ_C from the config or its prior; broadAge: log-uniform age and uniform [M/H] in the thin-disc volume), cut at the magnitude limit. To reweight to the Galactic prior, weight rows of population 0 by 1 and drop (or reweight) the others.',
    },
    columns: outputs.columns,
  };
  const manifestFile = join(outDir, 'manifest.json');
  const temp = `${manifestFile}.partial-${process.pid}`;
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temp, manifestFile).catch(async (error: unknown) => {
    await rm(temp, { force: true });
    throw error;
  });
  return { rows, candidates, chunks, rowsBySource: rowsBySourceNamed, files, manifest: manifestFile };
}
