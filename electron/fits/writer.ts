// Writing FITS files: IMAGE HDUs from typed arrays and BINTABLE HDUs from Arrow tables, with every
// column type the reader knows except tile compression (L, X, B, I, J, K, A, E, D, C, M, P/Q, TDIM,
// the unsigned TZERO convention, TNULL for integer nulls, NaN for float nulls), DATASUM and CHECKSUM
// on every HDU. Data streams to a temporary file beside the target, which is renamed into place only
// when complete, so a failure never leaves a half-written file under the final name.
import { renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { BintableWriter, TableSurvey } from './bintable-writer.ts';
import { OnesComplementSum } from './checksum.ts';
import { encodeBigEndian } from './decode.ts';
import type { NumericArray } from './decode.ts';
import { FitsError } from './errors.ts';
import { OutputFile, blockPadding, card, extraCards, sealHeader } from './output.ts';
import type { CardList, ExtraCard } from './output.ts';

export type { ExtraCard } from './output.ts';
export { TableSurvey } from './bintable-writer.ts';

export interface ImageInput {
  kind: 'image';
  data: NumericArray;
  /** Axis lengths, slowest first (numpy order). */
  shape: number[];
  name?: string;
  cards?: ExtraCard[];
}

export interface TableInput {
  kind: 'table';
  table: Table;
  name?: string;
  cards?: ExtraCard[];
}

export type HduInput = ImageInput | TableInput;

export interface WriteOptions {
  /** Write CHECKSUM and DATASUM (default true). */
  checksum?: boolean;
}

function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // the temporary file may not exist yet; nothing else to clean
  }
}

function asFitsError(error: unknown, path: string): FitsError {
  return error instanceof FitsError ? error : new FitsError((error as Error).message, { file: path });
}

/** The empty primary HDU before a table. */
const EMPTY_PRIMARY: ImageInput = { kind: 'image', data: new Uint8Array(0), shape: [] };

/** Write HDUs to `path` atomically. A table first gets an empty primary HDU before it. */
export function writeFits(path: string, hdus: HduInput[], options: WriteOptions = {}): void {
  const temp = tempBeside(path);
  const out = new OutputFile(temp);
  const checksum = options.checksum ?? true;
  try {
    const list = hdus[0]?.kind === 'image' ? hdus : [EMPTY_PRIMARY, ...hdus];
    list.forEach((hdu, index) => {
      if (hdu.kind === 'image') {
        writeImage(out, hdu, index === 0, checksum);
        return;
      }
      const survey = new TableSurvey(hdu.table.schema, { file: path, hdu: index });
      survey.add(hdu.table);
      const writer = new BintableWriter(out, { file: path, hdu: index }, survey, {
        name: hdu.name,
        cards: hdu.cards,
        checksum,
      });
      writer.write(hdu.table);
      writer.finish();
    });
    out.close();
    renameSync(temp, path);
  } catch (error) {
    out.close();
    removeQuietly(temp);
    throw asFitsError(error, path);
  }
}

/**
 * A FITS file of one binary table (after an empty primary HDU) written a batch of rows at a time, for a
 * table too large to hold: survey every batch into a `TableSurvey` first, then open the file with it
 * and `write` the same batches in the same order. The file is written beside `path` and renamed over it
 * by `close`; `abort` removes it.
 */
export class FitsTableFile {
  private constructor(
    private readonly path: string,
    private readonly temp: string,
    private readonly out: OutputFile,
    private readonly writer: BintableWriter,
  ) {}

  static open(
    path: string,
    survey: TableSurvey,
    options: { name?: string; cards?: ExtraCard[]; checksum?: boolean } = {},
  ): FitsTableFile {
    const temp = tempBeside(path);
    const out = new OutputFile(temp);
    try {
      const checksum = options.checksum ?? true;
      writeImage(out, EMPTY_PRIMARY, true, checksum);
      const writer = new BintableWriter(out, { file: path, hdu: 1 }, survey, { ...options, checksum });
      return new FitsTableFile(path, temp, out, writer);
    } catch (error) {
      out.close();
      removeQuietly(temp);
      throw asFitsError(error, path);
    }
  }

