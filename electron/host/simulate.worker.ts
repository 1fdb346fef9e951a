// Worker-thread entry of the "simulate" job: validates its parameters and runs the forward model with
// the job's cancel signal and progress (rows written of the rows asked for; the registry adds rate and ETA).
import { SimulateParams } from '../api/jobs.ts';
import { serveWorkerJob } from '../jobs/worker-job.ts';
import { resolveConfig, simulate } from '../forward/simulate/run.ts';

serveWorkerJob(async (params, context) => {
  const parsed = SimulateParams.safeParse(params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`);
    throw new Error(`simulate: ${issues.join('; ')}`);
  }
  const p = parsed.data;
  const started = Date.now();
  const config = resolveConfig({ preset: p.preset, config: p.config, stars: p.stars, seed: p.seed });
  const summary = await simulate({
    config,
    outDir: p.out,
    format: p.format,
    shards: p.shards,
    workers: p.workers,
    signal: context.signal,
    onProgress: (progress) => context.progress(progress.rows, progress.totalRows),
  });
  context.progress(summary.rows, summary.rows, true);
  return { ...summary, out: p.out, elapsedS: (Date.now() - started) / 1000 };
});
