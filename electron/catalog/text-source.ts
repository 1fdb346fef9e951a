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
  // Strings pass through as they are (object mode), not re-encoded to bytes and decoded again.
  return new Transform({
    readableObjectMode: true,
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

/** Length of the UTF-8 sequence a lead byte starts (0 for a byte that cannot start one). */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b < 0xe0) return 2;
  if (b >= 0xe0 && b < 0xf0) return 3;
  if (b >= 0xf0 && b < 0xf5) return 4;
  return 0;
}

/** Where the first byte that is not UTF-8 lies in `bytes` (which hold whole sequences). */
function firstInvalidByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes[i]!);
    if (n === 0 || i + n > bytes.length) return i;
    for (let k = 1; k < n; k += 1) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return bytes.length;
}

/** How many bytes at the end of `bytes` begin a sequence that the next chunk completes. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const n = sequenceLength(b);
    return n > back ? back : 0;
  }
  return 0;
}

/**
 * Decodes UTF-8 strictly: bytes that are not UTF-8 (Latin-1 or Windows-1252 text) are an error naming
 * their line, where Node's decoder would put U+FFFD in their place without a word. Chunks are cut
 * after whole sequences, so each one decodes on its own.
 */
function strictUtf8(file: string, firstLine: number): Transform {
  // ignoreBOM keeps a U+FEFF where it stands: each chunk is decoded afresh, and the readers strip the
  // file's own BOM themselves.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let carry = Buffer.alloc(0);
  let line = firstLine;
  const decode = (bytes: Buffer): string => {
    try {
      const text = decoder.decode(bytes);
      for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) line += 1;
      return text;
    } catch {
      const bad = firstInvalidByte(bytes);
      let before = 0;
      for (let at = bytes.indexOf(10); at >= 0 && at < bad; at = bytes.indexOf(10, at + 1)) before += 1;
      const shown = [...bytes.subarray(bad, bad + 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new Error(
        `${file}: line ${line + before}: bytes that are not UTF-8 text (${shown}); save the table as UTF-8`,
      );
    }
  };
  // Strings pass through as they are (object mode), not re-encoded to bytes and decoded again.
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      try {
        const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        const keep = incompleteTail(bytes);
        carry = Buffer.from(bytes.subarray(bytes.length - keep));
        done(null, decode(bytes.subarray(0, bytes.length - keep)));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        done(null, carry.length > 0 ? decode(carry) : '');
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * The text from byte `start` on (of the inflated data for a gzip file), decoded as strings; UTF-8 (the
 * default) strictly, with `firstLine` the line number of byte `start` for the message.
 */
export function textStream(
  file: string,
  start = 0,
  encoding: BufferEncoding = 'utf8',
  firstLine = 1,
): Readable {
  const gzip = isGzip(file);
  const raw = createReadStream(file, { start: gzip ? 0 : start, highWaterMark: 1 << 20 });
  let bytes: Readable = raw;
  const stages: Readable[] = [raw];
  let out: Transform;
  if (encoding === 'utf8') out = strictUtf8(file, firstLine);
  else {
    out = new PassThrough({ readableHighWaterMark: 1 << 20 });
    out.setEncoding(encoding);
  }
  // Piped by hand rather than with stream.pipeline, which would hand the consumer zlib's bare message.
  raw.on('error', (error) => out.destroy(error));
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: 1 << 16 });
    gunzip.on('error', (error) => out.destroy(damaged(file, error)));
    stages.push(gunzip);
    bytes = raw.pipe(gunzip).pipe(skipBytes(start));
  }
  out.on('close', () => {
    for (const stage of stages) stage.destroy();
  });
  bytes.pipe(out);
  return out;
}
