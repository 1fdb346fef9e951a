// `cradle simulate`: runs the forward model (electron/forward/simulate) from a config file or a preset,
// with a progress line and ETA on stderr and a JSON summary on stdout.
import type { Command } from 'commander';
import { resolveConfig, simulate } from '../../forward/simulate/run.ts';
import type { RunProgress } from '../../forward/simulate/pipeline.ts';
import { WORKERS_PER_CORE, mostWorkers } from '../../jobs/worker-limit.ts';

interface SimulateFlags {
  config?: string;
  preset?: string;
  out: string;
  stars?: string;
  seed?: string;
  format: string;
  shards?: boolean;
  workers?: string;
  atmospheres?: string;
  pmsIsochrones?: string;
  quiet?: boolean;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  // Digits only: Number() would also take '0x10' (16) and '1e3'.
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw new Error(`simulate: ${flag} must be a non-negative integer, got '${value}'`);
  return n;
}

function workerCount(value: string | undefined): number | undefined {
  const n = positiveInteger(value, '--workers');
  if (n !== undefined && n > mostWorkers())
    throw new Error(
      `simulate: --workers must be at most ${mostWorkers()} (${WORKERS_PER_CORE} per core), got ${n}`,
    );
  return n;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('simulate a sky region or a training set with the forward model')
    .option('--config <file>', 'simulation config (JSON or YAML)')
    .option('--preset <name>', 'built-in config: demo, field or clusters')
    .requiredOption(
      '--out <dir>',
      'output folder: new, empty, or holding an earlier run of the same config (rewritten)',
    )
    .option('--stars <n>', 'rows to produce')
    .option('--seed <s>', 'random seed')
    .option('--format <format>', 'catalogue format: parquet or fits', 'parquet')
    .option('--shards', 'write training shards (Parquet + manifest) instead of a catalogue')
    .option('--workers <n>', 'worker threads (0: the main thread)')
    .option('--atmospheres <library>', 'atmosphere library of the photometry: kurucz or btsettl')
    .option(
      '--pms-isochrones <set>',
      'pre-main-sequence isochrones for young stars: baraffe2015, feiden2016, mist_v1p2, parsec_v1p2, parsec_v2p0 or none',
    )
    .option('--quiet', 'no progress line')
    .action(async (flags: SimulateFlags) => {
      if (flags.format !== 'parquet' && flags.format !== 'fits')
        throw new Error(`simulate: --format must be parquet or fits, got '${flags.format}'`);
      const config = resolveConfig({
        configFile: flags.config,
        preset: flags.preset,
        stars: positiveInteger(flags.stars, '--stars'),
        seed: positiveInteger(flags.seed, '--seed'),
        physics: {
          atmospheres: flags.atmospheres,
          pmsIsochrones: flags.pmsIsochrones === 'none' ? null : flags.pmsIsochrones,
        },
      });
      const started = Date.now();
      let lastPrint = 0;
      const onProgress = (p: RunProgress): void => {
        const now = Date.now();
        if (flags.quiet || now - lastPrint < 500) return;
        lastPrint = now;
        const elapsed = (now - started) / 1000;
        const rate = p.rows / Math.max(elapsed, 1e-3);
        const eta =
          p.totalRows !== null && rate > 0 ? ` · ETA ${formatSeconds((p.totalRows - p.rows) / rate)}` : '';
        const total = p.totalRows !== null ? ` of ${p.totalRows}` : '';
        process.stderr.write(`\rsimulate: ${p.rows}${total} stars · ${Math.round(rate)} stars/s${eta}   `);
      };
      const summary = await simulate({
        config,
        outDir: flags.out,
        format: flags.format,
        shards: flags.shards ?? false,
        workers: workerCount(flags.workers),
        onProgress,
      });
      if (!flags.quiet)
        process.stderr.write(
          `\rsimulate: ${summary.rows} stars in ${formatSeconds((Date.now() - started) / 1000)}\n`,
        );
      process.stdout.write(
        `${JSON.stringify({ ...summary, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`,
      );
    });
}
