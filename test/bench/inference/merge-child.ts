// Child of bench.ts: `cradle infer merge` of part runs in a fresh process, then its time and peak
// resident set size (the merge streams one row group at a time, so the peak should not grow with stars).
import { mergePartRuns } from '../../../electron/inference/merge-parts.ts';
import { peakRssMiB } from './peak-rss.ts';

const [out, ...parts] = process.argv.slice(2) as [string, ...string[]];
const start = performance.now();
await mergePartRuns(out, parts);
const seconds = (performance.now() - start) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, maxRssMiB: peakRssMiB() })}\n`);
