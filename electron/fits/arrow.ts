// Tables and images handed to the rest of Cradle as Apache Arrow: a table HDU becomes record batches
// (one per read batch, so a large table streams) whose fields carry the FITS unit, TDISP, description
// and TFORM as metadata; an image becomes its typed array with shape (numpy order) and WCS. Numeric columns
// are decoded in bulk (gather the column's bytes, swap, view); TNULL and NaN become Arrow nulls.
import {
  Bool,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { AsciiTable } from './asciitable.ts';
import type { AsciiColumn } from './asciitable.ts';
import { BinaryTable } from './bintable.ts';
import type { CellValue, RowBatch } from './bintable.ts';
import type { BinaryColumn } from './column.ts';
import { decodeBigEndian, flipSign } from './decode.ts';
import type { NumericArray, StorageCode } from './decode.ts';
import { withContext } from './errors.ts';
import type { FitsFile } from './file.ts';
import type { Hdu } from './hdu.ts';
import { readCompressedImage } from './compressed.ts';
import { readImage } from './image.ts';
import { readWcs } from './wcs/wcs.ts';
import type { Wcs } from './wcs/wcs.ts';

export type FitsTable = BinaryTable | AsciiTable;

export function openTable(file: FitsFile, hdu: Hdu): FitsTable {
  if (hdu.type === 'BINTABLE') return new BinaryTable(file, hdu);
  if (hdu.type === 'TABLE') return new AsciiTable(file, hdu);
  throw file.error(hdu, `a table was expected, this HDU is ${hdu.type}`);
}

function scalarType(column: BinaryColumn): DataType {
  if (column.scaled) return new Float64();
  switch (column.type) {
    case 'L':
      return new Bool();
    case 'X':
      return new Bool();
    case 'B':
      return column.unsigned ? new Int8() : new Uint8();
    case 'I':
      return column.unsigned ? new Uint16() : new Int16();
    case 'J':
      return column.unsigned ? new Uint32() : new Int32();
    case 'K':
      return column.unsigned ? new Uint64() : new Int64();
    case 'E':
      return new Float32();
    case 'D':
      return new Float64();
    case 'C':
      return new FixedSizeList(2, new Field('item', new Float32(), true));
    case 'M':
      return new FixedSizeList(2, new Field('item', new Float64(), true));
    case 'A':
      return new Utf8();
  }
}

/** The Arrow type of a binary-table column. */
export function binaryColumnType(column: BinaryColumn): DataType {
  const element = scalarType(column);
  if (column.descriptor) return new List(new Field('item', element, true));
  if (column.type === 'A') {
    if (!column.dims || column.dims.length <= 1) return element;
    return nest(element, column.dims.slice(0, -1));
  }
  if (column.type === 'X') return new FixedSizeList(column.repeat, new Field('item', element, true));
  if (column.dims && column.dims.reduce((a, b) => a * b, 1) === column.repeat)
    return nest(element, column.dims);
  if (column.repeat === 1) return element;
  return new FixedSizeList(column.repeat, new Field('item', element, true));
}

function nest(element: DataType, dims: number[]): DataType {
  let type = element;
  for (let k = dims.length - 1; k >= 0; k -= 1)
    type = new FixedSizeList(dims[k]!, new Field('item', type, true));
  return type;
}

function asciiColumnType(column: AsciiColumn): DataType {
  if (column.type === 'A') return new Utf8();
  if (column.scale !== 1 || column.zero !== 0) return new Float64();
  if (column.type === 'I') return column.wide ? new Int64() : new Int32();
  return new Float64();
}

function metadata(column: {
  unit: string;
  display: string;
  description: string;
  format: string;
}): Map<string, string> {
  const map = new Map<string, string>([['fits:tform', column.format]]);
  if (column.unit) map.set('unit', column.unit);
  if (column.display) map.set('tdisp', column.display);
  if (column.description) map.set('description', column.description);
  return map;
}

function binarySchema(columns: BinaryColumn[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, binaryColumnType(c), true, metadata(c))));
}

function asciiSchema(columns: AsciiColumn[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, asciiColumnType(c), true, metadata(c))));
}

export function tableSchema(table: FitsTable, names?: string[]): Schema {
  if (table instanceof BinaryTable)
    return binarySchema(names ? names.map((n) => table.column(n)) : table.columns);
  return asciiSchema(names ? names.map((n) => table.column(n)) : table.columns);
}