  write(table: Table): void {
    try {
      this.writer.write(table);
    } catch (error) {
      this.abort();
      throw asFitsError(error, this.path);
    }
  }

  close(): void {
    try {
      this.writer.finish();
      this.out.close();
      renameSync(this.temp, this.path);
    } catch (error) {
      this.abort();
      throw asFitsError(error, this.path);
    }
  }

  abort(): void {
    this.out.close();
    removeQuietly(this.temp);
  }
}

interface ImageEncoding {
  bitpix: number;
  bzero: number | bigint | undefined;
  flip: boolean;
}

function imageEncoding(data: NumericArray): ImageEncoding {
  if (data instanceof Uint8Array) return { bitpix: 8, bzero: undefined, flip: false };
  if (data instanceof Int8Array) return { bitpix: 8, bzero: -128, flip: true };
  if (data instanceof Int16Array) return { bitpix: 16, bzero: undefined, flip: false };
  if (data instanceof Uint16Array) return { bitpix: 16, bzero: 32768, flip: true };
  if (data instanceof Int32Array) return { bitpix: 32, bzero: undefined, flip: false };
  if (data instanceof Uint32Array) return { bitpix: 32, bzero: 2147483648, flip: true };
  if (data instanceof BigInt64Array) return { bitpix: 64, bzero: undefined, flip: false };
  if (data instanceof BigUint64Array) return { bitpix: 64, bzero: 2n ** 63n, flip: true };
  if (data instanceof Float32Array) return { bitpix: -32, bzero: undefined, flip: false };
  return { bitpix: -64, bzero: undefined, flip: false };
}

function writeImage(out: OutputFile, image: ImageInput, primary: boolean, checksum: boolean): void {
  const count = image.shape.length === 0 ? 0 : image.shape.reduce((a, b) => a * b, 1);
  if (count !== image.data.length) {
    throw new FitsError(
      `image shape [${image.shape.join(',')}] holds ${count} values but the array has ${image.data.length}`,
    );
  }
  const encoding = imageEncoding(image.data);
  const cards: CardList = [];
  if (primary) card(cards, 'SIMPLE', true, 'conforms to FITS standard');
  else card(cards, 'XTENSION', 'IMAGE', 'Image extension');
  card(cards, 'BITPIX', encoding.bitpix, 'array data type');
  card(cards, 'NAXIS', image.shape.length, 'number of array dimensions');
  [...image.shape].reverse().forEach((n, i) => card(cards, `NAXIS${i + 1}`, n));
  if (primary) card(cards, 'EXTEND', true);
  else {
    card(cards, 'PCOUNT', 0, 'number of parameters');
    card(cards, 'GCOUNT', 1, 'number of groups');
  }
  if (encoding.bzero !== undefined) {
    card(cards, 'BSCALE', 1);
    card(cards, 'BZERO', encoding.bzero);
  }
  if (image.name) card(cards, 'EXTNAME', image.name, 'extension name');
  extraCards(cards, image.cards);
  const headerAt = out.position;
  const placeholder = sealHeader(cards, 0, checksum);
  out.write(placeholder);
  const sum = new OnesComplementSum();
  let size = 0;
  for (const chunk of imageChunks(image.data, encoding.flip)) {
    out.write(chunk);
    sum.update(chunk);
    size += chunk.length;
  }
  out.write(blockPadding(size));
  const header = sealHeader(cards, sum.value(), checksum);
  if (header.length !== placeholder.length) throw new FitsError('header size changed while writing');
  out.writeAt(header, headerAt);
}

function* imageChunks(data: NumericArray, flip: boolean): Generator<Uint8Array> {
  const per = Math.max(1, Math.floor((1 << 22) / data.BYTES_PER_ELEMENT));
  for (let start = 0; start < data.length; start += per) {
    const bytes = encodeBigEndian(data.subarray(start, start + per));
    if (flip) for (let i = 0; i < bytes.length; i += data.BYTES_PER_ELEMENT) bytes[i]! ^= 0x80;
    yield bytes;
  }
}
