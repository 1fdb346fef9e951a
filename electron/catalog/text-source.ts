// The bytes of a text table (CSV/TSV, ECSV, MRT, VOTable), inflated on the fly when the file is gzip-
// compressed: the Gaia archive's bulk downloads are gzipped ECSV (`GaiaSource_*.csv.gz`), and VizieR and
// CDS serve `.dat.gz`. A file is gzip by its magic bytes, not its name. Damaged or truncated gzip data
// is an error naming the file, never a silently shorter table.
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { PassThrough, Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { constants, createGunzip, gunzipSync } from 'node:zlib';

/** Whether the file starts with the gzip magic (1f 8b). */
export function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function damaged(file: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${file}: the gzip data is damaged or truncated (${message})`, { cause: error });
}

function rawHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Up to `bytes` bytes of the table's text from its start (fewer only at the end of the data). A gzip
 * file's compressed prefix is inflated with a sync flush, so a prefix that ends mid-stream is not an error.
 */
export function headBytes(file: string, bytes: number): Buffer {
  if (!isGzip(file)) return rawHead(file, bytes);
  for (let compressed = Math.max(4096, bytes >> 2); ; compressed *= 4) {
    const input = rawHead(file, compressed);
    let out: Buffer;
    try {
      out = gunzipSync(input, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw damaged(file, error);
    }
    if (out.length >= bytes || input.length < compressed) return out.subarray(0, bytes);
  }
}

/** The whole text, inflated. For error paths. */
export function allBytes(file: string): Buffer {
  const bytes = readFileSync(file);
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw damaged(file, error);
  }
}

/** Drops the first `count` bytes of a stream. */
function skipBytes(count: number): Transform {
  let left = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (left >= chunk.length) {
        left -= chunk.length;
        done();
        return;
      }
      const rest = chunk.subarray(left);
      left = 0;
      done(null, rest);
    },
  });
}

/** The text from byte `start` on (of the inflated data for a gzip file), decoded as strings. */
export function textStream(file: string, start = 0, encoding: BufferEncoding = 'utf8'): Readable {
  if (!isGzip(file)) {
    return createReadStream(file, { start, encoding, highWaterMark: 1 << 20 });
  }
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  const out = new PassThrough({ readableHighWaterMark: 1 << 20 });
  // Piped by hand rather than with stream.pipeline, which would hand the consumer zlib's bare message.
  raw.on('error', (error) => out.destroy(error));
  gunzip.on('error', (error) => out.destroy(damaged(file, error)));
  out.on('close', () => {
    raw.destroy();
    gunzip.destroy();
  });
  raw.pipe(gunzip).pipe(skipBytes(start)).pipe(out);
  out.setEncoding(encoding);
  return out;
}
