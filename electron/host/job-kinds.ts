// The job kinds this engine runs: for each, its worker module, what its progress counts, and the
// title the status bar shows. A capability adds its kind here and in electron/api/jobs.ts.
import type { JobKind } from '../api/jobs.ts';
import { siblingModule } from '../jobs/spawn-worker.ts';
import type { JobKindDefinition } from '../jobs/registry.ts';

export const jobDefinitions: Record<JobKind, JobKindDefinition> = {
  'fits-scan': {
    kind: 'fits-scan',
    entry: siblingModule(import.meta.url, 'fits-scan.worker'),
    unit: 'files',
    title: (params) => `FITS scan of ${(params as { dir: string }).dir}`,
  },
  infer: {
    kind: 'infer',
    entry: siblingModule(import.meta.url, 'infer.worker'),
    unit: 'stars',
    title: (params) => `Posteriors for ${(params as { input: string }).input}`,
  },
  simulate: {
    kind: 'simulate',
    entry: siblingModule(import.meta.url, 'simulate.worker'),
    unit: 'stars',
    title: (params) => `Simulation into ${(params as { out: string }).out}`,
  },
};
