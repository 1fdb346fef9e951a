// Worker-thread entry of the "infer" job: validates its parameters and runs runInference with the
// job's cancel signal, progress (stars done of total; the registry adds rate and ETA) and log.
import { InferParams } from '../api/jobs.ts';
import { serveWorkerJob } from '../jobs/worker-job.ts';
import { runInference } from './run.ts';

serveWorkerJob((params, context) =>
  runInference(InferParams.parse(params), {
    signal: context.signal,
    progress: (done, total) => context.progress(done, total, done === total),
    log: (message) => context.log(message),
  }),
);
