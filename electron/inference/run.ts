// An inference run end to end: model and input in, run folder out. The input table is cut into chunks
// of fixed row ranges, each read from the file when its turn comes (input-reader.ts), so memory does
// not grow with the number of stars; chunks run on an executor pool (this thread, or worker threads
// each with its own sessions) and each finished chunk is written atomically as a checkpoint; a resumed run skips the
// chunks already written, so a kill loses at most the chunks in flight. When all are written they are
// merged into summary.parquet (and samples.parquet). Results do not depend on the number of workers
// or the chunk size: noise is addressed by input row and stars are batched by their token pattern.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { makeVector } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import ort from 'onnxruntime-node';
import { loadMapping } from '../catalog/mapping-store.ts';
import type { QuantitySource } from '../catalog/recognise.ts';
import { buildTable } from '../catalog/table.ts';
import { resolveModel } from './card.ts';
import type { LoadedModel, Solver } from './card.ts';
import type { ChunkResult } from './chunk.ts';
import { inProcessExecutor, workerExecutor } from './executor.ts';
import type { Executor, ExecutorSetup } from './executor.ts';
import { misspecLimit, OUTSIDE_TRAINING_COLUMN, RANGE_SIGMA } from './flags.ts';
import { INSIDE_PRIOR_COLUMN, LEAKING, PRIOR_LEAKAGE_COLUMN } from './support.ts';
import { assessInputs, blockOf, givenCounts, inputPlan, noGivenValue, sliceColumn } from './inputs.ts';
import type { InputPlan, PreparedInputs } from './inputs.ts';
import { isInputSpool, openInputReader, RECOGNITION_ROWS } from './input-reader.ts';
import type { InputReader } from './input-reader.ts';
import {
  CHUNKS_DIR,
  RUN_FORMAT,
  completeRunProblem,
  SAMPLES_FILE,
  SUMMARY_FILE,
  finishedChunks,
  resumeDifference,
  mergeChunks,
  mergedOutputsProblem,
  partRows,
  readRunRecord,
  removeTemporaries,
  sha256,
  writeChunk,
  writeRunRecord,
} from './run-folder.ts';
import type { RunFingerprint, RunPart, RunRecord } from './run-folder.ts';
import { DEFAULT_MAX_BATCH_ROWS, parameterIndices } from './sampler.ts';
import type { SamplerSettings } from './sampler.ts';
import { cardSchedule, gridLabel } from './solver.ts';
import type { ProviderChoice } from './sessions.ts';
import { YOUNG_COLUMN } from './summary.ts';

export const DEFAULT_CHUNK_ROWS = 4096;

export interface InferOptions {
  /** A model folder or the name of a shipped model; default: the package's default model (package.json cradle.defaultModel). */
  model?: string;
  input: string;
  /** FITS: the table HDU (default 1). */
  hdu?: number;
  /** A JSON mapping { name: column } or { name: { column | expression } } (or a saved catalog mapping). */
  mapping?: string;
  /** Parameters to condition on instead of inferring: name → a number, a column or an expression of
   * columns, in the card's unit (e.g. { mh: '0.03' } for a cluster of known metallicity). */
  given?: Record<string, string>;
  out: string;
  samples?: number;
  steps?: number;
  solver?: Solver;
  provider?: ProviderChoice;
  resume?: boolean;
  seed?: number;
  chunkRows?: number;
  /** Parallel executors; 1 runs in this thread. Default: one per core, at most one per chunk left. */
  workers?: number;
  /** Cores for the whole run (split between workers as intra-op threads); default: all. */
  cores?: number;
  keepSamples?: boolean;
  maxBatchRows?: number;
  /** Only part `index` (from 1) of `count` contiguous row ranges of the input: one array job of a
   * cluster run, whose part folders `cradle infer merge` joins into the run of the whole input. */
  part?: { index: number; count: number };
}

export interface InferHooks {
  signal?: AbortSignal;
  progress?(done: number, total: number): void;
  log?(message: string): void;
}

