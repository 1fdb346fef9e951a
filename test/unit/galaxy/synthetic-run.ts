// A run folder made without a model, for the Galaxy view's run tests: an input catalogue (Gaia-style
// columns) and a summary.parquet whose posterior summaries are the truth ± stated widths, with the
// run.json that points one at the other. Written by the tests themselves, never committed.
import { mkdir } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { makeVector, type Vector } from 'apache-arrow';
import { writeParquet } from '../../../electron/catalog/parquet.ts';
import { buildTable } from '../../../electron/catalog/table.ts';
import {
  RUN_FORMAT,
  SUMMARY_FILE,
  writeRunRecord,
  type RunRecord,
} from '../../../electron/inference/run-folder.ts';

export interface SyntheticStar {
  sourceId: bigint;
  raDeg: number;
  decDeg: number;
  parallaxMas: number;
  parallaxErrorMas: number;
  g: number;
  bp: number;
  rp: number;
  /** Posterior summaries: [p2.5, p16, median, p84, p97.5]; distance may be absent (the model has none). */
  logAge: [number, number, number, number, number];
  distancePc?: [number, number, number, number, number];
}

function table(columns: Record<string, Vector>) {
  return buildTable(Object.entries(columns).map(([name, vector]) => ({ name, vector, info: {} })));
}

/** Writes `<dir>/input.parquet` and the run folder `<dir>/run`; returns the run folder. */
export async function writeSyntheticRun(
  dir: string,
  stars: SyntheticStar[],
  options: { youngColumn?: number[]; outsideColumn?: number[]; modelDir?: string } = {},
): Promise<string> {
  const input = join(dir, 'input.parquet');
  const runDir = join(dir, 'run');
  await mkdir(runDir, { recursive: true });
  const f64 = (pick: (s: SyntheticStar) => number): Vector => makeVector(Float64Array.from(stars, pick));
  await writeParquet(
    table({
      source_id: makeVector(BigInt64Array.from(stars, (s) => s.sourceId)),
      ra: f64((s) => s.raDeg),
      dec: f64((s) => s.decDeg),
      parallax: f64((s) => s.parallaxMas),
      parallax_error: f64((s) => s.parallaxErrorMas),
      phot_g_mean_mag: f64((s) => s.g),
      phot_bp_mean_mag: f64((s) => s.bp),
      phot_rp_mean_mag: f64((s) => s.rp),
    }),
    input,
  );
  const summary: Record<string, Vector> = {
    row: makeVector(BigInt64Array.from(stars, (_, i) => BigInt(i))),
    source_id: makeVector(BigInt64Array.from(stars, (s) => s.sourceId)),
  };
  const stats = ['p2_5', 'p16', 'median', 'p84', 'p97_5'];
  const parameters = stars.some((s) => s.distancePc !== undefined) ? ['log_age', 'distance_pc'] : ['log_age'];
  for (const name of parameters)
    stats.forEach((stat, k) => {
      summary[`${name}_${stat}`] = f64((s) =>
        name === 'log_age' ? s.logAge[k]! : (s.distancePc?.[k] ?? Number.NaN),
      );
    });
  if (options.youngColumn !== undefined)
    summary['p_age_lt_50myr'] = makeVector(Float64Array.from(options.youngColumn));
  if (options.outsideColumn !== undefined)
    summary['outside_training'] = makeVector(Uint8Array.from(options.outsideColumn));
  await writeParquet(table(summary), join(runDir, SUMMARY_FILE));
  const stat = statSync(input);
  const record: RunRecord = {
    format: RUN_FORMAT,
    model: { name: 'synthetic', card_sha256: '', graphs_sha256: '' },
    input: {
      file: input,
      hdu: null,
      size: stat.size,
      mtime_ms: stat.mtimeMs,
      rows: stars.length,
      mapping: {},
    },
    settings: {
      samples: 0,
      steps: 0,
      solver: 'heun',
      time_grid: 'uniform',
      final_euler: false,
      seed: 0,
      chunk_rows: stars.length,
      keep_samples: false,
    },
    status: 'complete',
    model_dir: options.modelDir ?? '',
    provider: 'none',
    provider_notes: [],
    workers: 0,
    threads_per_worker: 0,
    versions: {},
    started: new Date(0).toISOString(),
    ended: new Date(0).toISOString(),
    chunks: { total: 1, done: 1 },
    stars: { total: stars.length, done: stars.length },
    elapsed_s: 0,
    stars_per_s: null,
    columns: Object.fromEntries(parameters.map((p) => [`${p}_*`, 'synthetic summaries'])),
    message: null,
  };
  await writeRunRecord(runDir, record);
  return runDir;
}
