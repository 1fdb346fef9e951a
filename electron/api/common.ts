// Schemas shared by several API groups: paths and identifiers as they cross the API boundary.
import { z } from 'zod';

/**
 * An absolute path on the machine that runs the engine (POSIX `/…`, Windows `C:\…` or `\\server\…`).
 * Relative paths are refused: the engine's working directory means nothing to the person choosing.
 */
export const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), 'a path may not contain a NUL character')
  .refine((path) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path), 'the path must be absolute');

export const JobId = z.string().regex(/^job-[0-9]+$/, 'not a job id');
