// Binary-table data (FITS 4.0 §7.3): rows read in batches straight into a reused Buffer, cells
// decoded with a DataView (big-endian), TSCAL/TZERO/TNULL applied, bits and logicals, complex
// pairs, TDIM cells reshaped from the file's column-major order to row-major nested arrays, and
// variable-length arrays (P/Q descriptors) read from the heap at THEAP with bounds checked.
import { binaryColumns } from './column.ts';
import type { BinaryColumn } from './column.ts';
import type { Complex } from './card.ts';
import { FitsError, withContext } from './errors.ts';
import type { FitsFile } from './file.ts';
import type { Hdu } from './hdu.ts';

/** One decoded cell: NaN stays NaN; TNULL and logical nulls are null; int64 are bigint. */
export type CellValue = number | bigint | boolean | string | null | Complex | CellValue[];

export interface RowBatch {
  /** Index of the batch's first row. */
  start: number;
  count: number;
  /** count × rowWidth bytes (the buffer is reused by the next batch). */
  bytes: Buffer;
  view: DataView;
}

const BATCH_BYTES = 1 << 23;
const TWO_63 = 2n ** 63n;

export class BinaryTable {
  readonly file: FitsFile;
  readonly hdu: Hdu;
  readonly columns: BinaryColumn[];
  readonly rows: number;
  readonly rowWidth: number;
  /** Offset of the heap from the start of the data, and where the data ends. */
  readonly heapOffset: number;
  readonly dataEnd: number;

  constructor(file: FitsFile, hdu: Hdu) {
    this.file = file;
    this.hdu = hdu;
    const context = { file: file.path, hdu: hdu.index, hduName: hdu.name || undefined };
    const header = hdu.header;
    this.columns = withContext(context, () => binaryColumns(header));
    this.rows = withContext(context, () => header.integer('NAXIS2'));
    this.rowWidth = withContext(context, () => header.integer('NAXIS1'));
    const mainSize = this.rows * this.rowWidth;
    this.heapOffset = withContext(context, () => header.optionalInteger('THEAP') ?? mainSize);
    this.dataEnd = hdu.dataSize;
    if (this.heapOffset < mainSize && this.columns.some((c) => c.descriptor)) {
      throw file.error(hdu, `THEAP ${this.heapOffset} points inside the main table (${mainSize} bytes)`, {
        keyword: 'THEAP',
      });
    }
  }

  column(name: string): BinaryColumn {
    const exact = this.columns.find((c) => c.name === name);
    const found = exact ?? this.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!found) throw this.file.error(this.hdu, 'no such column', { column: name });
    return found;
  }

  /** Rows [start, end) in batches of about 8 MiB (or `batchRows`), one reused buffer. */
  *batches(start = 0, end = this.rows, batchRows?: number): Generator<RowBatch> {
    if (start < 0 || end > this.rows || start > end) {
      throw this.file.error(this.hdu, `row range ${start}–${end} is outside 0–${this.rows}`);
    }
    this.file.checkDataPresent(this.hdu);
    if (this.rowWidth === 0) {
      const bytes = Buffer.alloc(0);
      for (let s = start; s < end; s += 1 << 20) {
        yield { start: s, count: Math.min(1 << 20, end - s), bytes, view: new DataView(bytes.buffer) };
      }
      return;
    }
    if (start === end) return;
    const per = batchRows ?? Math.max(1, Math.floor(BATCH_BYTES / this.rowWidth));
    const buffer = Buffer.allocUnsafe(Math.min(per, Math.max(1, end - start)) * this.rowWidth);
    for (let s = start; s < end; s += per) {
      const count = Math.min(per, end - s);
      const bytes = buffer.subarray(0, count * this.rowWidth);
      this.file.readDataInto(this.hdu, bytes, s * this.rowWidth);
      yield { start: s, count, bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length) };
    }
  }

  /** The bytes of one row. */
  row(index: number): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= this.rows) {
      throw this.file.error(this.hdu, `row ${index} is outside 0–${this.rows - 1}`);
    }
    this.file.checkDataPresent(this.hdu);
    return this.file.readData(this.hdu, index * this.rowWidth, this.rowWidth);
  }

  /** Decode one cell of a row held in `view` at byte `rowStart`. */
  cell(view: DataView, rowStart: number, column: BinaryColumn, row: number): CellValue {
    const at = rowStart + column.offset;
    if (column.descriptor) return this.variableCell(view, at, column, row);
    if (column.type === 'A') return strings(view, at, column.repeat, column.dims);
    if (column.type === 'X') return bits(view, at, column.repeat);
    const values: CellValue[] = [];
    const step = elementBytes(column);
    for (let k = 0; k < column.repeat; k += 1) values.push(element(view, at + k * step, column));
    if (column.repeat === 1 && !column.dims) return values[0]!;
    return column.dims ? reshape(values, column.dims) : values;
  }

  /**
   * The raw heap bytes of a variable-length cell whose descriptor is at byte `at` of `view`, with its
   * element count; fails, naming column and row, if the descriptor points outside the heap.
   */
  heapCell(view: DataView, at: number, column: BinaryColumn, row: number): { count: number; bytes: Buffer } {
    let count: number;
    let offset: number;
    if (column.descriptor === 'P') {
      count = view.getInt32(at, false);
      offset = view.getInt32(at + 4, false);
    } else {
      count = Number(view.getBigInt64(at, false));
      offset = Number(view.getBigInt64(at + 8, false));
    }
    const bytesNeeded = column.type === 'X' ? Math.ceil(count / 8) : count * elementBytes(column);
    const start = this.heapOffset + offset;
    if (count < 0 || offset < 0 || start < 0 || start + bytesNeeded > this.dataEnd) {
      throw new FitsError(
        `row ${row}: variable-length descriptor (${count} elements at heap offset ${offset}) lies outside the heap`,
        {
          file: this.file.path,
          hdu: this.hdu.index,
          hduName: this.hdu.name || undefined,
          column: column.name,
        },
      );
    }
    return { count, bytes: count === 0 ? Buffer.alloc(0) : this.file.readData(this.hdu, start, bytesNeeded) };
  }

  private variableCell(view: DataView, at: number, column: BinaryColumn, row: number): CellValue {
    const { count, bytes } = this.heapCell(view, at, column, row);
    if (count === 0) return column.type === 'A' ? '' : [];
    const heapView = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    if (column.type === 'A') return strings(heapView, 0, count, undefined);
    if (column.type === 'X') return bits(heapView, 0, count);
    if (column.type === 'L' && isLegacyLogical(bytes)) return [...bytes].map((b) => b === 1);
    const values: CellValue[] = [];
    const step = elementBytes(column);
    for (let k = 0; k < count; k += 1) values.push(element(heapView, k * step, column));
    return values;
  }
}

