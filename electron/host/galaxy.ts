// The Galaxy view's engine side: loads the stars the view asked for (electron/galaxy/source.ts) and
// answers them as typed arrays, which the wire sends as binary frames.
import type { MethodArgs, MethodResult } from '../api/methods.ts';
import { loadGalaxySource } from '../galaxy/source.ts';

export async function loadGalaxy({ path }: MethodArgs<'galaxy.load'>): Promise<MethodResult<'galaxy.load'>> {
  return loadGalaxySource(path);
}
