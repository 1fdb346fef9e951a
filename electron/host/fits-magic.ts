// Decides whether a file is FITS by its first card. FITS 4.0 §4.4.1.1: a primary header begins with
// the keyword SIMPLE in columns 1–8 (space-padded) and the value indicator "= " in columns 9–10, so
// every conforming file starts with the 10 bytes "SIMPLE  = ". A gzipped file is inflated just far
// enough to read them.
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';

const magic = 'SIMPLE  = ';
/** Enough compressed bytes to inflate the first card of any gzip stream (header + deflate start). */
const gzipProbeBytes = 16 * 1024;

export type MagicVerdict = { fits: true } | { fits: false; reason: string };

function readFirstCard(bytes: Uint8Array): MagicVerdict {
  if (bytes.byteLength < magic.length) return { fits: false, reason: 'shorter than one FITS card' };
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, magic.length));
  return head === magic
    ? { fits: true }
    : { fits: false, reason: `starts with ${JSON.stringify(head)}, not "SIMPLE  = "` };
}

export async function checkFitsMagic(path: string, gzipped: boolean): Promise<MagicVerdict> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(gzipped ? gzipProbeBytes : magic.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0);
    const head = buffer.subarray(0, bytesRead);
    if (!gzipped) return readFirstCard(head);
    if (head[0] !== 0x1f || head[1] !== 0x8b) return { fits: false, reason: 'named .gz but not gzip data' };
    try {
      // SYNC_FLUSH lets zlib return what it inflated from a stream that is cut off here on purpose.
      return readFirstCard(gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }));
    } catch (error) {
      return {
        fits: false,
        reason: `corrupt gzip data (${error instanceof Error ? error.message : String(error)})`,
      };
    }
  } finally {
    await handle.close();
  }
}
