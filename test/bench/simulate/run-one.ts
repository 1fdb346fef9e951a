// One benchmark run in its own process: `field` preset, N stars, W workers, output to DIR; prints a JSON
// line of figures for bench.ts.
import { parseSimulationConfig } from '../../../electron/forward/simulate/config.ts';
import { PRESETS } from '../../../electron/forward/simulate/presets.ts';
import { runSimulation } from '../../../electron/forward/simulate/pipeline.ts';
import { physicsPortSpec, sharedDataDir } from '../../../electron/forward/simulate/run.ts';
import { gaiaSplineFile } from '../../../electron/forward/survey/gaia.ts';

const [workers, stars, out] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] as string];
const started = performance.now();
let firstMs = 0;
let firstRows = 0;
let firstCpu = { user: 0, system: 0 };
const config = parseSimulationConfig({ ...PRESETS.field, stars }, 'bench');
const summary = await runSimulation({
  config,
  outDir: out,
  shards: false,
  workers,
  port: physicsPortSpec(config.physics),
  splineFile: gaiaSplineFile(sharedDataDir()),
  assetsHash: null,
  onProgress: (p) => {
    if (firstMs === 0) {
      firstMs = performance.now();
      firstRows = p.rows;
      firstCpu = process.cpuUsage();
    }
  },
});
const end = performance.now();
const cpu = process.cpuUsage();
const steadyS = (end - firstMs) / 1000;
console.log(
  JSON.stringify({
    rows: summary.rows,
    candidates: summary.candidates,
    startupS: (firstMs - started) / 1000,
    totalS: (end - started) / 1000,
    steadyS,
    rowsPerS: (summary.rows - firstRows) / steadyS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    rowsPerCpuS:
      (summary.rows - firstRows) / ((cpu.user + cpu.system - firstCpu.user - firstCpu.system) / 1e6),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
