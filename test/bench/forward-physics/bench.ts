// Forward-physics benchmark: photometry (10 bands) from the BC tables for 1,000,000 stars on one thread
// and on 1 and 2 worker threads (photometry-workers.ts), XP-like spectra and LAMOST/BOSS/APOGEE-like
// spectra (2,000 stars each), with direct integration
// (SED interpolation + reddening + passband integrals per star) as the in-run reference. Prints wall
// stars/s and stars per CPU-second (process-wide CPU, all threads: the machine is shared, so wall rates
// depend on the load). `npm run bench -- forward-physics`; CRADLE_BENCH_STARS, CRADLE_BENCH_XP_STARS and
// CRADLE_BENCH_XP_THREAD_STARS (XP on 1 and 2 workers, default 200,000) change the sizes.
import { availableParallelism, loadavg } from 'node:os';
import { BANDS } from '../../../electron/forward/physics/bands.ts';
import {
  bcTable,
  DirectPhotometry,
  type PhotometryBatch,
} from '../../../electron/forward/physics/bc-tables.ts';
import { PhotometryWorkers, sharedXpRows } from '../../../electron/forward/physics/photometry-workers.ts';
import { SURVEYS, SurveySpectraModel } from '../../../electron/forward/physics/survey-spectra.ts';
import { XP_N, XpBatchModel } from '../../../electron/forward/physics/xp.ts';

const N = Number(process.env['CRADLE_BENCH_STARS'] ?? 1_000_000);
const N_XP = Number(process.env['CRADLE_BENCH_XP_STARS'] ?? N);
const N_DIRECT = 5_000;
const N_SURVEY = 2_000;
const N_XP_THREADS = Math.min(N_XP, Number(process.env['CRADLE_BENCH_XP_THREAD_STARS'] ?? 200_000));
const XP_CHUNK = 10_000;

let seed = 20261126;
const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;

function population(n: number): PhotometryBatch {
  const col = (f: () => number): Float64Array => Float64Array.from({ length: n }, f);
  return {
    teff: col(() => 10 ** (Math.log10(3000) + rnd() * Math.log10(10))),
    logg: col(() => 3.5 + rnd() * 1.5),
    mh: col(() => -1.5 + rnd() * 1.8),
    logL: col(() => -1.5 + rnd() * 3),
    av: col(() => rnd() * 5),
    rv: col(() => 2.5 + rnd() * 2.5),
    distancePc: col(() => 50 + rnd() * 3000),
  };
}

/** wall seconds; CPU seconds of this process (all threads) go to `cpu` (the machine is shared) */
let cpu = 0;
function seconds(f: () => void): number {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const c = process.cpuUsage(c0);
  cpu = (c.user + c.system) / 1e6;
  return (performance.now() - t0) / 1000;
}

async function secondsAsync(f: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const c = process.cpuUsage(c0);
  cpu = (c.user + c.system) / 1e6;
  return (performance.now() - t0) / 1000;
}

const load = (): string => loadavg()[0]!.toFixed(1);

const stars = population(N);
console.log(`machine: ${availableParallelism()} logical CPUs; node ${process.version}`);

let table: ReturnType<typeof bcTable> | undefined;
const build = seconds(() => (table = bcTable('kurucz', 'G23')));
if (!table) throw new Error('no table');
console.log(
  `BC table (kurucz, G23) build: ${build.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${((table.values.length * 4) / 1e6).toFixed(1)} MB`,
);

const built = table;
const tPhot = seconds(() => built.photometry(stars));
const photRate = N / tPhot;
const photCpuRate = N / cpu;
console.log(
  `photometry from tables, one thread, ${N} stars x ${BANDS.length} bands: ${tPhot.toFixed(2)} s = ${Math.round(photRate)} stars/s (${Math.round(photCpuRate)} per CPU-second); load ${load()}`,
);

const reference = built.photometry(stars);
for (const workers of [1, 2]) {
  let pool: PhotometryWorkers | undefined;
  const tStart = await secondsAsync(async () => (pool = await PhotometryWorkers.start(built, workers)));
  if (!pool) throw new Error('no pool');
  const started = pool;
  console.log(`${workers} worker(s): start ${tStart.toFixed(2)} s`);
  for (let run = 1; run <= 3; run++) {
    let result: Awaited<ReturnType<PhotometryWorkers['photometry']>> | undefined;
    const t = await secondsAsync(async () => (result = await started.photometry(stars)));
    const same =
      result !== undefined &&
      BANDS.every((b) => result?.mags[b].every((v, i) => Object.is(v, reference.mags[b][i])));
    console.log(
      `  run ${run}: ${t.toFixed(2)} s = ${Math.round(N / t)} stars/s wall (${Math.round(N / cpu)} per CPU-second, CPU/wall ${(cpu / t).toFixed(2)}); load ${load()}; equal to one thread: ${same}`,
    );
  }
  await started.close();
}

