// `cradle infer merge`: the part runs of one input (`cradle infer --part K/N`, e.g. the array jobs of a
// cluster run) joined into one run folder, the same as a run of the whole input in one place: noise is
// addressed by input row, so a star's samples do not depend on which part computed it. Every part must
// be complete and come from the same model, input content and settings; the parts must cover 1..N once.
// The input may sit at another path on each node (a copy on local scratch): its SHA-256 identifies it,
// and `--input` names where it is on the machine that merges.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parquetRowCount } from '../catalog/parquet.ts';
import { CARD_FILE, modelsDir } from './card.ts';
import {
  RUN_FILE,
  SAMPLES_FILE,
  SUMMARY_FILE,
  concatParquet,
  fingerprintDifference,
  partRows,
  readRunRecord,
  sha256,
  writeRunRecord,
} from './run-folder.ts';
import type { RunFingerprint, RunPart, RunRecord } from './run-folder.ts';

export interface MergeResult {
  out: string;
  parts: number;
  stars: number;
  summary: string;
  samples: string | null;
}

interface PartRun {
  dir: string;
  record: RunRecord;
  part: RunPart;
}

/** What must agree between parts: all of the fingerprint but the part itself, the chunk size (which does
 * not change results) and, when the content hash is recorded, the input's path and modification time. */
function comparable(record: RunRecord): RunFingerprint {
  const { part: _part, ...input } = record.input;
  const located = input.sha256 === undefined ? input : { ...input, file: '', mtime_ms: 0 };
  return { model: record.model, input: located, settings: { ...record.settings, chunk_rows: 0 } };
}

function readPart(dir: string): PartRun {
  const record = readRunRecord(dir);
  if (record === null) throw new Error(`${dir}: not a run folder (no ${RUN_FILE})`);
  const part = record.input.part;
  if (part === undefined)
    throw new Error(`${dir}: a run of the whole input, not a part (parts are run with --part K/N)`);
  if (record.status !== 'complete')
    throw new Error(
      `${dir}: part ${part.index}/${part.count} is ${record.status}; finish it with cradle infer --resume first`,
    );
  const expected = partRows(part.index, part.count, record.input.rows);
  if (expected.first_row !== part.first_row || expected.rows !== part.rows)
    throw new Error(
      `${dir}: part ${part.index}/${part.count} records rows ${part.first_row}+${part.rows}, ` +
        `not the ${expected.first_row}+${expected.rows} of ${record.input.rows} input rows`,
    );
  return { dir, record, part };
}

function checkOut(out: string): void {
  if (existsSync(join(out, RUN_FILE)))
    throw new Error(`${out}: holds a run already (${RUN_FILE}); choose another folder to merge into`);
  if (!existsSync(out)) return;
  // A merge stopped before its run.json leaves only its own outputs, which a new merge replaces.
  const foreign = readdirSync(out).filter(
    (name) => name !== SUMMARY_FILE && name !== SAMPLES_FILE && !name.endsWith('.tmp'),
  );
  if (foreign.length > 0)
    throw new Error(`${out}: exists and holds other files (${foreign[0]}); choose an empty or new folder`);
}

/** Checks the parts against each other and returns them in part order. */
function orderedParts(parts: PartRun[]): PartRun[] {
  const first = parts[0]!;
  const count = first.part.count;
  const byIndex = new Map<number, PartRun>();
  for (const run of parts) {
    if (run.part.count !== count)
      throw new Error(
        `${run.dir}: part ${run.part.index}/${run.part.count}, but ${first.dir} is one of ${count} parts`,
      );
    const difference = fingerprintDifference(comparable(first.record), comparable(run.record));
    if (difference !== null)
      throw new Error(`${run.dir}: not a part of the same run as ${first.dir}: ${difference}`);
    const twin = byIndex.get(run.part.index);
    if (twin !== undefined)
      throw new Error(`part ${run.part.index}/${count} is given twice: ${twin.dir} and ${run.dir}`);
    byIndex.set(run.part.index, run);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0)
    throw new Error(
      missing.length === 1
        ? `missing part ${missing[0]} of ${count}: run it with cradle infer … --part ${missing[0]}/${count}`
        : `missing parts ${missing.join(', ')} of ${count}: run each with cradle infer … --part K/${count}`,
    );
  return Array.from({ length: count }, (_, i) => byIndex.get(i + 1)!);
}

