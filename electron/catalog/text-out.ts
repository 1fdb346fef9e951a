// Atomic output for the catalog writers: text is produced by a generator, written to a temporary file
// beside the target in large chunks, and renamed over the target only when complete, so a failed
// write never leaves a half-written catalog behind.
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeBytesAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await writeTextAtomic(file, function* () {
    yield bytes;
  });
}

export async function writeTextAtomic(
  file: string,
  produce: () => Iterable<string | Uint8Array>,
): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(temp, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    for (const piece of produce()) {
      if (typeof piece === 'string') {
        pending.push(piece);
        size += piece.length;
        if (size > 1 << 20) {
          await handle.write(pending.join(''));
          pending = [];
          size = 0;
        }
      } else {
        if (pending.length > 0) await handle.write(pending.join(''));
        pending = [];
        size = 0;
        await handle.write(piece);
      }
    }
    if (pending.length > 0) await handle.write(pending.join(''));
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

/** Text of one cell value as a writer emits it: shortest round-trip numbers, exact 64-bit integers. */
export function formatCell(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && Symbol.iterator in value) {
    return JSON.stringify(
      Array.from(value as Iterable<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v)),
    );
  }
  return String(value);
}