export interface InferResult {
  out: string;
  status: RunRecord['status'];
  provider: string;
  providerNotes: string[];
  stars: number;
  chunks: number;
  resumedChunks: number;
  elapsedS: number;
  starsPerS: number | null;
  summary: string | null;
}

function readMappingFile(file: string): Record<string, QuantitySource> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: mapping is not readable JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const body = typeof raw === 'object' && raw !== null && 'quantities' in raw ? raw.quantities : raw;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`${file}: a mapping is an object of quantity name → column`);
  const out: Record<string, QuantitySource> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') out[name] = { column: value };
    else if (typeof value === 'object' && value !== null && ('column' in value || 'expression' in value)) {
      const v = value as { column?: unknown; expression?: unknown };
      if (typeof v.column === 'string') out[name] = { column: v.column };
      else if (typeof v.expression === 'string') out[name] = { expression: v.expression };
      else throw new Error(`${file}: mapping for '${name}' needs a string column or expression`);
    } else throw new Error(`${file}: mapping for '${name}' must be a column name or { column | expression }`);
  }
  return out;
}

/** Reads the input table whole: any catalog format, or a FITS table HDU (default 1). */
export async function readInputTable(file: string, hdu?: number): Promise<Table> {
  const reader = await openInputReader(file, { hdu });
  try {
    return await reader.rows(0, reader.totalRows);
  } finally {
    reader.close();
  }
}

/** A chunk's summary rows: `start` is the chunk's first input row, `table` the chunk's input rows. */
function summaryTable(
  inputs: PreparedInputs,
  table: Table,
  start: number,
  result: ChunkResult,
  limit: number,
): Table {
  const rows = result.rows;
  const columns: { name: string; vector: Vector; info: { unit?: string; description?: string } }[] = [];
  const rowIds = new BigInt64Array(rows);
  for (let r = 0; r < rows; r += 1) rowIds[r] = BigInt(start + r);
  columns.push({
    name: 'row',
    vector: makeVector(rowIds),
    info: { description: 'row of the input table (from 0)' },
  });
  if (inputs.sourceIdColumn !== null)
    columns.push({
      name: 'source_id',
      vector: sliceColumn(table, inputs.sourceIdColumn, 0, rows),
      info: { description: `input column ${inputs.sourceIdColumn}` },
    });
  result.summary.names.forEach((name, i) =>
    columns.push({ name, vector: makeVector(result.summary.columns[i]!), info: {} }),
  );
  const f = result.flags;
  columns.push({
    name: 'n_observed',
    vector: makeVector(f.nObserved),
    info: { description: 'observed model inputs' },
  });
  columns.push({
    name: OUTSIDE_TRAINING_COLUMN,
    vector: makeVector(f.outsideTraining),
    info: { description: 'an observed input outside the training range' },
  });
  columns.push({
    name: 'misspec_score',
    vector: makeVector(f.misspecScore),
    info: {
      description:
        "standardised chi-square (d² − k)/√(2k) of the k observed inputs' Mahalanobis distance under the training covariance (card observables)",
    },
  });
  columns.push({
    name: 'misspecified',
    vector: makeVector(f.misspecified),
    info: { description: `misspec_score > ${limit}` },
  });
  columns.push({
    name: PRIOR_LEAKAGE_COLUMN,
    vector: makeVector(result.priorLeakage),
    info: {
      description:
        "fraction of the star's posterior samples outside the prior's support (the card's parameter ranges)",
    },
  });
  return buildTable(columns);
}

function samplesTable(start: number, result: ChunkResult, names: string[]): Table {
  const samples = result.samples!;
  const P = names.length;
  const n = samples.length / P;
  const S = n / result.rows;
  const rowIds = new BigInt64Array(n);
  const sampleIds = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    rowIds[i] = BigInt(start + Math.floor(i / S));
    sampleIds[i] = i % S;
  }
  const columns: { name: string; vector: Vector; info: Record<string, never> }[] = [
    { name: 'row', vector: makeVector(rowIds), info: {} },
    { name: 'sample', vector: makeVector(sampleIds), info: {} },
  ];
  names.forEach((name, p) => {
    const column = new Float32Array(n);
    for (let i = 0; i < n; i += 1) column[i] = samples[i * P + p]!;
    columns.push({ name, vector: makeVector(column), info: {} });
  });
  columns.push({ name: INSIDE_PRIOR_COLUMN, vector: makeVector(result.insidePrior!), info: {} });
  return buildTable(columns);
}

