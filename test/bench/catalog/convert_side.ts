// Cradle's half of the streamed-conversion benchmark (bench.py runs it): `catalog convert` of a table to
// another format, then wall seconds and this process's peak resident set size as JSON.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { convertCatalog } from '../../../electron/catalog/convert.ts';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) throw new Error('usage: convert_side.ts INPUT OUTPUT');
const t0 = performance.now();
const { rows } = await convertCatalog(input, output);
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
process.stdout.write(
  `${JSON.stringify({ rows, seconds: (performance.now() - t0) / 1000, peakMiB: Number(hwm![1]) / 1024 })}\n`,
);
