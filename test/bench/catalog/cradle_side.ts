// Cradle's half of the catalog benchmark (bench.py runs it): read a table, build model inputs for the
// Gaia variables, print wall and CPU (user + system of this process) seconds as JSON.
import { performance } from 'node:perf_hooks';
import { buildModelInputs } from '../../../electron/catalog/model-inputs.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';

const VARIABLES = ['gaia.g', 'gaia.bp', 'gaia.rp', 'gaia.parallax', 'pmra', 'pmdec'];

const file = process.argv[2];
if (file === undefined) throw new Error('usage: cradle_side.ts FILE');
const cpuSeconds = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1e6;
const t0 = performance.now();
const c0 = process.cpuUsage();
const { table } = await readCatalog(file);
const t1 = performance.now();
const c1 = process.cpuUsage();
const inputs = buildModelInputs(table, VARIABLES);
const t2 = performance.now();
const c2 = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({
    rows: table.numRows,
    readSeconds: (t1 - t0) / 1000,
    inputsSeconds: (t2 - t1) / 1000,
    readCpuSeconds: cpuSeconds(c1) - cpuSeconds(c0),
    inputsCpuSeconds: cpuSeconds(c2) - cpuSeconds(c1),
    observed: Object.fromEntries(inputs.variables.map((v) => [v.name, v.observedCount])),
  })}\n`,
);