/** Where the merged run finds its input: `file`, checked against the parts' SHA-256, or the first
 * part's path. */
async function locateInput(first: RunRecord, file: string | undefined): Promise<RunRecord['input']> {
  const { part: _part, ...input } = first.input;
  if (file === undefined) return input;
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`${file}: no such file`);
  if (input.sha256 === undefined)
    throw new Error(`${file}: the parts recorded no SHA-256 of their input, so this copy cannot be checked`);
  const digest = await sha256([path]);
  if (digest !== input.sha256)
    throw new Error(`${file}: not the parts' input (SHA-256 ${digest}, the parts read ${input.sha256})`);
  const stat = statSync(path);
  return { ...input, file: path, size: stat.size, mtime_ms: Math.round(stat.mtimeMs) };
}

/** The model's folder on this machine: the parts' own where it exists, else the shipped model of that
 * name whose card has the parts' SHA-256 (the parts may have run from a cluster's copy; the Galaxy view
 * reads the card's prior from here). */
async function locateModel(record: RunRecord): Promise<string> {
  if (existsSync(join(record.model_dir, CARD_FILE))) return record.model_dir;
  const shipped = join(modelsDir(), record.model.name);
  const card = join(shipped, CARD_FILE);
  if (existsSync(card) && (await sha256([card])) === record.model.card_sha256) return shipped;
  return record.model_dir;
}

/**
 * Merges complete part runs into `outDir`. `options.input`: the input's path on this machine, when the
 * parts read it elsewhere (a cluster's file system); the merged run.json records it, so the Galaxy view
 * finds the stars' positions.
 */
export async function mergePartRuns(
  outDir: string,
  runDirs: string[],
  options: { input?: string } = {},
): Promise<MergeResult> {
  if (runDirs.length === 0) throw new Error('merge needs the part run folders');
  const out = resolve(outDir);
  const parts = orderedParts(runDirs.map((dir) => readPart(resolve(dir))));
  checkOut(out);
  const input = await locateInput(parts[0]!.record, options.input);
  const modelDir = await locateModel(parts[0]!.record);
  for (const run of parts) {
    for (const name of run.record.settings.keep_samples ? [SUMMARY_FILE, SAMPLES_FILE] : [SUMMARY_FILE])
      if (!existsSync(join(run.dir, name))) throw new Error(`${run.dir}: complete, but ${name} is missing`);
    const file = join(run.dir, SUMMARY_FILE);
    const rows = await parquetRowCount(file);
    if (rows !== run.part.rows)
      throw new Error(
        `${file}: ${rows} rows, but part ${run.part.index}/${run.part.count} has ${run.part.rows}`,
      );
  }
  mkdirSync(out, { recursive: true });
  const first = parts[0]!.record;
  const summary = join(out, SUMMARY_FILE);
  await concatParquet(
    parts.map((run) => join(run.dir, SUMMARY_FILE)),
    summary,
  );
  const samples = first.settings.keep_samples ? join(out, SAMPLES_FILE) : null;
  if (samples !== null)
    await concatParquet(
      parts.map((run) => join(run.dir, SAMPLES_FILE)),
      samples,
    );
  const records = parts.map((run) => run.record);
  const unique = (values: string[]): string[] => [...new Set(values)];
  const chunks = records.reduce((n, r) => n + r.chunks.total, 0);
  const record: RunRecord = {
    ...first,
    input,
    model_dir: modelDir,
    status: 'complete',
    provider: unique(records.map((r) => r.provider)).join(', '),
    provider_notes: unique(records.flatMap((r) => r.provider_notes)),
    started: records.map((r) => r.started).sort()[0]!,
    ended:
      records
        .map((r) => r.ended ?? '')
        .sort()
        .at(-1) || null,
    chunks: { total: chunks, done: chunks },
    stars: { total: first.input.rows, done: first.input.rows },
    // Node-seconds: the parts ran side by side, so this is the work, not the wall time.
    elapsed_s: Math.round(records.reduce((s, r) => s + r.elapsed_s, 0) * 1000) / 1000,
    stars_per_s: null,
    message: null,
    merged_from: parts.map((run) => run.dir),
  };
  await writeRunRecord(out, record);
  return { out, parts: parts.length, stars: first.input.rows, summary, samples };
}
