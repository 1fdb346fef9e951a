// A run folder of the demo sky made without a trained model, so the Galaxy and Star views' run paths
// can be driven end to end before a stellar model ships: posterior samples drawn around the simulated
// truth (log age ± 0.15 dex, mass and distance ± 5%, A_V ± 0.05 mag, [M/H] ± 0.1 dex, each star's draws
// offset from the truth by one width so medians scatter like real posteriors), summarised the way the
// engine summarises (electron/inference/summary.ts), with a stand-in model folder whose card names the
// stellar variables (the toy model's graphs: runs.star reads the card, never runs it).
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeVector, type Table, type Vector } from 'apache-arrow';
import { readParquet, writeParquet } from '../../electron/catalog/parquet.ts';
import { buildTable } from '../../electron/catalog/table.ts';
import {
  RUN_FORMAT,
  SAMPLES_FILE,
  SUMMARY_FILE,
  writeRunRecord,
} from '../../electron/inference/run-folder.ts';
import { quantileSorted, YOUNG_COLUMN, YOUNG_LOG_AGE } from '../../electron/inference/summary.ts';
import { repoRoot } from './harness.ts';

const SAMPLES = 32;
const STAND_IN_NAME = 'stand-in-stellar';
const WIDTHS: Record<string, (truth: number) => number> = {
  log_age: () => 0.15,
  mass_init: (m) => 0.05 * m,
  distance_pc: (d) => 0.05 * d,
  av: () => 0.05,
  mh: () => 0.1,
};

function numbers(table: Table, name: string): Float64Array {
  const vector = table.getChild(name);
  if (vector === null) throw new Error(`demo truth: no column ${name}`);
  return Float64Array.from(vector.toArray() as ArrayLike<number>, Number);
}

function tableOf(columns: Record<string, Vector>): Table {
  return buildTable(Object.entries(columns).map(([name, vector]) => ({ name, vector, info: {} })));
}

/**
 * A model folder whose card names stellar variables (log_age, mass_init; Gaia G, BP, RP) around the toy
 * model's graphs: enough for runs.star, which reads the card and never runs the graphs.
 */
export function writeStandInModel(modelDir: string): void {
  mkdirSync(modelDir, { recursive: true });
  const toy = join(repoRoot, 'native-models', 'models', 'toy-gaussian');
  for (const file of ['context.onnx', 'velocity.onnx']) cpSync(join(toy, file), join(modelDir, file));
  const card = JSON.parse(readFileSync(join(toy, 'card.json'), 'utf8')) as {
    name: string;
    variables: { name: string; survey: string | null }[];
  };
  const names: Record<string, string> = {
    theta_0: 'log_age',
    theta_1: 'mass_init',
    x_0: 'gaia.g',
    x_1: 'gaia.bp',
    x_2: 'gaia.rp',
  };
  card.name = STAND_IN_NAME;
  for (const v of card.variables) {
    v.name = names[v.name] ?? v.name;
    if (v.name.startsWith('gaia.')) v.survey = 'gaia';
  }
  writeFileSync(join(modelDir, 'card.json'), JSON.stringify(card));
}

/** Writes `<out>/model` (stand-in card) and `<out>/run` for the demo sky in `demoDir`; returns the run. */
export async function writeDemoRun(demoDir: string, out: string): Promise<string> {
  const truth = (await readParquet(join(demoDir, 'truth.parquet'))).table;
  const catalog = (await readParquet(join(demoDir, 'catalog.parquet'))).table;
  const n = truth.numRows;
  const modelDir = join(out, 'model');
  const runDir = join(out, 'run');
  mkdirSync(runDir, { recursive: true });
  writeStandInModel(modelDir);

  let seed = 20261126;
  const uniform = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const gauss = (): number => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const summary: Record<string, Vector> = {
    row: makeVector(BigInt64Array.from({ length: n }, (_, i) => BigInt(i))),
    source_id: makeVector(catalog.getChild('source_id')!.toArray() as BigInt64Array),
  };
  const samples: Record<string, Vector> = {
    row: makeVector(BigInt64Array.from({ length: n * SAMPLES }, (_, k) => BigInt(Math.floor(k / SAMPLES)))),
    sample: makeVector(Int32Array.from({ length: n * SAMPLES }, (_, k) => k % SAMPLES)),
  };
  const young = new Float64Array(n);
  for (const [name, width] of Object.entries(WIDTHS)) {
    const values = numbers(truth, name);
    const drawn = new Float32Array(n * SAMPLES);
    const stats = new Map(
      ['mean', 'median', 'std', 'p2_5', 'p16', 'p84', 'p97_5'].map((s) => [s, new Float64Array(n)]),
    );
    const sorted = new Float64Array(SAMPLES);
    for (let i = 0; i < n; i++) {
      const w = width(values[i]!);
      const offset = w * gauss();
      for (let s = 0; s < SAMPLES; s++) {
        let x = values[i]! + offset + w * gauss();
        if (name === 'av') x = Math.max(x, 0);
        drawn[i * SAMPLES + s] = x;
        sorted[s] = drawn[i * SAMPLES + s]!;
      }
      sorted.sort();
      const mean = sorted.reduce((a, b) => a + b, 0) / SAMPLES;
      stats.get('mean')![i] = mean;
      stats.get('std')![i] = Math.sqrt(sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / SAMPLES);
      for (const [stat, q] of [
        ['median', 0.5],
        ['p2_5', 0.025],
        ['p16', 0.16],
        ['p84', 0.84],
        ['p97_5', 0.975],
      ] as const)
        stats.get(stat)![i] = quantileSorted(sorted, q);
      if (name === 'log_age') young[i] = sorted.filter((x) => x < YOUNG_LOG_AGE).length / SAMPLES;
    }
    samples[name] = makeVector(drawn);
    for (const [stat, column] of stats) summary[`${name}_${stat}`] = makeVector(column);
  }
  summary[YOUNG_COLUMN] = makeVector(young);
  await writeParquet(tableOf(summary), join(runDir, SUMMARY_FILE));
  await writeParquet(tableOf(samples), join(runDir, SAMPLES_FILE));
  const input = join(demoDir, 'catalog.parquet');
  const stat = statSync(input);
  const now = new Date().toISOString();
  await writeRunRecord(runDir, {
    format: RUN_FORMAT,
    model: { name: STAND_IN_NAME, card_sha256: '', graphs_sha256: '' },
    input: { file: input, hdu: null, size: stat.size, mtime_ms: stat.mtimeMs, rows: n, mapping: {} },
    settings: {
      samples: SAMPLES,
      steps: 0,
      solver: 'heun',
      time_grid: 'uniform',
      final_euler: false,
      seed: 0,
      chunk_rows: n,
      keep_samples: true,
    },
    status: 'complete',
    model_dir: modelDir,
    provider: 'none (synthetic posteriors)',
    provider_notes: [],
    workers: 0,
    threads_per_worker: 0,
    versions: {},
    started: now,
    ended: now,
    chunks: { total: 1, done: 1 },
    stars: { total: n, done: n },
    elapsed_s: 0,
    stars_per_s: null,
    columns: Object.fromEntries(Object.keys(WIDTHS).map((p) => [`${p}_*`, 'synthetic: truth ± width'])),
    message: null,
  });
  return runDir;
}
