// `cradle infer`: posteriors for every star of a table from a model (a folder or a shipped name) into a
// run folder, with progress (rate, ETA) on stderr and the result as JSON on stdout; Ctrl-C stops after
// the chunks in flight and `--resume` continues. `cradle infer export RUN FILE` writes the summary as
// FITS, CSV, ECSV, VOTable or Parquet. `--part K/N` runs one row range of the input (an array job on a
// cluster) and `cradle infer merge OUT PART...` joins the parts into one run folder.
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { formatForOutput } from '../../catalog/read.ts';
import { ProgressMeter } from '../../jobs/progress.ts';
import { WORKERS_PER_CORE, mostWorkers } from '../../jobs/worker-limit.ts';
import { exportSummary } from '../../inference/export.ts';
import { mergePartRuns } from '../../inference/merge-parts.ts';
import { runInference } from '../../inference/run.ts';
import type { InferOptions } from '../../inference/run.ts';
import { PROVIDERS } from '../../inference/sessions.ts';
import type { ProviderChoice } from '../../inference/sessions.ts';

function wholeNumber(name: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`);
    return value;
  };
}

function workerCount(text: string): number {
  const value = wholeNumber('--workers', 1)(text);
  if (value > mostWorkers())
    throw new InvalidArgumentError(
      `--workers must be at most ${mostWorkers()} (${WORKERS_PER_CORE} per core)`,
    );
  return value;
}

/** `--part K/N`: part K (from 1) of N. */
function partOf(text: string): { index: number; count: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || index < 1 || index > count)
    throw new InvalidArgumentError(`--part wants K/N with 1 ≤ K ≤ N (e.g. 3/10), got '${text}'`);
  return { index, count };
}

/** Collects repeated `--given NAME=VALUE` into { NAME: VALUE } (VALUE: a number, column or expression). */
function collectGiven(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = text.indexOf('=');
  const name = at < 0 ? '' : text.slice(0, at).trim();
  const value = at < 0 ? '' : text.slice(at + 1).trim();
  if (name === '' || value === '')
    throw new InvalidArgumentError(`--given wants NAME=VALUE (e.g. mh=0.03 or mh=fe_h), got '${text}'`);
  if (name in previous) throw new InvalidArgumentError(`--given ${name} is given twice`);
  return { ...previous, [name]: value };
}

interface InferFlags {
  model?: string;
  input: string;
  hdu?: number;
  mapping?: string;
  given?: Record<string, string>;
  out: string;
  samples?: number;
  steps?: number;
  solver?: 'euler' | 'heun' | 'midpoint';
  provider: ProviderChoice;
  resume?: boolean;
  seed?: number;
  chunkRows?: number;
  workers?: number;
  cores?: number;
  keepSamples?: boolean;
  part?: { index: number; count: number };
  export?: string[];
  quiet?: boolean;
}

function formatEta(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function registerInferCommand(program: Command): void {
  const infer = program
    .command('infer')
    .description('posteriors for every star of a table, into a run folder (summary.parquet, run.json)')
    .option('--input <file>', 'input table (FITS, CSV/TSV, ECSV, VOTable, Parquet, CDS)')
    .option('--out <dir>', 'run folder to write (or to resume)')
    .option(
      '--model <name|path>',
      'model folder or shipped model name (default: package.json cradle.defaultModel, cradle-small)',
    )
    .option(
      '--hdu <n>',
      'FITS: the table HDU (default 1); VOTable: the TABLE, from 0 (default 0)',
      wholeNumber('--hdu', 0),
    )
    .option('--mapping <file>', 'JSON mapping of model inputs to columns: { "gaia.g": "Gmag", … }')
    .option(
      '--given <name=value>',
      "condition on a parameter instead of inferring it: a number, column or expression in the card's unit " +
        '(repeatable; e.g. --given mh=0.03)',
      collectGiven,
    )
    .option('--samples <n>', "posterior samples per star (default: the card's)", wholeNumber('--samples', 1))
    .option('--steps <n>', "ODE steps (default: the card's)", wholeNumber('--steps', 1))
    .addOption(
      new Option('--solver <name>', "ODE solver (default: the card's)").choices([
        'euler',
        'heun',
        'midpoint',
      ]),
    )
    .addOption(new Option('--provider <name>', 'execution provider').choices([...PROVIDERS]).default('auto'))
    .option('--resume', 'continue a stopped run in --out')
    .option('--seed <n>', 'random seed (default 0)', wholeNumber('--seed', 0))
    .option('--chunk-rows <n>', 'stars per checkpointed chunk (default 4096)', wholeNumber('--chunk-rows', 1))
    .option('--workers <n>', 'parallel workers (default: one per core, at most one per chunk)', workerCount)
    .option('--cores <n>', 'cores to use in all (default: all)', wholeNumber('--cores', 1))
    .option('--keep-samples', 'also write samples.parquet')
    .option(
      '--part <k/n>',
      'only part K (from 1) of N equal row ranges, e.g. one array job of a cluster; join the parts with cradle infer merge',
      partOf,
    )
    .option('--export <file...>', 'when complete, also export the summary (.fits, .csv, .parquet, …)')
    .option('--quiet', 'no progress on stderr')
    .action(async (flags: Partial<InferFlags>) => {
      // Checked here, not by commander, so that `cradle infer export` does not need them.
      if (!flags.input || !flags.out)
        throw new Error('infer needs --input FILE and --out DIR (see cradle infer --help)');
      // Before the run, not after hours of it (its folder may be the run's own, made by the run).
      for (const file of flags.export ?? []) formatForOutput(file);
      const options: InferOptions = {
        input: flags.input,
        out: flags.out,
        provider: flags.provider ?? 'auto',
        resume: flags.resume ?? false,
        keepSamples: flags.keepSamples ?? false,
      };
      for (const key of [
        'model',
        'hdu',
        'mapping',
        'given',
        'samples',
        'steps',
        'solver',
        'seed',
        'chunkRows',
        'workers',
        'cores',
        'part',
      ] as const) {
        if (flags[key] !== undefined) (options as unknown as Record<string, unknown>)[key] = flags[key];
      }
      const controller = new AbortController();
      const onSigint = (): void => {
        process.stderr.write('cradle infer: stopping after the chunks in flight (resume with --resume)\n');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      const meter = new ProgressMeter('stars');
      let lastPrint = 0;
      try {
        const result = await runInference(options, {
          signal: controller.signal,
          log: (message) => process.stderr.write(`cradle infer: ${message}\n`),
          progress: (done, total) => {
            const p = meter.update(done, total);
            const now = Date.now();
            if (flags.quiet || (now - lastPrint < 1000 && done < total)) return;
            lastPrint = now;
            process.stderr.write(
              `cradle infer: ${done}/${total} stars, ${p.rate.toFixed(1)} stars/s, ETA ${formatEta(p.eta)}\n`,
            );
          },
        });
        const exports = [];
        if (result.status === 'complete')
          for (const file of flags.export ?? []) exports.push(await exportSummary(result.out, file));
        process.stdout.write(`${JSON.stringify({ ...result, exports }, null, 2)}\n`);
        if (result.status !== 'complete') process.exitCode = 130;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
  infer
    .command('merge <out> <runs...>')
    .description(
      'join the part runs of one input (cradle infer --part K/N) into one run folder, as if run in one place',
    )
    .option(
      '--input <file>',
      "the input's path here, when the parts read it elsewhere (checked by SHA-256; recorded for the Galaxy view)",
    )
    .action(async (out: string, runs: string[], flags: { input?: string }) => {
      process.stdout.write(`${JSON.stringify(await mergePartRuns(out, runs, flags), null, 2)}\n`);
    });
  infer
    .command('export <run> <file>')
    .description(
      "write a finished run's summary as FITS, CSV, TSV, ECSV, VOTable or Parquet (from the extension)",
    )
    .action(async (run: string, file: string) => {
      process.stdout.write(`${JSON.stringify(await exportSummary(run, file))}\n`);
    });
}
