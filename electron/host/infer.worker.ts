// Worker-thread entry of the "infer" job: validates its parameters and runs runInference with the
// job's cancel signal, progress (stars done of total; the registry adds rate and ETA) and log.
import { InferParams } from '../api/jobs.ts';
import { serveWorkerJob } from '../jobs/worker-job.ts';
import { runInference } from '../inference/run.ts';

serveWorkerJob(async (params, context) => {
  const parsed = InferParams.safeParse(params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`);
    throw new Error(`infer: ${issues.join('; ')}`);
  }
  return runInference(parsed.data, {
    signal: context.signal,
    progress: (done, total) => context.progress(done, total, done === total),
    log: (message) => context.log(message),
  });
});