/** The column meanings recorded in run.json. */
function columnNotes(parameters: string[], limit: number): Record<string, string> {
  const notes: Record<string, string> = {
    row: 'row of the input table, from 0',
    source_id: 'the input catalog source id, when it has one',
    n_observed: 'number of observed model inputs',
    outside_training: `1 when an observed input lies outside the card's range (or beyond ${RANGE_SIGMA} training std)`,
    misspec_score:
      "(d² − k)/√(2k): d² the Mahalanobis distance of the k observed inputs (network space) under the card's training covariance (independent inputs without one)",
    misspecified: `1 when misspec_score > ${limit} (the card's limit: exceeded by 0.1% of held-out training stars; 5 for cards without one)`,
    prior_leakage:
      "fraction of the star's posterior samples outside the prior's support (the card's parameter ranges): the model would place the star outside what it was trained on; the summaries keep every sample, as the card's calibration does",
  };
  for (const p of parameters)
    notes[`${p}_*`] =
      'posterior mean, median, std (ddof 0), percentiles 2.5/16/84/97.5 (Hyndman & Fan type 6, k/(S + 1))';
  notes[`${SAMPLES_FILE}: ${INSIDE_PRIOR_COLUMN}`] =
    "1 when the sample lies inside the prior's support (every parameter within the card's range)";
  if (parameters.includes('log_age'))
    notes[YOUNG_COLUMN] = 'fraction of posterior samples younger than 50 Myr (Kerr et al. 2021 P_Age<50Myr)';
  return notes;
}

function versions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return { cradle: pkg.version, onnxruntime: ort.env.versions.common, node: process.versions.node };
}

function checkedPart(part: { index: number; count: number }, rows: number, input: string): RunPart {
  const { index, count } = part;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count)
    throw new Error(`--part wants K/N with 1 ≤ K ≤ N, got ${index}/${count}`);
  if (count > rows)
    throw new Error(
      `${input}: --part ${index}/${count}: the input has ${rows} rows, fewer than ${count} parts`,
    );
  return partRows(index, count, rows);
}

export async function runInference(options: InferOptions, hooks: InferHooks = {}): Promise<InferResult> {
  const started = Date.now();
  const model: LoadedModel = resolveModel(options.model);
  // Before the input is read (a text input is parsed into batch files in the run folder).
  const out = resolve(options.out);
  if (readRunRecord(out) === null && existsSync(out) && readdirSync(out).some((name) => !isInputSpool(name)))
    throw new Error(`${out}: exists and is not a run folder; choose an empty or new --out`);
  const part = options.part;
  const reader = await openInputReader(options.input, {
    hdu: options.hdu,
    onWarning: hooks.log?.bind(hooks),
    scratch: options.out,
    // A part reads the recognition rows and its own.
    ...(part !== undefined
      ? {
          keep: (rows: number) => {
            const { first_row: first, rows: count } = checkedPart(part, rows, options.input);
            return [
              [0, Math.min(rows, RECOGNITION_ROWS)],
              [first, first + count],
            ] as const;
          },
        }
      : {}),
  });
  try {
    return await runOn(reader, model, options, hooks, started);
  } finally {
    reader.close();
  }
}

/** Rows the given-parameter count reads at a time. */
const COUNT_ROWS = 65_536;

/** Per given parameter, the stars of input rows [first, first + rows) with a usable value; fails naming
 * a parameter none has. Read through the input once, before any star is run. */
