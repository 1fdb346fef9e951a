// Random access to the bytes of a FITS file without reading it whole: a plain file is read through a
// file handle at the offsets asked for; a gzip-compressed file (`.fits.gz`, recognised by its magic
// bytes, not its name) is inflated as a stream with fflate, forward only, keeping a bounded window of
// recent output and restarting from the beginning only if a caller seeks backwards past it. Each gzip
// member's CRC32 and length trailer (RFC 1952 §2.3.1) is checked when the stream reaches it, because
// fflate inflates without looking at it: a file cut just after its deflate data would otherwise read
// as complete.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Gunzip } from 'fflate';
import Bunzip from 'seek-bzip';
import { FitsError } from './errors.ts';

export interface ByteSource {
  readonly path: string;
  /** Total length in bytes when known without reading everything (not for gzip). */
  readonly knownSize: number | undefined;
  readonly compressed: boolean;
  /** Up to `length` bytes at `offset`; shorter only at the end of the data. */
  read(offset: number, length: number): Buffer;
  /** Fill `target` from `offset`; returns how many bytes were available. */
  readInto(target: Buffer, offset: number): number;
  close(): void;
}

export function openSource(path: string): ByteSource {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot open (${code ?? String(error)})`;
    throw new FitsError(why, { file: path });
  }
  const stat = fstatSync(fd);
  // Linux opens a directory for reading; only the read fails, with no path in its message.
  if (stat.isDirectory()) {
    closeSync(fd);
    throw new FitsError('is a directory', { file: path });
  }
  const size = stat.size;
  const magic = Buffer.alloc(3);
  readSync(fd, magic, 0, 3, 0);
  if (magic[0] === 0x1f && magic[1] === 0x8b) return new GzipSource(path, fd);
  if (magic[0] === 0x1f && magic[1] === 0x9d) {
    closeSync(fd);
    throw new FitsError('Unix-compress (.Z) files are not supported; decompress it first', { file: path });
  }
  if (magic.toString('latin1') === 'BZh') {
    try {
      return new MemorySource(path, bunzip(path, fd, size));
    } finally {
      closeSync(fd);
    }
  }
  return new FileSource(path, fd, size);
}

class FileSource implements ByteSource {
  readonly compressed = false;
  constructor(
    readonly path: string,
    private readonly fd: number,
    readonly knownSize: number,
  ) {}

  read(offset: number, length: number): Buffer {
    const n = Math.max(0, Math.min(length, this.knownSize - offset));
    const buffer = Buffer.allocUnsafe(n);
    const got = this.readInto(buffer, offset);
    return got === n ? buffer : buffer.subarray(0, got);
  }

  readInto(target: Buffer, offset: number): number {
    let done = 0;
    while (done < target.length) {
      const got = readSync(this.fd, target, done, target.length - done, offset + done);
      if (got === 0) break;
      done += got;
    }
    return done;
  }

  close(): void {
    closeSync(this.fd);
  }
}

const COMPRESSED_CHUNK = 1 << 20;
const WINDOW = 1 << 24;

class GzipSource implements ByteSource {
  readonly compressed = true;
  readonly knownSize = undefined;
  private inflater!: Gunzip;
  private compressedOffset = 0;
  private finished = false;
  /** Why the stream cannot be read; kept so that every later read fails the same way. */
  private failure: FitsError | undefined;
  /** CRC32 and length (mod 2^32) of the current member's output so far. */
  private memberCrc = 0;
  private memberSize = 0;
  /** Inflated bytes not yet consumed, in order, starting at stream offset `pendingStart`. */
  private pending: Uint8Array[] = [];
  private pendingStart = 0;
  private pendingLength = 0;
  private readonly chunk = Buffer.allocUnsafe(COMPRESSED_CHUNK);

  constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    this.restart();
  }

  private restart(): void {
    this.inflater = new Gunzip((data) => {
      this.pending.push(data);
      this.pendingLength += data.length;
      this.memberCrc = crc32(data, this.memberCrc);
      this.memberSize = (this.memberSize + data.length) % 2 ** 32;
    });
    // fflate reports a member's start only once the previous member's output has all been delivered,
    // so the previous trailer is the 8 bytes before that offset.
    this.inflater.onmember = (offset) => this.checkTrailer(offset);
    this.compressedOffset = 0;
    this.finished = false;
    this.memberCrc = 0;
    this.memberSize = 0;
    this.pending = [];
    this.pendingStart = 0;
    this.pendingLength = 0;
  }

  /** Inflate more input; false at the end of the stream. */
  private pump(): boolean {
    if (this.failure) throw this.failure;
    if (this.finished) return false;
    const got = readSync(this.fd, this.chunk, 0, COMPRESSED_CHUNK, this.compressedOffset);
    this.compressedOffset += got;
    const final = got < COMPRESSED_CHUNK;
    try {
      this.inflater.push(this.chunk.subarray(0, got), final);
    } catch (error) {
      this.finished = true;
      if (error instanceof FitsError) throw error;
      throw this.fail(`gzip stream is corrupt (${(error as Error).message})`);
    }
    if (final) {
      this.finished = true;
      // The last member's trailer ends the file (fflate refuses anything longer after it).
      this.checkTrailer(this.compressedOffset);
    }
    return true;
  }

  /** Compare the 8-byte trailer ending at compressed offset `end` with the member just inflated. */
  private checkTrailer(end: number): void {
    const crc = this.memberCrc;
    const size = this.memberSize;
    this.memberCrc = 0;
    this.memberSize = 0;
    const trailer = Buffer.alloc(8);
    const got = end >= 8 ? readSync(this.fd, trailer, 0, 8, end - 8) : 0;
    const storedCrc = trailer.readUInt32LE(0);
    const storedSize = trailer.readUInt32LE(4);
    const crcOk = got === 8 && storedCrc === crc;
    const sizeOk = got === 8 && storedSize === size;
    if (crcOk && sizeOk) return;
    // Both wrong: those bytes are no trailer at all, the file stops after (or inside) the deflate data.
    if (!crcOk && !sizeOk) {
      throw this.fail('the gzip stream ends before its CRC32 and length trailer: the file is truncated');
    }
    if (!crcOk) {
      throw this.fail(
        `gzip CRC32 check failed (trailer ${hex(storedCrc)}, data ${hex(crc)}): the file is corrupt`,
      );
    }
    throw this.fail(
      `gzip length check failed (trailer ${storedSize} bytes, data ${size} bytes mod 2^32): the file is corrupt`,
    );
  }

  private fail(detail: string): FitsError {
    this.failure = new FitsError(detail, { file: this.path });
    return this.failure;
  }

  /** Drop pending output that ends more than WINDOW bytes before `offset` (short seeks back stay cheap). */
  private discardBefore(offset: number): void {
    while (this.pending.length > 0) {
      const first = this.pending[0]!;
      if (this.pendingStart + first.length > offset - WINDOW) break;
      this.pending.shift();
      this.pendingStart += first.length;
      this.pendingLength -= first.length;
    }
  }

  read(offset: number, length: number): Buffer {
    if (this.failure) throw this.failure;
    if (offset < this.pendingStart) this.restart();
    const parts: Buffer[] = [];
    let want = length;
    let at = offset;
    while (want > 0) {
      this.discardBefore(at);
      let cursor = this.pendingStart;
      for (const piece of this.pending) {
        const end = cursor + piece.length;
        if (end > at && want > 0) {
          const from = at - cursor;
          const take = Math.min(piece.length - from, want);
          parts.push(Buffer.from(piece.buffer, piece.byteOffset + from, take));
          at += take;
          want -= take;
        }
        cursor = end;
      }
      if (want > 0 && !this.pump()) break;
    }
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts);
  }

  readInto(target: Buffer, offset: number): number {
    const data = this.read(offset, target.length);
    data.copy(target);
    return data.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** Compressed bzip2 input accepted, and the most its output may grow to (bytes). */
const MAX_BZIP2_INPUT = 1 << 28;
const MAX_BZIP2_OUTPUT = 2 ** 31 - 1;

function bunzip(path: string, fd: number, size: number): Buffer {
  if (size > MAX_BZIP2_INPUT) {
    throw new FitsError(`bzip2 files over ${MAX_BZIP2_INPUT} bytes are not read; decompress it first`, {
      file: path,
    });
  }
  const input = Buffer.allocUnsafe(size);
  readSync(fd, input, 0, size, 0);
  let output = Buffer.allocUnsafe(Math.min(MAX_BZIP2_OUTPUT, Math.max(1 << 16, size * 4)));
  let length = 0;
  const sink = {
    writeByte(byte: number): void {
      if (length === output.length) {
        if (output.length >= MAX_BZIP2_OUTPUT)
          throw new Error(`it inflates beyond ${MAX_BZIP2_OUTPUT} bytes`);
        const grown = Buffer.allocUnsafe(Math.min(MAX_BZIP2_OUTPUT, output.length * 2));
        output.copy(grown, 0, 0, length);
        output = grown;
      }
      output[length++] = byte;
    },
  };
  try {
    Bunzip.decode(input, sink, true);
  } catch (error) {
    throw new FitsError(
      `bzip2 stream is corrupt (${error instanceof Error ? error.message : String(error)})`,
      {
        file: path,
      },
    );
  }
  return output.subarray(0, length);
}

/** Bytes already in memory (a decoded bzip2 file). */
class MemorySource implements ByteSource {
  readonly compressed = true;
  readonly knownSize: number;
  constructor(
    readonly path: string,
    private readonly bytes: Buffer,
  ) {
    this.knownSize = bytes.length;
  }

  read(offset: number, length: number): Buffer {
    return Buffer.from(this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length)));
  }

  readInto(target: Buffer, offset: number): number {
    if (offset >= this.bytes.length) return 0;
    return this.bytes.copy(target, 0, offset, Math.min(this.bytes.length, offset + target.length));
  }

  close(): void {
    // nothing is held open: the file was closed after decoding
  }
}
