// An inference run as Galaxy view stars: summary.parquet gives each star's posterior log age (median and
// half the 16–84% width), its young-star probability and, when the model infers it, its distance (median,
// 16–84%); the run's input catalogue (run.json) gives what the posterior does not — positions (ra/dec, or
// l/b), proper motions, the parallax that places stars without a posterior distance (positions.ts) and
// Gaia photometry for the colour–magnitude diagram — read through the same survey recognition and saved
// mapping inference used. Summary rows are joined to input rows by the summary's `row` column and checked
// against source_id where both tables have one, so a catalogue edited since the run is an error, not a
// silent mismatch.
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { loadMapping } from '../catalog/mapping-store.ts';
import { readParquet } from '../catalog/parquet.ts';
import { assessQuantity, resolveQuantity } from '../catalog/quality.ts';
import { recognise, type Recognition } from '../catalog/recognise.ts';
import { loadModel } from '../inference/card.ts';
import { OUTSIDE_TRAINING_COLUMN } from '../inference/flags.ts';
import { readInputTable } from '../inference/run.ts';
import { readRunRecord, SUMMARY_FILE, type RunRecord } from '../inference/run-folder.ts';
import { summaryColumnName, YOUNG_COLUMN, YOUNG_LOG_AGE } from '../inference/summary.ts';
import { checkPrior, QUANTILE_STATS, type PriorHistogram } from './cluster-age.ts';
import { galacticToIcrs } from './frames.ts';
import type { StarColumns } from './positions.ts';
import { buildSource, column, ids, type GaiaMagnitudes, type GalaxySource } from './source-build.ts';

/** A finished run's summary joined to its input table. */
export interface RunTables {
  runDir: string;
  record: RunRecord;
  summary: Table;
  summaryFile: string;
  input: Table;
  recognition: Recognition;
  /** Input row of each summary row. */
  inputRow: Uint32Array;
}