async function countGiven(
  reader: InputReader,
  plan: InputPlan,
  first: number,
  rows: number,
): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (let start = first; start < first + rows; start += COUNT_ROWS) {
    const table = await reader.rows(start, Math.min(first + rows, start + COUNT_ROWS));
    for (const [name, count] of Object.entries(givenCounts(plan, table)))
      totals[name] = (totals[name] ?? 0) + count;
  }
  for (const [name, count] of Object.entries(totals)) if (count === 0) throw noGivenValue(plan, name);
  return totals;
}

async function runOn(
  reader: InputReader,
  model: LoadedModel,
  options: InferOptions,
  hooks: InferHooks,
  started: number,
): Promise<InferResult> {
  const card = model.card;
  const totalRows = reader.totalRows;
  if (totalRows === 0) throw new Error(`${options.input}: the table has no rows: there is no star to infer`);
  const part = options.part === undefined ? null : checkedPart(options.part, totalRows, options.input);
  const firstRow = part?.first_row ?? 0;
  const runRows = part?.rows ?? totalRows;
  const mapping =
    options.mapping !== undefined ? readMappingFile(options.mapping) : loadMapping(options.input);
  const given = options.given ?? {};
  const plan = inputPlan(
    await reader.rows(0, Math.min(totalRows, RECOGNITION_ROWS)),
    card,
    options.input,
    mapping,
    given,
  );
  for (const [name, count] of Object.entries(await countGiven(reader, plan, firstRow, runRows)))
    hooks.log?.(
      `conditioning on ${name} = ${given[name]} for ${count} of ${runRows} stars` +
        (count < runRows ? ' (the others lack a value inside the training range: inferred)' : ''),
    );
  const settings: SamplerSettings = {
    samples: options.samples ?? card.sampler.samples_per_star,
    steps: options.steps ?? card.sampler.steps,
    solver: options.solver ?? card.sampler.solver,
    schedule: cardSchedule(card.sampler),
    seed: options.seed ?? 0,
    maxBatchRows: options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS,
  };
  for (const [name, value] of [
    ['samples', settings.samples],
    ['steps', settings.steps],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a whole number ≥ 1, got ${value}`);
  }
  if (!Number.isInteger(settings.seed) || settings.seed < 0 || settings.seed > Number.MAX_SAFE_INTEGER)
    throw new Error(`--seed must be a whole number ≥ 0, got ${settings.seed}`);
  const keepSamples = options.keepSamples ?? false;
  const out = resolve(options.out);
  const inputPath = resolve(options.input);
  const stat = statSync(inputPath);
  const fingerprint: RunFingerprint = {
    model: {
      name: card.name,
      card_sha256: await sha256([join(model.dir, 'card.json')]),
      graphs_sha256: await sha256([model.contextFile, model.velocityFile, ...model.encoderFiles]),
      ...(card.domain_adaptation?.adapted === true
        ? { adapted: true, adaptation_method: card.domain_adaptation.method }
        : {}),
    },
    input: {
      file: inputPath,
      hdu: options.hdu ?? null,
      size: stat.size,
      mtime_ms: Math.round(stat.mtimeMs),
      sha256: await sha256([inputPath]),
      rows: totalRows,
      mapping: plan.sources,
      ...(Object.keys(given).length > 0 ? { given } : {}),
      ...(part !== null ? { part } : {}),
    },
    settings: {
      samples: settings.samples,
      steps: settings.steps,
      solver: settings.solver,
      time_grid: gridLabel(settings.schedule),
      final_euler: settings.schedule.finalEuler,
      seed: settings.seed,
      chunk_rows: options.chunkRows ?? DEFAULT_CHUNK_ROWS,
      keep_samples: keepSamples,
    },
  };
  const previous = readRunRecord(out);
  if (previous !== null) {
    if (!options.resume)
      throw new Error(
        `${out}: holds a run already (run.json); resume it with --resume or choose another --out`,
      );
    if (options.chunkRows === undefined) fingerprint.settings.chunk_rows = previous.settings.chunk_rows;
    const difference = resumeDifference(previous, fingerprint);
    if (difference !== null) throw new Error(`${out}: cannot resume: ${difference}`);
    if (previous.input.mtime_ms !== fingerprint.input.mtime_ms)
      hooks.log?.(`${inputPath}: modified since the run began, with the same content (SHA-256): resuming`);
  }
  mkdirSync(out, { recursive: true });
  removeTemporaries(out);
  const chunkRows = fingerprint.settings.chunk_rows;
  if (!Number.isInteger(chunkRows) || chunkRows < 1)
    throw new Error(`chunk rows must be a whole number ≥ 1, got ${chunkRows}`);
  const totalChunks = Math.ceil(runRows / chunkRows);
  // Versions before run.json was marked complete ahead of the chunk files' removal could be killed
  // between the two: merged outputs and no chunk files (or only some, from an interrupted removal).
  // Whole merged outputs finish the run; anything less is computed again.
  const mergedBeforeKill = async (): Promise<boolean> => {
    if (previous === null || previous.status === 'complete') return false;
    if (!existsSync(join(out, SUMMARY_FILE))) return false;
    if (finishedChunks(out, keepSamples).size === totalChunks) return false;
    const problem = await mergedOutputsProblem(out, {
      rows: runRows,
      samples: settings.samples,
      keepSamples,
    });
    if (problem !== null) return false;
    const names = keepSamples ? `${SUMMARY_FILE} and ${SAMPLES_FILE} are` : `${SUMMARY_FILE} is`;
    hooks.log?.(`${out}: ${names} whole: finishing the run from them`);
    return true;
  };
  // A complete run's merged outputs are checked, and merged again from the chunk files if damaged.
  const rebuild =
    previous?.status === 'complete'
      ? await completeRunProblem(out, {
          rows: runRows,
          chunks: totalChunks,
          samples: settings.samples,
          keepSamples,
        })
      : null;
  if (rebuild !== null) hooks.log?.(`${rebuild}: merging the chunk files again`);
  const merged = (previous?.status === 'complete' && rebuild === null) || (await mergedBeforeKill());
  const done = merged
    ? new Set(Array.from({ length: totalChunks }, (_, i) => i))
    : finishedChunks(out, keepSamples);
  const resumedChunks = done.size;
  const rowsOf = (i: number): number => Math.min(chunkRows, runRows - i * chunkRows);
  let doneRows = [...done].reduce((a, i) => a + rowsOf(i), 0);

  const cores = Math.max(1, Math.floor(options.cores ?? availableParallelism()));
  // One single-threaded worker per core by default (measured faster than one worker with several
  // intra-op threads: the graphs' many small operators leave threads waiting), but never more
  // workers than chunks left (an idle worker still holds a session's memory), whatever was asked.
  const workers = Math.max(1, Math.floor(Math.min(options.workers ?? cores, totalChunks - done.size)));
  const threads = Math.max(1, Math.floor(cores / workers));
  const setup: ExecutorSetup = {
    modelDir: model.dir,
    provider: options.provider ?? 'auto',
    threads,
    settings,
    keepSamples,
  };
  const parameterNames = parameterIndices(card).map((j) => card.variables[j]!.name);
  const record: RunRecord = {
    format: RUN_FORMAT,
    ...fingerprint,
    status: 'running',
    model_dir: model.dir,
    provider: previous?.provider ?? '',
    provider_notes: [],
    workers,
    threads_per_worker: threads,
    versions: versions(),
    started: previous?.started ?? new Date(started).toISOString(),
    ended: null,
    chunks: { total: totalChunks, done: done.size },
    stars: { total: runRows, done: doneRows },
    elapsed_s: previous?.elapsed_s ?? 0,
    stars_per_s: null,
    columns: columnNotes(parameterNames, misspecLimit(card.observables)),
    message: null,
  };
  const pending = Array.from({ length: totalChunks }, (_, i) => i).filter((i) => !done.has(i));
  hooks.progress?.(doneRows, runRows);
  const finish = async (status: RunRecord['status'], message: string | null): Promise<InferResult> => {
    const elapsed = (Date.now() - started) / 1000;
    record.status = status;
    record.message = message;
    record.ended = new Date().toISOString();
    record.elapsed_s = Math.round(((previous?.elapsed_s ?? 0) + elapsed) * 1000) / 1000;
    record.stars = { total: runRows, done: doneRows };
    record.chunks.done = totalChunks - pending.length;
    await writeRunRecord(out, record);
    return {
      out,
      status,
      provider: record.provider,
      providerNotes: record.provider_notes,
      stars: runRows,
      chunks: totalChunks,
      resumedChunks,
      elapsedS: record.elapsed_s,
      starsPerS: record.stars_per_s,
      summary: status === 'complete' ? join(out, SUMMARY_FILE) : null,
    };
  };

  if (pending.length > 0) {
    const executors: Executor[] = [];
    try {
      if (workers === 1) executors.push(await inProcessExecutor(model, setup));
      else
        executors.push(...(await Promise.all(Array.from({ length: workers }, () => workerExecutor(setup)))));
      record.provider = executors[0]!.provider;
      record.provider_notes = executors[0]!.notes;
      for (const note of record.provider_notes) hooks.log?.(note);
      await writeRunRecord(out, record);
      const computeStart = Date.now();
      const computeRows0 = doneRows;
      // Stars with no usable input run to their prior; said at the end rather than passed over.
      let blind = 0;
      // So are stars the model would place mostly outside its prior (support.ts).
      let leaking = 0;
      const queue = [...pending];
      const loop = async (executor: Executor): Promise<void> => {
        for (;;) {
          if (hooks.signal?.aborted) return;
          const index = queue.shift();
          if (index === undefined) return;
          const start = firstRow + index * chunkRows;
          const table = await reader.rows(start, start + rowsOf(index));
          const inputs = assessInputs(plan, table);
          const block = blockOf(inputs, card, 0, table.numRows, start);
          const result = await executor.run(block, hooks.signal);
          for (const n of result.flags.nObserved) if (n === 0) blind += 1;
          for (const l of result.priorLeakage) if (l > LEAKING) leaking += 1;
          const summary = summaryTable(inputs, table, start, result, misspecLimit(card.observables));
          const samples = keepSamples ? samplesTable(start, result, parameterNames) : null;
          await writeChunk(out, index, summary, samples);
          pending.splice(pending.indexOf(index), 1);
          doneRows += result.rows;
          hooks.progress?.(doneRows, runRows);
        }
      };
      await Promise.all(executors.map(loop));
      if (blind > 0)
        hooks.log?.(
          `${blind} of the ${doneRows - computeRows0} stars run had no usable model input (n_observed = 0): ` +
            "their posteriors are the model's prior",
        );
      if (leaking > 0)
        hooks.log?.(
          `${leaking} of the ${doneRows - computeRows0} stars run have more than half of their posterior samples ` +
            `outside the model's prior (${PRIOR_LEAKAGE_COLUMN} > ${LEAKING}): the model would place them outside ` +
            'what it was trained on',
        );
      const seconds = (Date.now() - computeStart) / 1000;
      if (seconds > 0) record.stars_per_s = Math.round(((doneRows - computeRows0) / seconds) * 10) / 10;
    } catch (error) {
      if (hooks.signal?.aborted) return finish('cancelled', 'cancelled; resume with --resume');
      await finish('failed', error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      await Promise.all(executors.map((e) => e.close()));
    }
    if (hooks.signal?.aborted) return finish('cancelled', 'cancelled; resume with --resume');
  }
  if (!merged) {
    await mergeChunks(out, 'summary', totalChunks, join(out, SUMMARY_FILE));
    if (keepSamples) await mergeChunks(out, 'samples', totalChunks, join(out, SAMPLES_FILE));
  }
  // Marked complete before the chunk files go: a kill in between leaves a complete run with leftover
  // chunk files (removed by its resume), never merged outputs that only the chunks' absence vouches for.
  const result = await finish('complete', null);
  rmSync(join(out, CHUNKS_DIR), { recursive: true, force: true });
  return result;
}