export function openBinaryTable(file: FitsFile, hdu: Hdu): BinaryTable {
  return new BinaryTable(file, hdu);
}

/**
 * astropy ≤ 7.2 wrote variable-length logical arrays as 0/1 bytes instead of 'T'/'F'; astropy reads
 * such arrays as booleans, and so do we when a cell holds a 1 and nothing else but 0.
 */
function isLegacyLogical(bytes: Uint8Array): boolean {
  let one = false;
  for (const b of bytes) {
    if (b === 1) one = true;
    else if (b !== 0) return false;
  }
  return one;
}

function elementBytes(column: BinaryColumn): number {
  switch (column.type) {
    case 'I':
      return 2;
    case 'J':
    case 'E':
      return 4;
    case 'K':
    case 'D':
    case 'C':
      return 8;
    case 'M':
      return 16;
    default:
      return 1;
  }
}

/** One numeric, logical or complex element with its column's scaling and null. */
function element(view: DataView, at: number, column: BinaryColumn): CellValue {
  switch (column.type) {
    case 'L': {
      const b = view.getUint8(at);
      return b === 84 ? true : b === 70 ? false : null;
    }
    case 'B':
      return integer(view.getUint8(at), column);
    case 'I':
      return integer(view.getInt16(at, false), column);
    case 'J':
      return integer(view.getInt32(at, false), column);
    case 'K': {
      const raw = view.getBigInt64(at, false);
      if (column.nullValue !== undefined && raw === column.nullValue) return null;
      if (column.unsigned) return raw + TWO_63;
      if (column.scaled) return Number(raw) * column.scale + column.zero;
      return raw;
    }
    case 'E':
      return floating(view.getFloat32(at, false), column);
    case 'D':
      return floating(view.getFloat64(at, false), column);
    case 'C':
      return { re: view.getFloat32(at, false), im: view.getFloat32(at + 4, false) };
    case 'M':
      return { re: view.getFloat64(at, false), im: view.getFloat64(at + 8, false) };
    default:
      return null;
  }
}

function integer(raw: number, column: BinaryColumn): number | null {
  if (column.nullValue !== undefined && BigInt(raw) === column.nullValue) return null;
  if (column.unsigned) return raw + column.zero;
  if (column.scaled) return raw * column.scale + column.zero;
  return raw;
}

function floating(raw: number, column: BinaryColumn): number {
  return column.scaled ? raw * column.scale + column.zero : raw;
}

function bits(view: DataView, at: number, count: number): boolean[] {
  const out: boolean[] = [];
  for (let k = 0; k < count; k += 1) out.push((view.getUint8(at + (k >> 3)) & (0x80 >> (k & 7))) !== 0);
  return out;
}

/** Characters up to the first NUL, trailing blanks removed (FITS 4.0 §7.3.3.1). */
export function fitsString(view: DataView, at: number, length: number): string {
  let end = at;
  const stop = at + length;
  while (end < stop && view.getUint8(end) !== 0) end += 1;
  while (end > at && view.getUint8(end - 1) === 0x20) end -= 1;
  let text = '';
  for (let k = at; k < end; k += 1) text += String.fromCharCode(view.getUint8(k));
  return text;
}

function strings(view: DataView, at: number, length: number, dims: number[] | undefined): CellValue {
  if (!dims || dims.length <= 1) return fitsString(view, at, dims?.[0] ?? length);
  const width = dims[dims.length - 1]!;
  const outer = dims.slice(0, -1);
  const count = outer.reduce((a, b) => a * b, 1);
  const list: CellValue[] = [];
  for (let k = 0; k < count; k += 1) list.push(fitsString(view, at + k * width, width));
  return reshape(list, outer);
}

/** Flat values (the file's order, first FITS axis fastest) to nested arrays in numpy order. */
export function reshape(values: CellValue[], dims: number[]): CellValue[] {
  if (dims.length <= 1) return values.slice(0, dims[0] ?? values.length);
  const [first, ...rest] = dims;
  const inner = rest.reduce((a, b) => a * b, 1);
  const out: CellValue[] = [];
  for (let k = 0; k < first!; k += 1) out.push(reshape(values.slice(k * inner, (k + 1) * inner), rest));
  return out;
}
