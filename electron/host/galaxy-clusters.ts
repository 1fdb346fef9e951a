// The cluster list's engine side: HDBSCAN over the young stars of the loaded set, in a worker
// (electron/galaxy/prepare.ts → clusters.ts), labels in the order galaxy.load answered.
import type { MethodArgs, MethodResult } from '../api/methods.ts';
import { clustersInWorker } from '../galaxy/cluster-service.ts';

export async function galaxyClusters(
  args: MethodArgs<'galaxy.clusters'>,
): Promise<MethodResult<'galaxy.clusters'>> {
  const { path, ...options } = args;
  return clustersInWorker(path, options);
}