export interface BatchOptions {
  columns?: string[] | undefined;
  start?: number;
  end?: number;
  batchRows?: number;
}

/** Record batches of a table HDU, one per read batch. Each field is decoded from the column it was
 * made from (by position), so nothing depends on names being unique. */
export function* tableBatches(table: FitsTable, options: BatchOptions = {}): Generator<RecordBatch> {
  const start = options.start ?? 0;
  const end = options.end ?? table.rows;
  const names = options.columns;
  if (table instanceof BinaryTable) {
    const columns = names ? names.map((n) => table.column(n)) : table.columns;
    const schema = binarySchema(columns);
    for (const batch of table.batches(start, end, options.batchRows)) {
      const children: Data[] = columns.map((column, k) =>
        withContext({ column: column.name }, () =>
          binaryColumnData(table, batch, column, schema.fields[k]!.type as DataType),
        ),
      );
      yield new RecordBatch(
        schema,
        makeData({ type: new Struct(schema.fields), length: batch.count, nullCount: 0, children }),
      );
    }
    return;
  }
  const columns = names ? names.map((n) => table.column(n)) : table.columns;
  const schema = asciiSchema(columns);
  for (const batch of table.batches(start, end)) {
    const children: Data[] = columns.map((column, k) => {
      const values: CellValue[] = [];
      for (let r = 0; r < batch.count; r += 1)
        values.push(table.cell(batch.bytes, r * table.rowWidth, column, batch.start + r));
      return vectorFromArray(values, schema.fields[k]!.type as DataType).data[0]!;
    });
    yield new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: batch.count, nullCount: 0, children }),
    );
  }
}

/** A whole table HDU (or a row range / column subset) as one Arrow Table. */
export function readTable(file: FitsFile, hdu: Hdu, options: BatchOptions = {}): Table {
  const table = openTable(file, hdu);
  const batches = [...tableBatches(table, options)];
  return batches.length > 0 ? new Table(batches) : new Table(tableSchema(table, options.columns));
}

const STORAGE: Partial<Record<string, StorageCode>> = { B: 'B', I: 'I', J: 'J', K: 'K', E: 'E', D: 'D' };
const WIDTH: Record<StorageCode, number> = { B: 1, I: 2, J: 4, K: 8, E: 4, D: 8 };

function binaryColumnData(table: BinaryTable, batch: RowBatch, column: BinaryColumn, type: DataType): Data {
  const code = STORAGE[column.type];
  if (code && !column.descriptor) return numericData(table, batch, column, code, type);
  if (column.type === 'A' && !column.descriptor && (!column.dims || column.dims.length <= 1)) {
    return stringData(batch, table.rowWidth, column);
  }
  const values: unknown[] = [];
  for (let r = 0; r < batch.count; r += 1) {
    values.push(arrowValue(table.cell(batch.view, r * table.rowWidth, column, batch.start + r)));
  }
  return vectorFromArray(values, type).data[0]!;
}

/** Cell values in the shapes vectorFromArray takes: complex as [re, im], NaN as null. */
function arrowValue(value: CellValue): unknown {
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  if (Array.isArray(value)) return value.map(arrowValue);
  if (value !== null && typeof value === 'object') return [value.re, value.im];
  return value;
}

function gather(batch: RowBatch, rowWidth: number, offset: number, width: number): Uint8Array {
  const out = new Uint8Array(batch.count * width);
  const src = batch.bytes;
  if (width === rowWidth) {
    out.set(src.subarray(0, out.length));
    return out;
  }
  for (let r = 0, p = offset, q = 0; r < batch.count; r += 1, p += rowWidth) {
    for (let k = 0; k < width; k += 1) out[q++] = src[p + k]!;
  }
  return out;
}

