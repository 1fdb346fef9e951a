// Reads an Arrow column as doubles plus a validity mask, straight from its chunks' buffers (no
// per-row objects), for recognition, expressions, quality rules and model inputs. NaN counts as
// missing; 64-bit integers become doubles (exact below 2^53, which every value used as a number is).
import { DataType, Type } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import type { NumericColumn } from './expression.ts';

export function isNumericType(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isBool(type) || DataType.isDecimal(type);
}

export function columnOf(table: Table, name: string): Vector {
  const index = table.schema.fields.findIndex((f) => f.name === name);
  if (index < 0) throw new Error(`no column '${name}'`);
  return table.getChildAt(index)!;
}

export function toNumeric(vector: Vector, name: string): NumericColumn {
  const rows = vector.length;
  const values = new Float64Array(rows);
  const valid = new Uint8Array(rows);
  const type = vector.type as DataType;
  if (!isNumericType(type))
    throw new Error(`column '${name}' holds ${Type[type.typeId]} values, not numbers`);
  let offset = 0;
  for (const data of vector.data) {
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    const n = data.length;
    // A sliced column (Data.slice) keeps its offset for the bit buffers (validity, booleans) but its
    // fixed-width values buffer already starts at the slice.
    const start = data.offset;
    if (DataType.isBool(type)) {
      const bytes = data.values as Uint8Array;
      for (let i = 0; i < n; i += 1) {
        const bit = start + i;
        values[offset + i] = (bytes[bit >> 3]! >> (bit & 7)) & 1;
      }
    } else if (DataType.isDecimal(type)) {
      for (let i = 0; i < n; i += 1) values[offset + i] = Number(vector.get(offset + i));
    } else if (data.values instanceof BigInt64Array || data.values instanceof BigUint64Array) {
      const source = data.values;
      for (let i = 0; i < n; i += 1) values[offset + i] = Number(source[i]!);
    } else {
      values.set((data.values as Float64Array | Float32Array | Int32Array).subarray(0, n), offset);
    }
    for (let i = 0; i < n; i += 1) {
      const v = values[offset + i]!;
      let ok = v === v;
      if (ok && bitmap !== undefined) {
        const bit = start + i;
        ok = ((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 1;
      }
      valid[offset + i] = ok ? 1 : 0;
      if (!ok) values[offset + i] = Number.NaN;
    }
    offset += n;
  }
  return { values, valid };
}

/** String cells of a column (null where missing), for flag columns. */
export function toStrings(vector: Vector): (string | null)[] {
  const out: (string | null)[] = new Array<string | null>(vector.length);
  for (let i = 0; i < vector.length; i += 1) {
    const v: unknown = vector.get(i);
    if (v === null || v === undefined) out[i] = null;
    else if (typeof v === 'string') out[i] = v;
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') out[i] = String(v);
    else out[i] = JSON.stringify(v);
  }
  return out;
}
