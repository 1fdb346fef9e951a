// Events the engine pushes to the UI: the job life cycle, and commands from native menus
// (Electron only) that the UI carries out.
import { z } from 'zod';
import { AbsolutePath, JobId } from './common.ts';
import { FitsScanResult, InferResult, JobProgress, JobSnapshot, SimulateResult } from './jobs.ts';

export const ViewName = z.enum(['files', 'inspect', 'simulate', 'infer', 'galaxy', 'models']);
export type ViewName = z.infer<typeof ViewName>;

/** A finished job's result, tagged with its kind (one entry per kind in jobKinds). */
export const JobResultOfKind = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fits-scan'), value: FitsScanResult }),
  z.object({ kind: z.literal('infer'), value: InferResult }),
  z.object({ kind: z.literal('simulate'), value: SimulateResult }),
]);
export type JobResultOfKind = z.infer<typeof JobResultOfKind>;

export const ApiEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.started'), job: JobSnapshot }),
  z.object({ type: z.literal('job.progress'), id: JobId, progress: JobProgress }),
  z.object({ type: z.literal('job.log'), id: JobId, message: z.string() }),
  z.object({
    type: z.literal('job.done'),
    id: JobId,
    job: JobSnapshot,
    result: JobResultOfKind,
  }),
  z.object({ type: z.literal('job.failed'), id: JobId, job: JobSnapshot, message: z.string() }),
  z.object({ type: z.literal('job.cancelled'), id: JobId, job: JobSnapshot }),
  z.object({ type: z.literal('shell.navigate'), view: ViewName }),
  z.object({ type: z.literal('shell.openFolder'), path: AbsolutePath }),
  z.object({ type: z.literal('shell.toggleTheme') }),
]);
export type ApiEvent = z.infer<typeof ApiEvent>;
export type ApiEventType = ApiEvent['type'];
