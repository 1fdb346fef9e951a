// Column statistics over a table in physical values, streamed batch by batch so memory stays bounded
// by the batch, not the file: min, max, mean, NaN count and null (TNULL / blank field) count, with
// NaN and nulls excluded from min/max/mean. 64-bit integers keep exact min/max (compared as high and
// low 32-bit halves, never through a lossy double) and are reported as decimal strings.
import { type AsciiTable } from './asciitable.ts';
import type { AsciiColumn } from './asciitable.ts';
import type { BinaryTable } from './bintable.ts';
import type { BinaryColumn } from './column.ts';

export interface ColumnStats {
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  nan: number;
  nulls: number;
}

export interface TableStats {
  rows: number;
  columns: Record<string, ColumnStats>;
}

interface Accumulator {
  min: number;
  max: number;
  sum: number;
  count: number;
  nan: number;
  nulls: number;
  /** int64 extremes as [high key, low] halves (high offset by 2^31 for unsigned). */
  minHi: number;
  minLo: number;
  maxHi: number;
  maxLo: number;
}

function accumulator(): Accumulator {
  return {
    min: Infinity,
    max: -Infinity,
    sum: 0,
    count: 0,
    nan: 0,
    nulls: 0,
    minHi: Infinity,
    minLo: 0,
    maxHi: -Infinity,
    maxLo: 0,
  };
}

const CACHE_BATCH_BYTES = 1 << 18;

/** The binary-table columns `stats` covers: numeric scalars. */
export function statColumns(table: BinaryTable): BinaryColumn[] {
  return table.columns.filter((c) => !c.descriptor && c.repeat === 1 && 'BIJKED'.includes(c.type));
}

export function binaryTableStats(table: BinaryTable, names?: string[]): TableStats {
  const columns = names ? names.map((n) => table.column(n)) : statColumns(table);
  for (const c of columns) {
    if (c.descriptor || c.repeat !== 1 || !'BIJKED'.includes(c.type)) {
      throw table.file.error(table.hdu, `statistics need a numeric scalar column, this is ${c.format}`, {
        column: c.name,
      });
    }
  }
  const accumulators = columns.map(() => accumulator());
  // Small batches: every column makes a pass over the batch, which must stay in the CPU cache.
  const batchRows = Math.max(1, Math.floor(CACHE_BATCH_BYTES / Math.max(1, table.rowWidth)));
  for (const batch of table.batches(0, table.rows, batchRows)) {
    for (let c = 0; c < columns.length; c += 1) {
      accumulate(batch.view, batch.count, table.rowWidth, columns[c]!, accumulators[c]!);
    }
  }
  const out: Record<string, ColumnStats> = {};
  columns.forEach((column, c) => {
    out[column.name] = finish(accumulators[c]!, column.type === 'K' && !column.scaled);
  });
  return { rows: table.rows, columns: out };
}

/**
 * One column over a batch of rows. Each element type has its own loop reading big-endian values with
 * a DataView (monomorphic, so V8 compiles it to plain loads and byte swaps).
 */
function accumulate(
  view: DataView,
  rows: number,
  rowWidth: number,
  column: BinaryColumn,
  a: Accumulator,
): void {
  const offset = column.offset;
  switch (column.type) {
    case 'K':
      accumulateInt64(view, rows, rowWidth, offset, column, a);
      return;
    case 'D':
      accumulateFloat64(view, rows, rowWidth, offset, column, a);
      return;
    case 'E':
      accumulateFloat32(view, rows, rowWidth, offset, column, a);
      return;
    case 'J':
      accumulateInteger(int32At, view, rows, rowWidth, offset, column, a);
      return;
    case 'I':
      accumulateInteger(int16At, view, rows, rowWidth, offset, column, a);
      return;
    default:
      accumulateInteger(uint8At, view, rows, rowWidth, offset, column, a);
  }
}

function accumulateFloat64(
  view: DataView,
  rows: number,
  rowWidth: number,
  offset: number,
  column: BinaryColumn,
  a: Accumulator,
): void {
  const { scale, zero, scaled } = column;
  let { min, max, sum, count, nan } = a;
  for (let r = 0, p = offset; r < rows; r += 1, p += rowWidth) {
    let v = view.getFloat64(p, false);
    if (v !== v) {
      nan += 1;
      continue;
    }
    if (scaled) v = v * scale + zero;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count += 1;
  }
  Object.assign(a, { min, max, sum, count, nan });
}