const direct = new DirectPhotometry('kurucz', 'G23');
const out = new Float64Array(BANDS.length);
const tDirect = seconds(() => {
  for (let s = 0; s < N_DIRECT; s++) {
    direct.bc(
      stars.teff[s] as number,
      stars.logg[s] as number,
      stars.mh[s] as number,
      stars.av[s] as number,
      stars.rv[s] as number,
      out,
    );
  }
});
const directRate = N_DIRECT / tDirect;
const directCpuRate = N_DIRECT / cpu;
console.log(
  `direct integration (reference), ${N_DIRECT} stars: ${Math.round(directRate)} stars/s (${Math.round(directCpuRate)} per CPU-second); tables are ${(photCpuRate / directCpuRate).toFixed(0)}x faster per CPU-second`,
);

const xp = new XpBatchModel('kurucz', 'G23');
const flux = new Float32Array(XP_CHUNK * XP_N);
const err = new Float32Array(XP_CHUNK * XP_N);
const tXp = seconds(() => {
  for (let start = 0; start < N_XP; start += XP_CHUNK) {
    const end = Math.min(N_XP, start + XP_CHUNK);
    const view = Object.fromEntries(
      Object.entries(stars).map(([k, v]) => [k, (v as Float64Array).subarray(start, end)]),
    ) as unknown as PhotometryBatch;
    xp.run(view, flux, err);
  }
});
const xpCpuRate = N_XP / cpu;
console.log(
  `XP-like spectra (${XP_N} samples + errors), ${N_XP} stars: ${tXp.toFixed(2)} s = ${Math.round(N_XP / tXp)} stars/s (${Math.round(xpCpuRate)} per CPU-second); load ${load()}`,
);
console.log(
  `photometry + XP: ${Math.round(1 / (1 / photRate + 1 / (N_XP / tXp)))} stars/s, ${Math.round(1 / (1 / photCpuRate + 1 / xpCpuRate))} per CPU-second (target for photometry alone: >= 500000 stars/s on 2 cores)`,
);

// XP on worker threads, in shared 10,000-star chunks (the same spectra as above, bit for bit: unit test)
const sharedStars = Object.fromEntries(
  Object.entries(stars).map(([k, v]) => {
    const c = new Float64Array(new SharedArrayBuffer(N_XP_THREADS * 8));
    c.set((v as Float64Array).subarray(0, N_XP_THREADS));
    return [k, c];
  }),
) as unknown as PhotometryBatch;
for (const workers of [1, 2]) {
  const pool = await PhotometryWorkers.start(built, workers);
  const f = sharedXpRows(XP_CHUNK);
  const e = sharedXpRows(XP_CHUNK);
  const t = await secondsAsync(async () => {
    for (let start = 0; start < N_XP_THREADS; start += XP_CHUNK) {
      const end = Math.min(N_XP_THREADS, start + XP_CHUNK);
      const view = Object.fromEntries(
        Object.entries(sharedStars).map(([k, v]) => [k, (v as Float64Array).subarray(start, end)]),
      ) as unknown as PhotometryBatch;
      await pool.xp(view, f, e);
    }
  });
  console.log(
    `XP-like spectra on ${workers} worker(s), ${N_XP_THREADS} stars: ${t.toFixed(2)} s = ${Math.round(N_XP_THREADS / t)} stars/s wall (${Math.round(N_XP_THREADS / cpu)} per CPU-second, CPU/wall ${(cpu / t).toFixed(2)}); load ${load()}`,
  );
  await pool.close();
}

// survey-like spectra (noise-free flux, errors and a noisy draw), stars inside the library's 2000-7000 K
for (const survey of Object.keys(SURVEYS) as (keyof typeof SURVEYS)[]) {
  let model: SurveySpectraModel | undefined;
  const tBuild = seconds(() => (model = new SurveySpectraModel(survey)));
  if (!model) throw new Error('no survey model');
  const built = model;
  const cool = Object.fromEntries(
    Object.entries(stars).map(([k, v]) => [k, (v as Float64Array).slice(0, N_SURVEY)]),
  ) as unknown as PhotometryBatch;
  cool.teff.forEach((t, i) => (cool.teff[i] = 3000 + (t % 4000)));
  const size = N_SURVEY * built.pixels;
  const out = { flux: new Float32Array(size), error: new Float32Array(size), noisy: new Float32Array(size) };
  const t = seconds(() => built.run(cool, out, rnd));
  console.log(
    `${survey} spectra (${built.pixels} pixels, flux + error + noisy), ${N_SURVEY} stars: build ${tBuild.toFixed(2)} s, ${Math.round(N_SURVEY / t)} stars/s (${Math.round(N_SURVEY / cpu)} per CPU-second)`,
  );
}
