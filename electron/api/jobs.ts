// Long-running work as the UI sees it: the job kinds (each with its parameter and result schema),
// a job's snapshot and its progress. Later capabilities add their kind to `jobKinds`.
import { z } from 'zod';
import { AbsolutePath, JobId } from './common.ts';

export const FitsScanParams = z
  .object({
    dir: AbsolutePath,
    /** Follow symbolic links to directories (cycles are detected by device and inode). */
    followSymlinks: z.boolean().default(false),
    /**
     * Pause after each checked file, in milliseconds: keeps a scan of a slow network share from
     * monopolising it. 0 (the default) scans at full speed.
     */
    paceMs: z.number().int().min(0).max(1000).default(0),
  })
  .strict();
export type FitsScanParams = z.infer<typeof FitsScanParams>;

export const FitsScanResult = z.object({
  dir: z.string(),
  /** Files whose first bytes (after gunzip for .gz) are the FITS primary header's `SIMPLE  =` card. */
  fitsFiles: z.number().int().nonnegative(),
  fitsBytes: z.number().nonnegative(),
  /** Files with a FITS name whose content is not FITS (wrong magic, empty, corrupt gzip). */
  notFits: z.number().int().nonnegative(),
  /** Files or directories that could not be read (permissions, vanished during the scan). */
  unreadable: z.number().int().nonnegative(),
  directories: z.number().int().nonnegative(),
  filesSeen: z.number().int().nonnegative(),
  /** FITS files per size class: bin k counts sizes in [2^k, 2^(k+1)) bytes (bin 0 also holds 0 bytes). */
  sizeHistogram: z.instanceof(Uint32Array),
  /** Up to 20 examples of files that were refused, with the reason, for the user to check. */
  notFitsExamples: z.array(z.object({ path: z.string(), reason: z.string() })),
  elapsedMs: z.number().nonnegative(),
});
export type FitsScanResult = z.infer<typeof FitsScanResult>;

export const InferParams = z
  .object({
    /** A model folder or a shipped model's name; absent: the default shipped model. */
    model: z.string().min(1).optional(),
    input: AbsolutePath,
    hdu: z.number().int().min(0).optional(),
    mapping: AbsolutePath.optional(),
    /** Parameters to condition on (run.ts InferOptions.given): name → number, column or expression. */
    given: z.record(z.string().min(1), z.string().trim().min(1)).optional(),
    out: AbsolutePath,
    samples: z.number().int().min(1).optional(),
    steps: z.number().int().min(1).optional(),
    solver: z.enum(['euler', 'heun', 'midpoint']).optional(),
    provider: z.enum(['auto', 'cpu', 'cuda', 'tensorrt', 'webgpu', 'dml', 'coreml']).default('auto'),
    resume: z.boolean().default(false),
    seed: z.number().int().min(0).optional(),
    chunkRows: z.number().int().min(1).optional(),
    workers: z.number().int().min(1).max(64).optional(),
    cores: z.number().int().min(1).optional(),
    keepSamples: z.boolean().default(false),
  })
  .strict();
export type InferParams = z.infer<typeof InferParams>;

export const InferResult = z.object({
  out: z.string(),
  status: z.enum(['running', 'complete', 'cancelled', 'failed']),
  provider: z.string(),
  providerNotes: z.array(z.string()),
  stars: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  resumedChunks: z.number().int().nonnegative(),
  elapsedS: z.number().nonnegative(),
  starsPerS: z.number().nonnegative().nullable(),
  summary: z.string().nullable(),
});
export type InferResult = z.infer<typeof InferResult>;

export const SimulateParams = z
  .object({
    /** A built-in config, or `config`: a simulation config object (electron/forward/simulate/config.ts). */
    preset: z.enum(['demo', 'field', 'clusters']).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    out: AbsolutePath,
    stars: z.number().int().min(1).optional(),
    seed: z.number().int().min(0).optional(),
    format: z.enum(['parquet', 'fits']).default('parquet'),
    /** Training shards (Parquet + manifest) instead of a catalogue and its truth. */
    shards: z.boolean().default(false),
    workers: z.number().int().min(0).max(64).optional(),
  })
  .strict()
  .refine((p) => (p.preset === undefined) !== (p.config === undefined), {
    message: 'give exactly one of preset and config',
  });
export type SimulateParams = z.infer<typeof SimulateParams>;

export const SimulateResult = z.object({
  out: z.string(),
  rows: z.number().int().nonnegative(),
  candidates: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  files: z.array(z.string()),
  manifest: z.string(),
  rowsBySource: z.record(z.string(), z.number()),
  elapsedS: z.number().nonnegative(),
});
export type SimulateResult = z.infer<typeof SimulateResult>;

/** Every job kind: its parameters and its result. */
export const jobKinds = {
  'fits-scan': { params: FitsScanParams, result: FitsScanResult },
  infer: { params: InferParams, result: InferResult },
  simulate: { params: SimulateParams, result: SimulateResult },
} as const;
export type JobKind = keyof typeof jobKinds;
export type JobParams<K extends JobKind> = z.input<(typeof jobKinds)[K]['params']>;
export type JobResult<K extends JobKind> = z.output<(typeof jobKinds)[K]['result']>;

export const JobStartParams = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fits-scan'), params: FitsScanParams }).strict(),
  z.object({ kind: z.literal('infer'), params: InferParams }).strict(),
  z.object({ kind: z.literal('simulate'), params: SimulateParams }).strict(),
]);
export type JobStartParams = z.input<typeof JobStartParams>;

export const JobProgress = z.object({
  done: z.number().nonnegative(),
  /** null while the amount of work is still being discovered. */
  total: z.number().nonnegative().nullable(),
  /** Items per second, smoothed; 0 until measured. */
  rate: z.number().nonnegative(),
  /** Seconds left at the current rate; null when unknown. */
  eta: z.number().nonnegative().nullable(),
  /** What `done` and `total` count (e.g. "files"). */
  unit: z.string(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobSnapshot = z.object({
  id: JobId,
  kind: z.string(),
  /** A line for the status bar, e.g. "FITS scan of /data/night1". */
  title: z.string(),
  state: JobState,
  progress: JobProgress.nullable(),
  startedMs: z.number(),
  endedMs: z.number().nullable(),
  /** The failure message, when state is failed. */
  message: z.string().nullable(),
});
export type JobSnapshot = z.infer<typeof JobSnapshot>;

export const JobIdParams = z.object({ id: JobId }).strict();
