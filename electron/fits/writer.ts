// Writing FITS files: IMAGE HDUs from typed arrays and BINTABLE HDUs from Arrow tables, with every
// column type the reader knows except tile compression (L, X, B, I, J, K, A, E, D, C, M, P/Q, TDIM,
// the unsigned TZERO convention, TNULL for integer nulls, NaN for float nulls), DATASUM and CHECKSUM
// on every HDU. Data streams to a temporary file beside the target, which is renamed into place only
// when complete, so a failure never leaves a half-written file under the final name.
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataType, Precision, Type, Vector } from 'apache-arrow';
import type { Field, Table } from 'apache-arrow';
import { CARD_LENGTH, formatCards, formatCommentary } from './card.ts';
import type { WritableValue } from './card.ts';
import { OnesComplementSum, checksumFor, onesComplementSum } from './checksum.ts';
import { encodeBigEndian } from './decode.ts';
import type { NumericArray } from './decode.ts';
import { FitsError } from './errors.ts';
import { paddedSize } from './hdu.ts';

export interface ExtraCard {
  keyword: string;
  value?: WritableValue;
  comment?: string;
}

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

/** Write HDUs to `path` atomically. A table first gets an empty primary HDU before it. */
export function writeFits(path: string, hdus: HduInput[], options: WriteOptions = {}): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const out = new OutputFile(temp);
  try {
    const list =
      hdus[0]?.kind === 'image'
        ? hdus
        : [{ kind: 'image', data: new Uint8Array(0), shape: [] } as ImageInput, ...hdus];
    list.forEach((hdu, index) => {
      if (hdu.kind === 'image') writeImage(out, hdu, index === 0, options.checksum ?? true);
      else writeTable(out, path, hdu, index, options.checksum ?? true);
    });
    out.close();
    renameSync(temp, path);
  } catch (error) {
    out.close();
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file may not exist yet; nothing else to clean
    }
    throw error instanceof FitsError ? error : new FitsError((error as Error).message, { file: path });
  }
}

class OutputFile {
  private readonly fd: number;
  private open = true;
  position = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.fd, bytes, done, bytes.length - done, this.position + done);
    this.position += bytes.length;
  }
  writeAt(bytes: Uint8Array, position: number): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, position + done);
  }
  close(): void {
    if (this.open) closeSync(this.fd);
    this.open = false;
  }
}

type CardList = string[];

function card(cards: CardList, keyword: string, value: WritableValue, comment = ''): void {
  cards.push(...formatCards(keyword, value, comment));
}

function extraCards(cards: CardList, extra: ExtraCard[] | undefined): void {
  for (const c of extra ?? []) {
    if (c.keyword === 'COMMENT' || c.keyword === 'HISTORY' || c.keyword === '') {
      cards.push(...formatCommentary(c.keyword, typeof c.value === 'string' ? c.value : ''));
    } else if (c.value !== undefined) card(cards, c.keyword, c.value, c.comment ?? '');
  }
}

function headerBytes(cards: CardList): Buffer {
  const text = [...cards, 'END'.padEnd(CARD_LENGTH, ' ')].join('');
  return Buffer.from(text.padEnd(paddedSize(text.length), ' '), 'latin1');
}

/** Put DATASUM and CHECKSUM into the header cards and return the final header bytes. */
function sealHeader(cards: CardList, dataSum: number, checksum: boolean): Buffer {
  if (!checksum) return headerBytes(cards);
  const sealed = [...cards];
  card(sealed, 'CHECKSUM', '0000000000000000', 'HDU checksum');
  card(sealed, 'DATASUM', String(dataSum), 'data unit checksum');
  const zeroed = headerBytes(sealed);
  const value = checksumFor(onesComplementSum(zeroed), dataSum);
  sealed.splice(sealed.length - 2, 1, ...formatCards('CHECKSUM', value, 'HDU checksum'));
  return headerBytes(sealed);
}

