// The engine side of the Infer, Models, Star and Simulate views: model cards as the Models view lists
// them, a catalogue's recognition with the user's saved mapping, the demo sky's folder, and windows
// onto a run folder (summary rows, one star's posterior and inputs, exports). Tables read from disk
// are kept for the last few files (keyed by size and mtime), so scrolling a result table or clicking
// through stars does not re-read the Parquet file each time.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import type { MethodArgs, MethodName, MethodResult } from '../api/methods.ts';
import { summarise } from '../catalog/inspect.ts';
import { loadMapping, saveMapping } from '../catalog/mapping-store.ts';
import { readParquet } from '../catalog/parquet.ts';
import { readCatalog } from '../catalog/read.ts';
import { parseSimulationConfig } from '../forward/simulate/config.ts';
import { PRESETS } from '../forward/simulate/presets.ts';
import {
  CARD_FILE,
  defaultFirst,
  defaultModelName,
  loadModel,
  modelInputGroups,
  modelsDir,
  resolveModel,
  type LoadedModel,
} from '../inference/card.ts';
import { cardSchedule, EVALUATIONS_PER_STEP, gridLabel } from '../inference/solver.ts';
import { exportSummary } from '../inference/export.ts';
import { prepareInputs, starsObserving, type PreparedInputs } from '../inference/inputs.ts';
import { readInputTable } from '../inference/run.ts';
import { SAMPLES_FILE, SUMMARY_FILE, readRunRecord, type RunRecord } from '../inference/run-folder.ts';
import { summaryColumnName, type Statistic } from '../inference/summary.ts';
import { PRIOR_LEAKAGE_COLUMN } from '../inference/support.ts';

type InferMethod =
  | 'models.list'
  | 'models.plot'
  | 'catalog.inspect'
  | 'catalog.saveMapping'
  | 'demo.sky'
  | 'runs.info'
  | 'runs.summaryWindow'
  | 'runs.star'
  | 'runs.export';
