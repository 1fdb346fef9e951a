// Starts a job module in a worker thread, from TypeScript source (a checkout, tests) or from
// compiled JavaScript (a packaged build). Node 20 does not pass the main thread's tsx hooks on to
// workers (nor honour `--import` in a worker's execArgv), so for a .ts entry the worker registers
// tsx's ESM API itself before importing the entry.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerBootData, WorkerJobData } from './worker-protocol.ts';

const bootstrap = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.job.entry);
})().catch((error) => { process.nextTick(() => { throw error; }); });
`;

let tsxApi: string | undefined;

/** The ESM build of `tsx/esm/api`, found through tsx's own exports map, as a file URL. */
function tsxApiUrl(): string {
  if (tsxApi === undefined) {
    const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      exports: Record<string, { import?: { default?: string } }>;
    };
    const target = manifest.exports['./esm/api']?.import?.default;
    if (target === undefined) throw new Error(`${manifestPath}: no ESM entry for tsx/esm/api`);
    tsxApi = pathToFileURL(join(dirname(manifestPath), target)).href;
  }
  return tsxApi;
}

export function spawnJobWorker(entry: URL, params: unknown): Worker {
  const job: WorkerJobData = { entry: entry.href, params };
  const workerData: WorkerBootData = { job, tsxApi: entry.pathname.endsWith('.ts') ? tsxApiUrl() : null };
  return new Worker(bootstrap, { eval: true, workerData });
}

/** The URL of a sibling module, with the extension this module itself was loaded with (.ts or .js). */
export function siblingModule(base: string, name: string): URL {
  const extension = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, base);
}
