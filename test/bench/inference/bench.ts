// Inference benchmark (`npm run bench -- inference`): stars per second of the engine on this
// machine's cores at the shipped default model's card settings (solver, steps, samples), against the
// same model and sampler in PyTorch (torch_peer.py) in the same script — the same per-star work as the
// exported graph, and for reference the trained network's one-row-per-sample layout; scaling with
// batch size and workers; peak memory against the number of stars; projected times for 1M and 1B stars;
// joining part runs (`--part`, `cradle infer merge`) against pyarrow concatenating the same files.
// Models are random-weight Simformers at the `tiny` and `small` preset sizes (make_model.py).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { runInference } from '../../../electron/inference/run.ts';
import type { InferOptions } from '../../../electron/inference/run.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..', '..');
const python = join(root, 'native-models', '.venv', 'bin', 'python');
const work = mkdtempSync(join(tmpdir(), 'cradle-bench-inference-'));
const cores = Math.min(2, availableParallelism());

function sh(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function makeModel(size: 'tiny' | 'small', params: number, observables: number): string {
  const dir = join(work, `model-${size}`);
  sh(python, [join(here, 'make_model.py'), dir, size, String(params), String(observables)]);
  return dir;
}

function makeInput(name: string, stars: number, observables: number): string {
  const lines = [
    ['source_id', ...Array.from({ length: observables }, (_, i) => `o${i},o${i}_err`)].join(','),
  ];
  let seed = 1;
  const rand = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 2 - 1;
  for (let r = 0; r < stars; r += 1) {
    const cells = [String(r + 1)];
    for (let i = 0; i < observables; i += 1)
      cells.push(rand().toFixed(4), (0.2 + Math.abs(rand()) * 0.2).toFixed(3));
    lines.push(cells.join(','));
  }
  const file = join(work, `${name}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

interface Rate {
  /** Stars per wall-clock second. */
  wall: number;
  /** Stars per CPU-second of the process (all its threads) × the cores: the rate on idle cores. */
  cpu: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function timedRun(
  model: string,
  input: string,
  options: Partial<InferOptions>,
): Promise<{ cpu: number; wall: number }> {
  const out = join(work, `run-${Math.random().toString(36).slice(2)}`);
  const before = process.cpuUsage();
  const result = await runInference({
    model,
    input,
    out,
    cores,
    chunkRows: 1 << 20,
    provider: 'cpu',
    ...options,
  });
  const cpu = cpuSeconds(before);
  rmSync(out, { recursive: true, force: true });
  return { cpu, wall: result.starsPerS ?? 0 };
}

/**
 * The engine's steady rate: the CPU of a run of `stars` less that of the same run on `startup` (2
 * stars: the fixed cost of loading the engine into each worker and opening its sessions), like the
 * PyTorch peer, which times its sampling loop only. The wall rate counts the sampling phase only.
 */
async function engine(
  model: string,
  input: string,
  startup: string,
  stars: number,
  options: Partial<InferOptions>,
): Promise<Rate> {
  const fixed = await timedRun(model, startup, { ...options, chunkRows: 1 });
  const run = await timedRun(model, input, options);
  return { wall: run.wall, cpu: ((stars - 2) * cores) / Math.max(run.cpu - fixed.cpu, 1e-3) };
}

function torch(model: string, stars: number, threads: number, layout: 'stars' | 'rows'): Rate {
  const args = [join(here, 'torch_peer.py'), model, String(stars), String(threads), '64', layout];
  const out = JSON.parse(sh(python, args)) as { stars_per_s: number; cpu_seconds: number };
  return { wall: out.stars_per_s, cpu: (stars * cores) / out.cpu_seconds };
}

function memoryRun(model: string, input: string): number {
  const script = join(here, 'memory-child.ts');
  const out = join(work, `mem-${Math.random().toString(36).slice(2)}`);
  const line = sh(process.execPath, ['--import', 'tsx', script, model, input, out]);
  rmSync(out, { recursive: true, force: true });
  return (JSON.parse(line) as { maxRssMiB: number }).maxRssMiB;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const hours = (stars: number, rate: number): string => {
  const s = stars / rate;
  return s < 3600 * 48 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86400).toFixed(0)} d`;
};

const defaults = (
  JSON.parse(readFileSync(join(root, 'native-models', 'models', 'cradle-small', 'card.json'), 'utf8')) as {
    sampler: {
      solver: string;
      steps: number;
      samples_per_star: number;
      time_grid?: { kind: string; exponent?: number };
      final_euler?: boolean;
    };
  }
).sampler;
const grid =
  defaults.time_grid?.kind === 'power' ? `power-${defaults.time_grid.exponent} grid` : 'uniform grid';
console.log(
  `cores: ${cores}; card defaults (cradle-small): ${defaults.solver}, ${defaults.steps} steps on a ${grid}${defaults.final_euler === true ? ', final Euler step' : ''}, ${defaults.samples_per_star} samples; load average at start: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
const tiny = makeModel('tiny', 2, 3);
const small = makeModel('small', 5, 11);
const tinyInput = makeInput('tiny', 256, 3);
const scalingInput = makeInput('scaling', 128, 3);
// 256 stars (4 chunks of 64): with 32, per-chunk and per-run overheads dominated the wall clock.
const smallInput = makeInput('small', 256, 11);
const tinyStartup = makeInput('tiny-startup', 2, 3);
const smallStartup = makeInput('small-startup', 2, 11);

console.log(
  '\nstars/s: wall clock (sampling phase), and [per CPU-second × cores] (the steady rate on idle cores, start-up excluded; the machine is shared)',
);
console.log(
  '| model | engine, 2 workers × 1 thread | PyTorch same work, 1 thread | ratio (CPU) | PyTorch same work, 2 threads | ratio (wall) | PyTorch one row per sample, 1 thread | ratio (CPU) | 1M stars | 1B stars |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, model, input, startup, stars] of [
  ['tiny (width 32, 1+2 layers; 3 obs → 2 params)', tiny, tinyInput, tinyStartup, 256],
  ['small (width 64, 2+2 layers; 11 obs → 5 params)', small, smallInput, smallStartup, 256],
] as const) {
  const ours = await engine(model, input, startup, stars, { workers: 2, chunkRows: stars / 4 });
  const peer = torch(model, stars, 1, 'stars');
  const peer2 = torch(model, stars / 4, 2, 'stars');
  const rows = torch(model, stars / 4, 1, 'rows');
  const cells = [
    `${fmt(ours.wall)} [${fmt(ours.cpu)}]`,
    `${fmt(peer.wall)} [${fmt(peer.cpu)}]`,
    (ours.cpu / peer.cpu).toFixed(2),
    `${fmt(peer2.wall)} [${fmt(peer2.cpu)}]`,
    (ours.wall / peer2.wall).toFixed(2),
    `${fmt(rows.wall)} [${fmt(rows.cpu)}]`,
    (ours.cpu / rows.cpu).toFixed(2),
    hours(1e6, ours.cpu),
    hours(1e9, ours.cpu),
  ];
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}

console.log(
  '\nBatch size (rows = stars × samples per velocity run), tiny model, 1 worker × 1 thread (CPU column: per CPU-second × 2 cores):',
);
console.log('| max rows per run | stars/s [CPU] |');
console.log('|---:|---:|');
for (const rows of [1024, 4096, 8192, 16384]) {
  const rate = await engine(tiny, scalingInput, tinyStartup, 128, {
    workers: 1,
    cores: 1,
    maxBatchRows: rows,
  });
  console.log(`| ${rows} | ${fmt(rate.wall)} [${fmt(rate.cpu)}] |`);
}

console.log('\nWorkers × intra-op threads, tiny model (CPU column: per CPU-second × 2 cores):');
console.log('| workers × threads | stars/s [CPU] |');
console.log('|---|---:|');
for (const [workers, threads] of [
  [1, 1],
  [1, 2],
  [2, 1],
] as const) {
  const rate = await engine(tiny, scalingInput, tinyStartup, 128, {
    workers,
    cores: workers * threads,
    chunkRows: 32,
  });
  console.log(`| ${workers} × ${threads} | ${fmt(rate.wall)} [${fmt(rate.cpu)}] |`);
}

console.log(
  '\nPeak resident memory of a whole run (tiny model, 4 samples, 1 Euler step, 4096-star chunks, 2 workers): the input read a chunk at a time (Parquet: row groups of 65,536 stars; CSV: parsed into batch files of 65,536 stars in the run folder):',
);
console.log('| stars | Parquet peak RSS MiB | CSV peak RSS MiB |');
console.log('|---:|---:|---:|');
const memoryPeaks: Record<string, number[]> = { parquet: [], csv: [] };
for (const stars of [10_000, 100_000, 1_000_000]) {
  const csv = makeInput(`mem${stars}`, stars, 3);
  const parquet = join(work, `mem${stars}.parquet`);
  await writeParquet((await readCatalog(csv)).table, parquet);
  memoryPeaks.parquet!.push(memoryRun(tiny, parquet));
  memoryPeaks.csv!.push(memoryRun(tiny, csv));
  console.log(`| ${stars} | ${fmt(memoryPeaks.parquet!.at(-1)!)} | ${fmt(memoryPeaks.csv!.at(-1)!)} |`);
}
for (const [format, peaks] of Object.entries(memoryPeaks))
  console.log(`${format}: peak at 1M / 10k stars = ${(peaks[2]! / peaks[0]!).toFixed(2)}`);
console.log(
  '\nJoining part runs (`cradle infer merge`, fresh process) against pyarrow concatenating the same part summaries row group by row group (tiny model, 4 samples, 1 Euler step, 4 parts):',
);
console.log(
  '| stars | engine merge s | engine peak RSS MiB | pyarrow s | pyarrow peak RSS MiB | time ratio |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const stars of [100_000, 400_000]) {
  const input = makeInput(`merge${stars}`, stars, 3);
  const parts = [];
  for (const index of [1, 2, 3, 4]) {
    const out = join(work, `part-${stars}-${index}`);
    await runInference({
      model: tiny,
      input,
      out,
      samples: 4,
      steps: 1,
      solver: 'euler',
      cores,
      provider: 'cpu',
      part: { index, count: 4 },
    });
    parts.push(out);
  }
  const ours = JSON.parse(
    sh(process.execPath, [
      '--import',
      'tsx',
      join(here, 'merge-child.ts'),
      join(work, `merged-${stars}`),
      ...parts,
    ]),
  ) as { seconds: number; maxRssMiB: number };
  const peer = JSON.parse(
    sh(python, [
      join(here, 'merge_peer.py'),
      join(work, `peer-${stars}.parquet`),
      ...parts.map((p) => join(p, 'summary.parquet')),
    ]),
  ) as { seconds: number; maxRssMiB: number };
  console.log(
    `| ${stars} | ${ours.seconds.toFixed(2)} | ${fmt(ours.maxRssMiB)} | ${peer.seconds.toFixed(2)} | ${fmt(peer.maxRssMiB)} | ${(ours.seconds / peer.seconds).toFixed(2)} |`,
  );
  for (const dir of [...parts, join(work, `merged-${stars}`)]) rmSync(dir, { recursive: true, force: true });
}
console.log(
  `\nload average at end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
