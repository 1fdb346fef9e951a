// Worker-thread entry of the "fits-scan" job: validates its parameters and runs scanForFits.
import { FitsScanParams } from '../api/jobs.ts';
import { serveWorkerJob } from '../jobs/worker-job.ts';
import { scanForFits } from './fits-scan.ts';

serveWorkerJob((params, context) => scanForFits(FitsScanParams.parse(params), context));