type InferHandlers = { [M in InferMethod & MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> };

/** The demo sky's folder under the settings folder; the Infer view fills it with a simulate job. */
export function demoSkyDir(settingsDir: string): string {
  return join(settingsDir, 'demo-sky');
}

/** What a demo simulation writes into its folder: its outputs, and the temporaries of a killed run. */
const DEMO_FILE = /^(?:catalog\.parquet|truth\.parquet|manifest\.json)(?:\.partial-\d+)?$/;

/** Whether `dir` holds a whole demo sky of this version's preset (the manifest is written last). */
async function currentDemo(dir: string): Promise<boolean> {
  let manifest: { kind?: unknown; config?: unknown; files?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    return false;
  }
  const files = Array.isArray(manifest.files) ? (manifest.files as { path?: unknown }[]) : [];
  const listed = new Set(files.map((f) => String(f?.path)));
  const preset = parseSimulationConfig(structuredClone(PRESETS.demo), "preset 'demo'");
  return (
    manifest.kind === 'mock-catalog' &&
    JSON.stringify(manifest.config) === JSON.stringify(preset) &&
    ['catalog.parquet', 'truth.parquet'].every((f) => listed.has(f) && existsSync(join(dir, f)))
  );
}

/**
 * Whether the demo folder holds this version's demo sky. When it holds an earlier one instead (another
 * version's preset, or a run killed half-way), the demo's own files are removed so the demo job, which
 * refuses a folder holding another simulation, can start there. The folder is the app's, but a file no
 * demo writes may be the user's: then nothing is removed and the demo is refused, naming it.
 */
export async function prepareDemoSky(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  if (await currentDemo(dir)) return true;
  const entries = await readdir(dir, { withFileTypes: true });
  const foreign = entries.find((e) => !e.isFile() || !DEMO_FILE.test(e.name));
  if (foreign !== undefined)
    throw new Error(
      `${dir}: holds ${foreign.name}, which a demo sky does not write; move it away so the demo sky can be simulated there`,
    );
  for (const entry of entries) await rm(join(dir, entry.name), { force: true });
  return false;
}

class FileCache<T> {
  private readonly entries = new Map<string, { key: string; value: Promise<T> }>();
  constructor(private readonly limit: number) {}

  get(path: string, load: () => Promise<T>): Promise<T> {
    const stat = statSync(path);
    const key = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.entries.get(path);
    if (hit !== undefined && hit.key === key) return hit.value;
    const value = load();
    value.catch(() => this.entries.delete(path));
    this.entries.delete(path);
    this.entries.set(path, { key, value });
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }
}

function modelInfo(model: LoadedModel): MethodResult<'models.list'>['models'][number] {
  const { card } = model;
  const cost = card.cost as Record<string, unknown> | undefined;
  const context = cost?.['multiply_adds_context_per_star'];
  const velocity = cost?.['multiply_adds_velocity_per_evaluation'];
  return {
    name: card.name,
    dir: model.dir,
    description: card.description,
    created: card.created ?? null,
    variables: card.variables.map((v) => ({
      name: v.name,
      role: v.role,
      unit: v.unit,
      survey: v.survey,
      range: v.range ?? null,
    })),
    sampler: {
      solver: card.sampler.solver,
      steps: card.sampler.steps,
      samplesPerStar: card.sampler.samples_per_star,
      timeGrid: gridLabel(cardSchedule(card.sampler)),
      finalEuler: card.sampler.final_euler,
    },
    flopsPerStar: card.cost?.flops_per_star ?? null,
    evaluationsPerStep: { ...EVALUATIONS_PER_STEP },
    costBreakdown:
      typeof context === 'number' && typeof velocity === 'number'
        ? { contextMultiplyAdds: context, velocityMultiplyAddsPerEvaluation: velocity }
        : null,
    training: card.training ?? null,
    domainAdaptation:
      card.domain_adaptation === undefined
        ? null
        : {
            adapted: card.domain_adaptation.adapted,
            method: card.domain_adaptation.method,
            note: card.domain_adaptation.note,
          },
    inputs: modelInputGroups(card).map(({ name, variables }) => ({
      name,
      survey: card.variables[variables[0]!]!.survey,
    })),
    encoders:
      card.encoders?.modalities.map((m) => ({
        name: m.name,
        variables: m.variables,
        tokens: m.n_tokens,
        spectrum: m.spectrum?.quantity ?? null,
      })) ?? null,
    calibration: card.calibration ?? null,
    plots: readdirSync(model.dir)
      .filter((f) => f.toLowerCase().endsWith('.png'))
      .sort(),
  };
}

function cell(value: unknown): number | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function requireRun(runDir: string): RunRecord {
  const record = readRunRecord(runDir);
  if (record === null) throw new Error(`${runDir}: not a run folder (no run.json)`);
  return record;
}

function parameterNames(record: RunRecord): string[] {
  return Object.keys(record.columns)
    .filter((c) => c.endsWith('_*'))
    .map((c) => c.slice(0, -2));
}

export function inferHandlers(settingsDir: string): InferHandlers {
  const summaries = new FileCache<Table>(4);
  const samples = new FileCache<Table>(2);
  const inputs = new FileCache<{ table: Table; prepared: PreparedInputs; model: LoadedModel }>(2);
  const summaryOf = (runDir: string): Promise<Table> => {
    const file = join(runDir, SUMMARY_FILE);
    if (!existsSync(file)) throw new Error(`${runDir}: no ${SUMMARY_FILE} yet (the run has not finished)`);
    return summaries.get(file, async () => (await readParquet(file)).table);
  };

  return {
    'models.list': () => {
      const dir = modelsDir();
      const models: MethodResult<'models.list'>['models'] = [];
      const broken: MethodResult<'models.list'>['broken'] = [];
      if (existsSync(dir)) {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (!entry.isDirectory() || !existsSync(join(dir, entry.name, CARD_FILE))) continue;
          try {
            models.push(modelInfo(loadModel(join(dir, entry.name))));
          } catch (error) {
            broken.push({ dir: join(dir, entry.name), reason: (error as Error).message });
          }
        }
      }
      models.sort(defaultFirst(defaultModelName()));
      return Promise.resolve({ dir, models, broken });
    },
    'models.plot': ({ model, file }) => {
      const loaded = resolveModel(model);
      const path = join(loaded.dir, file);
      if (!existsSync(path)) throw new Error(`${loaded.dir}: no plot named ${file}`);
      return Promise.resolve({ file, png: new Uint8Array(readFileSync(path)) });
    },
    'catalog.inspect': async ({ path, hdu, model }) => {
      const catalog = await readCatalog(path, hdu === undefined ? {} : { hdu });
      const mapping = loadMapping(path);
      const { summary } = summarise(catalog, mapping);
      let modelInputs: MethodResult<'catalog.inspect'>['modelInputs'] = null;
      let modelInputsNote: string | null = null;
      if (model !== undefined) {
        const { card } = resolveModel(model);
        try {
          const prepared = prepareInputs(catalog.table, card, path, mapping);
          modelInputs = modelInputGroups(card).map(({ name, variables }) => ({
            name,
            source: prepared.sources[name] ?? null,
            observed: starsObserving(prepared, variables),
          }));
        } catch (error) {
          modelInputsNote = (error as Error).message;
        }
      }
      return {
        path,
        format: summary.format,
        rows: summary.rows,
        columns: summary.columns.map((c) => c.name),
        quantities: Object.entries(summary.quantities).map(([name, q]) => ({
          name,
          column: q.column ?? null,
          expression: q.expression ?? null,
          unit: q.unit,
          role: q.role,
          confidence: q.confidence,
          via: q.via,
          observed: q.observed,
        })),
        modelInputs,
        modelInputsNote,
        mapping,
      };
    },
    'catalog.saveMapping': async ({ path, quantities }) => {
      await saveMapping(path, quantities);
      return { saved: true };
    },
    'demo.sky': async () => {
      const dir = demoSkyDir(settingsDir);
      return { dir, catalog: join(dir, 'catalog.parquet'), exists: await prepareDemoSky(dir) };
    },
    'runs.info': async ({ runDir }) => {
      const record = requireRun(runDir);
      const hasSummary = record.status === 'complete' && existsSync(join(runDir, SUMMARY_FILE));
      const table = hasSummary ? await summaryOf(runDir) : null;
      return {
        runDir,
        status: record.status,
        model: record.model.name,
        input: record.input.file,
        provider: record.provider,
        samples: record.settings.samples,
        steps: record.settings.steps,
        chunks: record.chunks,
        rows: table?.numRows ?? null,
        columns: table?.schema.fields.map((f) => f.name) ?? [],
        parameters: parameterNames(record),
        hasSamples: existsSync(join(runDir, SAMPLES_FILE)),
      };
    },
    'runs.summaryWindow': async ({ runDir, start, count }) => {
      const table = await summaryOf(runDir);
      const end = Math.min(table.numRows, start + count);
      const columns = table.schema.fields.map((f) => f.name);
      const vectors = columns.map((_, c) => table.getChildAt(c)!);
      const rows: (number | string | null)[][] = [];
      for (let r = start; r < end; r += 1) rows.push(vectors.map((v) => cell(v.get(r))));
      return { start, total: table.numRows, columns, rows };
    },
    'runs.star': async ({ runDir, row: askedRow, sourceId }) => {
      const record = requireRun(runDir);
      const table = await summaryOf(runDir);
      const row = askedRow ?? rowOfSource(table, runDir, sourceId ?? '');
      if (row >= table.numRows)
        throw new Error(`${runDir}: row ${row} is past the ${table.numRows} rows of the run`);
      const value = (name: string): unknown => table.getChild(name)?.get(row);
      const model = resolveModel(record.model_dir);
      const samplesFile = join(runDir, SAMPLES_FILE);
      const sampleTable = existsSync(samplesFile)
        ? await samples.get(samplesFile, async () => (await readParquet(samplesFile)).table)
        : null;
      const sampleRows = sampleRowRange(sampleTable, row);
      const parameters = parameterNames(record).map((name) => {
        const stat = (s: Statistic): number | null => {
          const v = cell(value(summaryColumnName(name, s)));
          return typeof v === 'number' ? v : null;
        };
        const column = sampleTable?.getChild(name) ?? null;
        let values: Float32Array | null = null;
        if (column !== null && sampleRows !== null) {
          values = new Float32Array(sampleRows.end - sampleRows.start);
          for (let i = sampleRows.start; i < sampleRows.end; i += 1)
            values[i - sampleRows.start] = Number(column.get(i));
        }
        return {
          name,
          unit: model.card.variables.find((v) => v.name === name)?.unit ?? '',
          mean: stat('mean'),
          median: stat('median'),
          std: stat('std'),
          p2_5: stat('p2_5'),
          p16: stat('p16'),
          p84: stat('p84'),
          p97_5: stat('p97_5'),
          samples: values,
        };
      });
      const input = record.input.file;
      const loaded = await inputs.get(input, async () => {
        const t = await readInputTable(input, record.input.hdu ?? undefined);
        return { table: t, prepared: prepareInputs(t, model.card, input, loadMapping(input)), model };
      });
      const starInputs = model.card.variables.flatMap((v, i) => {
        const q = loaded.prepared.quantities[i];
        if (v.role !== 'observable') return [];
        const observed = q !== null && q !== undefined && q.observed[row] === 1;
        return [{ name: v.name, survey: v.survey ?? '', value: observed ? q.values[row]! : null }];
      });
      const flags: Record<string, number | string | boolean | null> = {};
      for (const name of [
        'n_observed',
        'outside_training',
        'misspec_score',
        'misspecified',
        PRIOR_LEAKAGE_COLUMN,
      ])
        flags[name] = cell(value(name));
      const id = cell(value('source_id'));
      return {
        row,
        sourceId: id === null ? null : String(id),
        input,
        inputs: starInputs,
        parameters,
        flags,
      };
    },
    'runs.export': ({ runDir, target }) => exportSummary(runDir, target),
  };
}

/** The summary row of a source_id (a linear scan: a click, not a loop). */
function rowOfSource(table: Table, runDir: string, sourceId: string): number {
  const ids = table.getChild('source_id');
  if (ids === null) throw new Error(`${runDir}: the run has no source_id column (its input had none)`);
  for (let r = 0; r < table.numRows; r += 1) if (cell(ids.get(r)) === sourceId) return r;
  throw new Error(`${runDir}: no star with source_id ${sourceId}`);
}

/** The rows of samples.parquet that hold one input row's samples (they are written in row order). */
function sampleRowRange(table: Table | null, row: number): { start: number; end: number } | null {
  if (table === null) return null;
  const rows = table.getChild('row');
  if (rows === null) return null;
  const target = BigInt(row);
  let lo = 0;
  let hi = table.numRows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows.get(mid) as bigint) < target) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < table.numRows && (rows.get(end) as bigint) === target) end += 1;
  return end > lo ? { start: lo, end } : null;
}
