// How many worker threads a job may be given. Each holds its own model session or physics tables, so
// beyond a few per core more workers add only memory (100,000 asked of `infer` ran Node out of memory,
// of `simulate` grew to 9.5 GB of threads).
import { availableParallelism } from 'node:os';

export const WORKERS_PER_CORE = 4;

export function mostWorkers(): number {
  return WORKERS_PER_CORE * availableParallelism();
}