function writeData(out: OutputFile, chunks: Iterable<Uint8Array>, sum: OnesComplementSum): number {
  let size = 0;
  for (const chunk of chunks) {
    out.write(chunk);
    sum.update(chunk);
    size += chunk.length;
  }
  const pad = paddedSize(size) - size;
  if (pad > 0) out.write(new Uint8Array(pad));
  return size;
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
  writeData(out, imageChunks(image.data, encoding.flip), sum);
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

type Letter = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M';

interface ColumnPlan {
  name: string;
  field: Field;
  letter: Letter;
  /** Elements per row (characters for A, bits for X). */
  repeat: number;
  dims: number[] | undefined;
  variable: boolean;
  /** Arrow integer signedness differs from FITS storage: shift by TZERO. */
  tzero: number | bigint | undefined;
  tnull: bigint | undefined;
  offset: number;
  width: number;
  /** Largest variable-length array, for the TFORM maximum. */
  maxLength: number;
  /** Characters per string of a fixed A column (each element of a TDIM string array is padded to it). */
  stringWidth: number;
}

const LETTER_BYTES: Record<Letter, number> = {
  L: 1,
  X: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
};

function leafOf(type: DataType, field: Field): { letter: Letter; tzero: number | bigint | undefined } {
  const tform = field.metadata.get('fits:tform') ?? '';
  if (DataType.isBool(type)) return { letter: /X/i.test(tform) ? 'X' : 'L', tzero: undefined };
  if (DataType.isInt(type)) {
    const bits = type.bitWidth;
    if (bits === 8) return type.isSigned ? { letter: 'B', tzero: -128 } : { letter: 'B', tzero: undefined };
    const letter: Letter = bits === 16 ? 'I' : bits === 32 ? 'J' : 'K';
    const tzero = type.isSigned ? undefined : bits === 64 ? 2n ** 63n : 2 ** (bits - 1);
    return { letter, tzero };
  }
  if (DataType.isFloat(type)) {
    if (type.precision === Precision.HALF) throw new Error('half-precision floats have no FITS type');
    return { letter: type.precision === Precision.SINGLE ? 'E' : 'D', tzero: undefined };
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return { letter: 'A', tzero: undefined };
  throw new Error(`Arrow type ${Type[type.typeId]} has no FITS column type`);
}

function planColumn(field: Field, table: Table, index: number): ColumnPlan {
  let type = field.type as DataType;
  const tform = field.metadata.get('fits:tform') ?? '';
  let variable = false;
  const dims: number[] = [];
  if (DataType.isList(type)) {
    type = type.children[0]!.type as DataType;
    // A list whose rows all hold the same number of elements (a VOTable FIELD of fixed arraysize, an
    // array column of Parquet) is written as a fixed-size array, as a FITS reader expects of it;
    // otherwise, or when it was read from a variable-length (P/Q) FITS column, as a variable one.
    const length =
      /^\d*[PQ]/i.test(tform) || DataType.isUtf8(type) ? -1 : uniformLength(table.getChildAt(index)!);
    if (length > 0) dims.push(length);
    else variable = true;
  }
  while (DataType.isFixedSizeList(type)) {
    dims.push(type.listSize);
    type = type.children[0]!.type as DataType;
  }
  let letter: Letter;
  let tzero: number | bigint | undefined;
  const complex =
    /[CM]/i.test(tform) && dims.length > 0 && dims[dims.length - 1] === 2 && DataType.isFloat(type);
  if (complex) {
    dims.pop();
    letter = DataType.isFloat(type) && type.precision === Precision.SINGLE ? 'C' : 'M';
    tzero = undefined;
  } else {
    ({ letter, tzero } = leafOf(type, field));
  }
  let repeat = dims.reduce((a, b) => a * b, 1);
  const vector = table.getChildAt(index)!;
  let maxLength = 0;
  let stringWidth = 0;
  if (letter === 'A' && !variable) {
    // Fixed strings (and arrays of them, TDIM (width, n…)): as wide as the longest one.
    for (const value of vector) {
      for (const text of dims.length > 0 ? flatten(value) : [value]) {
        if (typeof text === 'string') stringWidth = Math.max(stringWidth, text.length);
      }
    }
    stringWidth = Math.max(1, stringWidth);
    repeat *= stringWidth;
    if (dims.length > 0) dims.push(stringWidth);
  }
  if (variable) {
    for (const value of vector) {
      const length = value == null ? 0 : typeof value === 'string' ? value.length : (value as Vector).length;
      maxLength = Math.max(maxLength, length);
    }
  }
  const tnull = 'BIJK'.includes(letter) ? chooseNull(vector, letter, tzero) : undefined;
  const width = variable ? 8 : letter === 'X' ? Math.ceil(repeat / 8) : repeat * LETTER_BYTES[letter];
  return {
    name: field.name,
    field,
    letter,
    repeat,
    dims: dims.length > 1 ? dims : undefined,
    variable,
    tzero,
    tnull,
    offset: 0,
    width,
    maxLength,
    stringWidth,
  };
}

/**
 * TNULL for an integer column holding nulls (in cells or inside arrays): a stored integer no valid
 * element uses — the most negative raw value if free, else the largest, else the first free one.
 * Undefined when the column has no nulls.
 */
function chooseNull(vector: Vector, letter: Letter, tzero: number | bigint | undefined): bigint | undefined {
  const bits = BigInt(LETTER_BYTES[letter] * 8);
  const low = letter === 'B' ? 0n : -(2n ** (bits - 1n));
  const high = letter === 'B' ? 255n : 2n ** (bits - 1n) - 1n;
  const used = new Set<bigint>();
  let nulls = false;
  for (const cell of vector) {
    for (const value of typeof cell === 'object' && cell !== null ? flatten(cell) : [cell]) {
      if (value == null) nulls = true;
      else used.add(BigInt(value as number | bigint) - BigInt(tzero ?? 0));
    }
  }
  if (!nulls) return undefined;
  if (!used.has(low)) return low;
  if (!used.has(high)) return high;
  for (let candidate = low + 1n; candidate < high; candidate += 1n)
    if (!used.has(candidate)) return candidate;
  throw new Error('every stored value is in use, so nulls cannot be marked with TNULL');
}

function tformOf(plan: ColumnPlan, heapIs64: boolean): string {
  if (plan.variable) return `${heapIs64 ? 'Q' : 'P'}${plan.letter}(${plan.maxLength})`;
  return `${plan.repeat}${plan.letter}`;
}

function writeTable(
  out: OutputFile,
  path: string,
  input: TableInput,
  index: number,
  checksum: boolean,
): void {
  const table = input.table;
  const plans = table.schema.fields.map((field, k) => {
    try {
      return planColumn(field, table, k);
    } catch (error) {
      throw new FitsError((error as Error).message, { file: path, hdu: index, column: field.name });
    }
  });
  let rowWidth = 0;
  for (const plan of plans) {
    plan.offset = rowWidth;
    rowWidth += plan.width;
  }
  const rows = table.numRows;
  const heap: Buffer[] = [];
  let heapSize = 0;
  const cards: CardList = [];
  const headerAt = out.position;
  const buildCards = (heapBytes: number): CardList => {
    const list: CardList = [];
    card(list, 'XTENSION', 'BINTABLE', 'binary table extension');
    card(list, 'BITPIX', 8, 'array data type');
    card(list, 'NAXIS', 2, 'number of array dimensions');
    card(list, 'NAXIS1', rowWidth, 'length of dimension 1');
    card(list, 'NAXIS2', rows, 'length of dimension 2');
    card(list, 'PCOUNT', heapBytes, 'number of group parameters');
    card(list, 'GCOUNT', 1, 'number of groups');
    card(list, 'TFIELDS', plans.length, 'number of table fields');
    plans.forEach((plan, k) => {
      const n = k + 1;
      card(list, `TTYPE${n}`, plan.name, plan.field.metadata.get('description') ?? '');
      card(list, `TFORM${n}`, tformOf(plan, false));
      const unit = plan.field.metadata.get('unit');
      if (unit) card(list, `TUNIT${n}`, unit);
      if (plan.tnull !== undefined) card(list, `TNULL${n}`, plan.tnull);
      if (plan.tzero !== undefined) {
        card(list, `TSCAL${n}`, 1);
        card(list, `TZERO${n}`, plan.tzero);
      }
      if (plan.dims) card(list, `TDIM${n}`, `(${[...plan.dims].reverse().join(',')})`);
      const display = plan.field.metadata.get('tdisp');
      if (display) card(list, `TDISP${n}`, display);
    });
    if (input.name) card(list, 'EXTNAME', input.name, 'extension name');
    extraCards(list, input.cards);
    return list;
  };
  cards.push(...buildCards(0));
  const placeholder = sealHeader(cards, 0, checksum);
  out.write(placeholder);
  const sum = new OnesComplementSum();
  const chunks = function* (): Generator<Uint8Array> {
    const per = Math.max(1, Math.floor((1 << 22) / Math.max(1, rowWidth)));
    for (let start = 0; start < rows; start += per) {
      const count = Math.min(per, rows - start);
      const bytes = Buffer.alloc(count * rowWidth);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      plans.forEach((plan, k) => {
        const vector = table.getChildAt(k)!;
        for (let r = 0; r < count; r += 1) {
          const at = r * rowWidth + plan.offset;
          const value: unknown = vector.get(start + r);
          try {
            if (plan.variable) {
              const elements = value == null ? [] : typeof value === 'string' ? [...value] : flatten(value);
              const encoded = encodeElements(plan, elements);
              view.setInt32(
                at,
                plan.letter === 'A'
                  ? encoded.length
                  : plan.letter === 'C' || plan.letter === 'M'
                    ? elements.length / 2
                    : elements.length,
                false,
              );
              view.setInt32(at + 4, heapSize, false);
              heap.push(encoded);
              heapSize += encoded.length;
              if (heapSize > 2 ** 31 - 1) throw new Error('the heap exceeds 2 GiB');
            } else {
              const elements =
                plan.letter === 'A'
                  ? plan.dims
                    ? flatten(value)
                    : [value]
                  : plan.repeat === 1 &&
                      !plan.dims &&
                      plan.letter !== 'C' &&
                      plan.letter !== 'M' &&
                      plan.letter !== 'X'
                    ? [value]
                    : flatten(value);
              bytes.set(encodeElements(plan, elements), at);
            }
          } catch (error) {
            throw new FitsError(`row ${start + r}: ${(error as Error).message}`, {
              file: path,
              hdu: index,
              column: plan.name,
            });
          }
        }
      });
      yield bytes;
    }
    for (const piece of heap) yield piece;
  };
  writeData(out, chunks(), sum);
  const finalCards = buildCards(heapSize);
  const header = sealHeader(finalCards, sum.value(), checksum);
  if (header.length !== placeholder.length)
    throw new FitsError('header size changed while writing', { file: path, hdu: index });
  out.writeAt(header, headerAt);
}

/** The length every row's list has, or -1 when rows differ or one is null. */
function uniformLength(vector: Vector): number {
  let length = -1;
  for (let r = 0; r < vector.length; r += 1) {
    const value = vector.get(r) as Vector | null;
    if (value === null || (length >= 0 && value.length !== length)) return -1;
    length = value.length;
  }
  return length;
}

function flatten(value: unknown): unknown[] {
  if (value == null) return [];
  if (value instanceof Vector)
    return [...(value as Iterable<unknown>)].flatMap((v) => (v instanceof Vector ? flatten(v) : [v]));
  if (Array.isArray(value))
    return (value as unknown[]).flatMap((v) => (v instanceof Vector || Array.isArray(v) ? flatten(v) : [v]));
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  return [value];
}

/** Encode elements of one cell (or one heap array) big-endian, with TZERO shift and TNULL. */
function encodeElements(plan: ColumnPlan, elements: unknown[]): Buffer {
  if (plan.letter === 'A') {
    const texts = elements.map((e) => (typeof e === 'string' ? e : ''));
    const text = plan.variable ? texts.join('') : texts.map((t) => t.padEnd(plan.stringWidth, '\0')).join('');
    if ([...text].some((ch) => ch.charCodeAt(0) > 0xff))
      throw new Error('string holds characters outside Latin-1');
    const width = plan.variable ? text.length : plan.repeat;
    const out = Buffer.alloc(width);
    out.write(text, 'latin1');
    return out;
  }
  if (plan.letter === 'X') {
    const out = Buffer.alloc(Math.ceil((plan.variable ? elements.length : plan.repeat) / 8));
    elements.forEach((bit, k) => {
      if (bit) out[k >> 3]! |= 0x80 >> (k & 7);
    });
    return out;
  }
  const complexValues = plan.letter === 'C' || plan.letter === 'M';
  const count = plan.variable ? (complexValues ? elements.length / 2 : elements.length) : plan.repeat;
  const perElement = LETTER_BYTES[plan.letter];
  const out = Buffer.alloc(count * perElement);
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  for (let k = 0; k < count; k += 1) {
    const at = k * perElement;
    if (complexValues) {
      const re = elements[2 * k];
      const im = elements[2 * k + 1];
      if (plan.letter === 'C') {
        view.setFloat32(at, re == null ? NaN : Number(re), false);
        view.setFloat32(at + 4, im == null ? NaN : Number(im), false);
      } else {
        view.setFloat64(at, re == null ? NaN : Number(re), false);
        view.setFloat64(at + 8, im == null ? NaN : Number(im), false);
      }
      continue;
    }
    const value = elements[k];
    switch (plan.letter) {
      case 'L':
        view.setUint8(at, value == null ? 0 : value ? 84 : 70);
        break;
      case 'E':
        view.setFloat32(at, value == null ? NaN : Number(value), false);
        break;
      case 'D':
        view.setFloat64(at, value == null ? NaN : Number(value), false);
        break;
      default:
        writeInteger(view, at, plan, value);
    }
  }
  return out;
}

function writeInteger(view: DataView, at: number, plan: ColumnPlan, value: unknown): void {
  let raw: bigint;
  if (value == null) {
    if (plan.tnull === undefined) throw new Error('null in a column without TNULL');
    raw = plan.tnull;
  } else {
    raw = BigInt(value as number | bigint) - BigInt(plan.tzero ?? 0);
    if (plan.tnull !== undefined && raw === plan.tnull) {
      throw new Error(`value ${raw + BigInt(plan.tzero ?? 0)} collides with the TNULL chosen for nulls`);
    }
  }
  switch (plan.letter) {
    case 'B':
      view.setUint8(at, Number(raw));
      break;
    case 'I':
      view.setInt16(at, Number(raw), false);
      break;
    case 'J':
      view.setInt32(at, Number(raw), false);
      break;
    default:
      view.setBigInt64(at, raw, false);
  }
}