function numericData(
  table: BinaryTable,
  batch: RowBatch,
  column: BinaryColumn,
  code: StorageCode,
  type: DataType,
): Data {
  const perRow = column.repeat;
  const n = batch.count * perRow;
  const raw = decodeBigEndian(gather(batch, table.rowWidth, column.offset, perRow * WIDTH[code]), code, n);
  const invalid = new Uint8Array(n);
  let nulls = 0;
  if (column.nullValue !== undefined) {
    if (raw instanceof BigInt64Array) {
      for (let i = 0; i < n; i += 1) {
        if (raw[i] === column.nullValue) {
          invalid[i] = 1;
          nulls += 1;
        }
      }
    } else {
      const nullValue = Number(column.nullValue);
      const values = raw as Exclude<NumericArray, BigInt64Array | BigUint64Array>;
      for (let i = 0; i < n; i += 1) {
        if (values[i] === nullValue) {
          invalid[i] = 1;
          nulls += 1;
        }
      }
    }
  }
  let values: NumericArray = raw;
  if (column.scaled) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 1) out[i] = Number(raw[i]!) * column.scale + column.zero;
    values = out;
  } else if (column.unsigned) {
    values = flipSign(raw);
  }
  if (values instanceof Float32Array || values instanceof Float64Array) {
    for (let i = 0; i < n; i += 1) {
      if (values[i] !== values[i] && !invalid[i]) {
        invalid[i] = 1;
        nulls += 1;
      }
    }
  }
  const leaf = leafType(type);
  const data: Data = makeData({
    type: leaf,
    length: n,
    nullCount: nulls,
    nullBitmap: nulls > 0 ? bitmap(invalid) : null,
    data: values,
  } as never);
  return wrapFixed(data, type, batch.count);
}

function leafType(type: DataType): DataType {
  let t = type;
  while (t instanceof FixedSizeList) t = t.children[0]!.type as DataType;
  return t;
}

/** Wrap flat leaf data in the FixedSizeList levels of `type`. */
function wrapFixed(leaf: Data, type: DataType, rows: number): Data {
  if (!(type instanceof FixedSizeList)) return leaf;
  const levels: FixedSizeList[] = [];
  let t: DataType = type;
  while (t instanceof FixedSizeList) {
    levels.push(t);
    t = t.children[0]!.type as DataType;
  }
  let data = leaf;
  let length = leaf.length;
  for (let k = levels.length - 1; k >= 0; k -= 1) {
    const level = levels[k]!;
    length = level.listSize === 0 ? rows : length / level.listSize;
    data = makeData({ type: level, length, nullCount: 0, child: data });
  }
  return data;
}

/** Arrow validity bitmap (LSB first, 1 = valid) from a per-value "invalid" flag. */
function bitmap(invalid: Uint8Array): Uint8Array {
  const bits = new Uint8Array(Math.ceil(invalid.length / 8));
  for (let i = 0; i < invalid.length; i += 1) if (!invalid[i]) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

function stringData(batch: RowBatch, rowWidth: number, column: BinaryColumn): Data {
  const width = column.dims?.[0] ?? column.repeat;
  const offsets = new Int32Array(batch.count + 1);
  const bytes = new Uint8Array(batch.count * width);
  const src = batch.bytes;
  let q = 0;
  for (let r = 0; r < batch.count; r += 1) {
    const start = r * rowWidth + column.offset;
    let end = start;
    while (end < start + width && src[end] !== 0) end += 1;
    while (end > start && src[end - 1] === 0x20) end -= 1;
    for (let p = start; p < end; p += 1) {
      const b = src[p]!;
      bytes[q++] = b < 0x80 ? b : 0x3f;
    }
    offsets[r + 1] = q;
  }
  return makeData({
    type: new Utf8(),
    length: batch.count,
    nullCount: 0,
    valueOffsets: offsets,
    data: bytes.subarray(0, q),
  });
}

export interface ImageOutput {
  /** Physical values (BSCALE/BZERO applied, BLANK as NaN), numpy order. */
  data: NumericArray;
  /** Axis lengths, slowest first. */
  shape: number[];
  /** The header's WCS; undefined when it has none or one Cradle cannot evaluate (see wcsProblem). */
  wcs: Wcs | undefined;
  wcsProblem: string | undefined;
}

/** An image HDU (plain or tile-compressed) as its typed array, shape and WCS. */
export function readImageOutput(file: FitsFile, hdu: Hdu): ImageOutput {
  if (hdu.type !== 'PRIMARY' && hdu.type !== 'IMAGE' && hdu.type !== 'COMPRESSED_IMAGE') {
    throw file.error(hdu, `an image was expected, this HDU is ${hdu.type}`);
  }
  const image = hdu.type === 'COMPRESSED_IMAGE' ? readCompressedImage(file, hdu) : readImage(file, hdu);
  let wcs: Wcs | undefined;
  let wcsProblem: string | undefined;
  try {
    const found = readWcs(hdu.header, { naxis: image.shape.length });
    wcs = found.present ? found : undefined;
  } catch (error) {
    wcsProblem = error instanceof Error ? error.message : String(error);
  }
  return { data: image.data, shape: image.shape, wcs, wcsProblem };
}
