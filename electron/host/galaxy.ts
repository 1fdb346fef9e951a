// The Galaxy view's engine side: prepares the stars the view asked for in a worker (electron/galaxy/
// prepare.ts: read, octree, reorder) and answers them as typed arrays, which the wire sends as binary frames.
import type { MethodArgs, MethodResult } from '../api/methods.ts';
import { prepareGalaxyInWorker } from '../galaxy/prepare.ts';

export async function loadGalaxy({ path }: MethodArgs<'galaxy.load'>): Promise<MethodResult<'galaxy.load'>> {
  return prepareGalaxyInWorker(path);
}