function accumulateFloat32(
  view: DataView,
  rows: number,
  rowWidth: number,
  offset: number,
  column: BinaryColumn,
  a: Accumulator,
): void {
  const { scale, zero, scaled } = column;
  let { min, max, sum, count, nan } = a;
  for (let r = 0, p = offset; r < rows; r += 1, p += rowWidth) {
    let v = view.getFloat32(p, false);
    if (v !== v) {
      nan += 1;
      continue;
    }
    if (scaled) v = v * scale + zero;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count += 1;
  }
  Object.assign(a, { min, max, sum, count, nan });
}

const uint8At = (view: DataView, p: number): number => view.getUint8(p);
const int16At = (view: DataView, p: number): number => view.getInt16(p, false);
const int32At = (view: DataView, p: number): number => view.getInt32(p, false);

function accumulateInteger(
  read: (view: DataView, p: number) => number,
  view: DataView,
  rows: number,
  rowWidth: number,
  offset: number,
  column: BinaryColumn,
  a: Accumulator,
): void {
  const nullValue = column.nullValue === undefined ? undefined : Number(column.nullValue);
  const { scale, zero, scaled } = column;
  const shift = column.unsigned ? zero : 0;
  let { min, max, sum, count, nulls } = a;
  for (let r = 0, p = offset; r < rows; r += 1, p += rowWidth) {
    const raw = read(view, p);
    if (raw === nullValue) {
      nulls += 1;
      continue;
    }
    const v = scaled ? raw * scale + zero : raw + shift;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count += 1;
  }
  Object.assign(a, { min, max, sum, count, nulls });
}

/** int64 as high (signed) and low (unsigned) 32-bit halves, so min/max stay exact without BigInt. */
function accumulateInt64(
  view: DataView,
  rows: number,
  rowWidth: number,
  offset: number,
  column: BinaryColumn,
  a: Accumulator,
): void {
  const nullHi =
    column.nullValue === undefined ? undefined : Number(BigInt.asIntN(32, column.nullValue >> 32n));
  const nullLo = column.nullValue === undefined ? undefined : Number(BigInt.asUintN(32, column.nullValue));
  const offsetHi = column.unsigned ? 2 ** 31 : 0;
  const { scale, zero, scaled } = column;
  let { min, max, sum, count, nulls, minHi, minLo, maxHi, maxLo } = a;
  for (let r = 0, p = offset; r < rows; r += 1, p += rowWidth) {
    const hi = view.getInt32(p, false);
    const lo = view.getUint32(p + 4, false);
    if (hi === nullHi && lo === nullLo) {
      nulls += 1;
      continue;
    }
    count += 1;
    if (scaled) {
      const v = (hi * 4294967296 + lo) * scale + zero;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      continue;
    }
    const key = hi + offsetHi;
    sum += key * 4294967296 + lo;
    if (key < minHi || (key === minHi && lo < minLo)) {
      minHi = key;
      minLo = lo;
    }
    if (key > maxHi || (key === maxHi && lo > maxLo)) {
      maxHi = key;
      maxLo = lo;
    }
  }
  Object.assign(a, { min, max, sum, count, nulls, minHi, minLo, maxHi, maxLo });
}

function finish(a: Accumulator, exactInt64: boolean): ColumnStats {
  if (a.count === 0) return { min: null, max: null, mean: null, nan: a.nan, nulls: a.nulls };
  if (exactInt64) {
    const join = (hi: number, lo: number): string => {
      const value = (BigInt(hi) << 32n) + BigInt(lo);
      return value.toString();
    };
    return {
      min: join(a.minHi, a.minLo),
      max: join(a.maxHi, a.maxLo),
      mean: a.sum / a.count,
      nan: a.nan,
      nulls: a.nulls,
    };
  }
  return { min: a.min, max: a.max, mean: a.sum / a.count, nan: a.nan, nulls: a.nulls };
}

export function asciiTableStats(table: AsciiTable): TableStats {
  const columns = table.columns.filter((c: AsciiColumn) => c.type !== 'A');
  const accumulators = columns.map(() => accumulator());
  for (const batch of table.batches()) {
    for (let r = 0; r < batch.count; r += 1) {
      columns.forEach((column, c) => {
        const a = accumulators[c]!;
        const value = table.cell(batch.bytes, r * table.rowWidth, column, batch.start + r);
        if (value === null) a.nulls += 1;
        else {
          const v = Number(value);
          if (v !== v) a.nan += 1;
          else {
            if (v < a.min) a.min = v;
            if (v > a.max) a.max = v;
            a.sum += v;
            a.count += 1;
          }
        }
      });
    }
  }
  const out: Record<string, ColumnStats> = {};
  columns.forEach((column, c) => {
    out[column.name] = finish(accumulators[c]!, false);
  });
  return { rows: table.rows, columns: out };
}
