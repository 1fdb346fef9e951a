// Child of bench.ts: one whole inference run at cheap settings, then its peak resident set size.
import { runInference } from '../../../electron/inference/run.ts';
import { peakRssMiB } from './peak-rss.ts';

const [model, input, out] = process.argv.slice(2) as [string, string, string];
await runInference({ model, input, out, samples: 4, steps: 1, solver: 'euler', cores: 2, provider: 'cpu' });
process.stdout.write(`${JSON.stringify({ maxRssMiB: peakRssMiB() })}\n`);