export async function openRun(runDir: string): Promise<RunTables> {
  const record = readRunRecord(runDir);
  if (record === null) throw new Error(`${runDir}: not a run folder (no run.json)`);
  if (record.status !== 'complete')
    throw new Error(`${runDir}: the run is ${record.status}; only a finished run has ${SUMMARY_FILE}`);
  const summaryFile = join(runDir, SUMMARY_FILE);
  const { table: summary } = await readParquet(summaryFile);
  const inputFile = record.input.file;
  let input: Table;
  try {
    input = await readInputTable(inputFile, record.input.hdu ?? undefined);
  } catch (error) {
    throw new Error(`${runDir}: the run's input catalogue cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const recognition = recognise(input, loadMapping(inputFile));
  const rows = column(summary, 'row');
  if (rows === undefined) throw new Error(`${summaryFile}: no column 'row' (the input row of each star)`);
  const inputRow = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(Number.isInteger(r) && r >= 0 && r < input.numRows))
      throw new Error(`${summaryFile}: row ${r} is outside the ${input.numRows} rows of ${inputFile}`);
    inputRow[i] = r;
  }
  checkSourceIds(summary, input, recognition, inputRow, summaryFile, inputFile);
  return { runDir, record, summary, summaryFile, input, recognition, inputRow };
}

function checkSourceIds(
  summary: Table,
  input: Table,
  recognition: Recognition,
  inputRow: Uint32Array,
  summaryFile: string,
  inputFile: string,
): void {
  const ours = summary.getChild('source_id');
  const name = recognition.get('source_id')?.column;
  const theirs = name === undefined ? null : input.getChild(name);
  if (ours === null || theirs === null) return;
  for (let i = 0; i < inputRow.length; i++) {
    const a: unknown = ours.get(i);
    const b: unknown = theirs.get(inputRow[i]!);
    if (String(a) !== String(b))
      throw new Error(
        `${inputFile}: row ${inputRow[i]} has source_id ${String(b)} but ${summaryFile} has ${String(a)} — the catalogue changed since the run`,
      );
  }
}

/** Values of a recognised input quantity per summary row (NaN where not observed), or undefined. */
function inputValues(run: RunTables, name: string, assessed: boolean): Float64Array | undefined {
  const source = run.recognition.get(name);
  if (source === undefined) return undefined;
  const out = new Float64Array(run.inputRow.length);
  // A cell that cannot be read (a sexagesimal angle that does not parse) is named by column and row;
  // the file is added here.
  const read = <T>(value: () => T): T => {
    try {
      return value();
    } catch (error) {
      throw new Error(`${run.record.input.file}: ${(error as Error).message}`, { cause: error });
    }
  };
  if (assessed) {
    const q = read(() => assessQuantity(run.input, run.recognition, name));
    run.inputRow.forEach((r, i) => (out[i] = q.observed[r] === 1 ? q.values[r]! : Number.NaN));
  } else {
    const q = read(() => resolveQuantity(run.input, run.recognition, source));
    run.inputRow.forEach((r, i) => (out[i] = q.valid[r] === 1 ? q.values[r]! : Number.NaN));
  }
  return out;
}

/**
 * P(age < 50 Myr) from the summary quantiles alone, for runs written before the summary had the
 * column: the CDF interpolated linearly in log age through (p2.5, 0.025), (p16, 0.16), (median, 0.5),
 * (p84, 0.84), (p97.5, 0.975), and taken as 0 below p2.5 and 1 above p97.5 (an error of at most 0.025).
 */
export function youngFromQuantiles(quantiles: number[], logAgeLimit = YOUNG_LOG_AGE): number {
  const levels = [0.025, 0.16, 0.5, 0.84, 0.975];
  if (quantiles.length !== levels.length || quantiles.some((q) => !Number.isFinite(q))) return Number.NaN;
  if (logAgeLimit <= quantiles[0]!) return 0;
  if (logAgeLimit >= quantiles[4]!) return 1;
  for (let k = 0; k < 4; k++) {
    const lo = quantiles[k]!;
    const hi = quantiles[k + 1]!;
    if (logAgeLimit < hi) {
      const f = hi > lo ? (logAgeLimit - lo) / (hi - lo) : 1;
      return levels[k]! + f * (levels[k + 1]! - levels[k]!);
    }
  }
  return 1;
}

function youngProbability(summary: Table): Float64Array | undefined {
  const direct = column(summary, YOUNG_COLUMN);
  if (direct !== undefined) return direct;
  const names = ['p2_5', 'p16', 'median', 'p84', 'p97_5'] as const;
  const columns = names.map((s) => column(summary, summaryColumnName('log_age', s)));
  if (columns.some((c) => c === undefined)) return undefined;
  const out = new Float64Array(summary.numRows);
  for (let i = 0; i < out.length; i++) out[i] = youngFromQuantiles(columns.map((c) => c![i]!));
  return out;
}

/** Positions on the sky per summary row: ra/dec, else l/b turned into ra/dec. */
function skyPositions(run: RunTables): { raDeg: Float64Array; decDeg: Float64Array } {
  const ra = inputValues(run, 'ra', false);
  const dec = inputValues(run, 'dec', false);
  if (ra !== undefined && dec !== undefined) return { raDeg: ra, decDeg: dec };
  const l = inputValues(run, 'l', false);
  const b = inputValues(run, 'b', false);
  if (l === undefined || b === undefined)
    throw new Error(`${run.record.input.file}: no ra/dec or l/b columns recognised to place the stars`);
  const raDeg = new Float64Array(l.length);
  const decDeg = new Float64Array(l.length);
  for (let i = 0; i < l.length; i++) {
    const p = galacticToIcrs(l[i]!, b[i]!);
    raDeg[i] = p.raDeg;
    decDeg[i] = p.decDeg;
  }
  return { raDeg, decDeg };
}

/** The Gaia G, BP and RP magnitudes of each summary row's star (quality rules applied). */
export function runMagnitudes(run: RunTables): GaiaMagnitudes {
  return {
    g: inputValues(run, 'gaia.g', true),
    bp: inputValues(run, 'gaia.bp', true),
    rp: inputValues(run, 'gaia.rp', true),
  };
}

/**
 * What the cluster ages need from a run (cluster-age.ts): each star's five log-age quantiles, in the
 * order of `inputRow` (the stars' input rows, as prepareGalaxy ordered them), and the model's log-age
 * prior from its card. Undefined when the summary lacks a quantile column or the card has no prior
 * (cards exported before 2026-11-27) or cannot be read.
 */
export async function runAgeEvidence(
  runDir: string,
  inputRow: Uint32Array,
): Promise<{ quantiles: Float64Array; prior: PriorHistogram } | undefined> {
  const record = readRunRecord(runDir);
  if (record === null) return undefined;
  let prior: PriorHistogram | undefined;
  try {
    prior = loadModel(record.model_dir).card.prior_marginals?.log_age;
  } catch {
    return undefined;
  }
  if (prior === undefined) return undefined;
  checkPrior(prior, `${record.model_dir}: prior_marginals.log_age`);
  const summaryFile = join(runDir, SUMMARY_FILE);
  const { table: summary } = await readParquet(summaryFile);
  const rows = column(summary, 'row');
  const levels = QUANTILE_STATS.map((stat) => column(summary, summaryColumnName('log_age', stat)));
  if (rows === undefined || levels.some((l) => l === undefined)) return undefined;
  const summaryOfRow = new Map<number, number>();
  rows.forEach((r, i) => summaryOfRow.set(r, i));
  const quantiles = new Float64Array(5 * inputRow.length).fill(Number.NaN);
  inputRow.forEach((r, k) => {
    const i = summaryOfRow.get(r);
    if (i !== undefined) levels.forEach((l, q) => (quantiles[5 * k + q] = l![i]!));
  });
  return { quantiles, prior };
}

/** The stars of a finished run, placed and coloured by their posteriors. */
export async function loadRunSource(runDir: string): Promise<GalaxySource> {
  const run = await openRun(runDir);
  const { summary, summaryFile } = run;
  const stat = (name: string, s: 'median' | 'p16' | 'p84'): Float64Array | undefined =>
    column(summary, summaryColumnName(name, s));
  const logAge = stat('log_age', 'median');
  if (logAge === undefined)
    throw new Error(
      `${summaryFile}: no column 'log_age_median' — the run's model (${run.record.model.name}) does not infer log_age, so the Galaxy view cannot place its ages`,
    );
  const p16 = stat('log_age', 'p16');
  const p84 = stat('log_age', 'p84');
  const logAgeError =
    p16 !== undefined && p84 !== undefined ? p84.map((hi, i) => 0.5 * (hi - p16[i]!)) : undefined;
  const columns: StarColumns = { ...skyPositions(run) };
  const distance = stat('distance_pc', 'median');
  const distance16 = stat('distance_pc', 'p16');
  const distance84 = stat('distance_pc', 'p84');
  if (distance !== undefined) columns.distancePc = distance;
  if (distance16 !== undefined) columns.distanceP16Pc = distance16;
  if (distance84 !== undefined) columns.distanceP84Pc = distance84;
  const parallax = inputValues(run, 'gaia.parallax', true);
  const parallaxError = inputValues(run, 'gaia.parallax.err', false);
  if (parallax !== undefined) columns.parallaxMas = parallax;
  if (parallaxError !== undefined) columns.parallaxErrorMas = parallaxError;
  const pmRa = inputValues(run, 'pmra', false);
  const pmDec = inputValues(run, 'pmdec', false);
  if (pmRa !== undefined) columns.pmRaMasYr = pmRa;
  if (pmDec !== undefined) columns.pmDecMasYr = pmDec;
  const sourceIds = ids(summary, 'source_id');
  const pYoung = youngProbability(summary);
  const outsideTraining = column(summary, OUTSIDE_TRAINING_COLUMN);
  return buildSource({
    path: runDir,
    source: 'posterior',
    runDir,
    columns,
    logAge,
    ...(logAgeError === undefined ? {} : { logAgeError }),
    ...(pYoung === undefined ? {} : { pYoung }),
    ...(outsideTraining === undefined ? {} : { outsideTraining }),
    sourceId: sourceIds ?? BigInt64Array.from(run.inputRow, (r) => BigInt(r)),
    inputRow: run.inputRow,
    magnitudes: runMagnitudes(run),
  });
}
