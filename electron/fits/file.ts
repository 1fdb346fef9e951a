// An open FITS file: HDUs discovered lazily (a header is read only when an HDU at or before it is
// asked for), data read at byte offsets on demand, and every error stamped with the file's name.
import { FitsError, asFitsError } from './errors.ts';
import { describeHdu, paddedSize, readHeaderAt } from './hdu.ts';
import { valueText } from './header.ts';
import type { Hdu } from './hdu.ts';
import { openSource } from './source.ts';
import type { ByteSource } from './source.ts';

export class FitsFile {
  readonly path: string;
  private readonly source: ByteSource;
  private readonly found: Hdu[] = [];
  /** HDUs of a compressed file whose data was confirmed to be all there. */
  private readonly present = new Set<number>();
  private nextOffset = 0;
  private complete = false;

  private constructor(path: string, source: ByteSource) {
    this.path = path;
    this.source = source;
  }

  static open(path: string): FitsFile {
    const file = new FitsFile(path, openSource(path));
    try {
      file.hdu(0);
    } catch (error) {
      file.close();
      throw error;
    }
    return file;
  }

  /** Run `action` with an open file, closing it afterwards whatever happens. */
  static with<T>(path: string, action: (file: FitsFile) => T): T {
    const file = FitsFile.open(path);
    try {
      return action(file);
    } finally {
      file.close();
    }
  }

  get size(): number | undefined {
    return this.source.knownSize;
  }

  get compressed(): boolean {
    return this.source.compressed;
  }

  close(): void {
    this.source.close();
  }

  /** The HDU at `index`, scanning forward as far as needed. */
  hdu(index: number): Hdu {
    while (this.found.length <= index && !this.complete) this.scanNext();
    const hdu = this.found[index];
    if (!hdu) {
      throw new FitsError(`there is no HDU ${index} (the file has ${this.found.length})`, {
        file: this.path,
      });
    }
    return hdu;
  }

  /** Every HDU in the file. */
  hdus(): Hdu[] {
    while (!this.complete) this.scanNext();
    return [...this.found];
  }

  /** An HDU by index ("2") or by EXTNAME (case-insensitive, first match, optionally "NAME,EXTVER"). */
  find(spec: string | number): Hdu {
    if (typeof spec === 'number' || /^\d+$/.test(spec)) return this.hdu(Number(spec));
    const [wantedName, wantedVersion] = spec.split(',').map((part) => part.trim());
    const target = (wantedName ?? '').toUpperCase();
    for (let i = 0; ; i += 1) {
      while (this.found.length <= i && !this.complete) this.scanNext();
      const hdu = this.found[i];
      if (!hdu) break;
      if (hdu.name.toUpperCase() !== target) continue;
      if (wantedVersion !== undefined && valueText(hdu.header.get('EXTVER') ?? 1) !== wantedVersion) continue;
      return hdu;
    }
    throw new FitsError(`there is no HDU named ${spec}`, { file: this.path });
  }

  /** Bytes of an HDU's data; fails naming the HDU if the file ends before them. */
  readData(hdu: Hdu, offset: number, length: number): Buffer {
    const bytes = this.source.read(hdu.dataOffset + offset, length);
    if (bytes.length < length) throw this.truncation(hdu);
    return bytes;
  }

  /** Bytes anywhere in the file (short only at its end). */
  readRange(offset: number, length: number): Buffer {
    return this.source.read(offset, length);
  }

  /** Fill `target` with an HDU's data from `offset`. */
  readDataInto(hdu: Hdu, target: Buffer, offset: number): void {
    if (this.source.readInto(target, hdu.dataOffset + offset) < target.length) throw this.truncation(hdu);
  }

  /** Fail early, before allocating, if an HDU's data cannot all be in the file. */
  checkDataPresent(hdu: Hdu): void {
    if (hdu.truncated) throw this.truncation(hdu);
    if (this.source.knownSize !== undefined || hdu.dataSize === 0 || this.present.has(hdu.index)) return;
    // A compressed stream's length is unknown until inflated: inflate up to the HDU's last byte
    // (memory stays bounded by the source's window) before anything is allocated for the data.
    if (this.source.read(hdu.dataOffset + hdu.dataSize - 1, 1).length < 1) throw this.truncation(hdu);
    this.present.add(hdu.index);
  }

  error(hdu: Hdu, detail: string, where: { column?: string; keyword?: string } = {}): FitsError {
    return new FitsError(detail, {
      file: this.path,
      hdu: hdu.index,
      hduName: hdu.name || undefined,
      ...where,
    });
  }

  private truncation(hdu: Hdu): FitsError {
    const size = this.source.knownSize;
    const detail =
      size === undefined
        ? `the file ends inside the data (${hdu.dataSize} bytes expected)`
        : `the file is truncated: the data needs ${hdu.dataSize} bytes from offset ${hdu.dataOffset}, the file has ${size} bytes`;
    return this.error(hdu, detail);
  }

  private scanNext(): void {
    const index = this.found.length;
    const size = this.source.knownSize;
    if (size !== undefined && this.nextOffset >= size && index > 0) {
      this.complete = true;
      return;
    }
    try {
      const read = readHeaderAt(this.source, this.nextOffset, index);
      if (!read) {
        if (index === 0) throw new FitsError('the file is empty');
        this.complete = true;
        return;
      }
      const hdu = describeHdu(read.header, index, this.nextOffset, read.dataOffset, size);
      this.found.push(hdu);
      this.nextOffset = hdu.dataOffset + paddedSize(hdu.dataSize);
      if (hdu.truncated) this.complete = true;
    } catch (error) {
      this.complete = true;
      throw asFitsError(error, { file: this.path, hdu: index });
    }
  }
}
