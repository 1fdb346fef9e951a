// Reads an Arrow column as doubles plus a validity mask, straight from its chunks' buffers (no
// per-row objects), for recognition, expressions, quality rules and model inputs. NaN counts as
// missing; 64-bit integers become doubles (exact below 2^53, which every value used as a number is).
// Sexagesimal right ascension and declination (text, or the CDS split into columns) read as degrees.
import { DataType, Type } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import type { NumericColumn } from './expression.ts';
import { parseSexagesimal } from './units.ts';

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

/**
 * An angle written in sexagesimal: one text column (`12:34:56.7`, `12 34 56.7`, `12h34m56.7s`), or the
 * CDS split into numeric hours-or-degrees, minutes and seconds columns with a text sign column
 * (RAh RAm RAs, DE- DEd DEm DEs). `hours`: the first field counts hours (right ascension).
 */
export type AngleSource =
  { text: string; hours: boolean } | { parts: [string, string, ...string[]]; sign?: string; hours: boolean };

/** The angle `source` describes, in degrees; a cell that is not such an angle is an error naming its row. */
export function angleValues(table: Table, source: AngleSource): NumericColumn {
  const rows = table.numRows;
  const values = new Float64Array(rows).fill(Number.NaN);
  const valid = new Uint8Array(rows);
  if ('text' in source) {
    const vector = columnOf(table, source.text);
    for (let i = 0; i < rows; i += 1) {
      const cell: unknown = vector.get(i);
      if (typeof cell !== 'string' || cell.trim() === '') continue;
      try {
        values[i] = parseSexagesimal(cell, source.hours);
      } catch (error) {
        throw new Error(`column ${source.text}, row ${i + 1}: ${(error as Error).message}`, { cause: error });
      }
      valid[i] = 1;
    }
    return { values, valid };
  }
  const parts = source.parts.map((name) => ({ name, ...toNumeric(columnOf(table, name), name) }));
  const signs = source.sign === undefined ? null : toStrings(columnOf(table, source.sign));
  const [first, ...rest] = parts;
  for (let i = 0; i < rows; i += 1) {
    const present = parts.filter((p) => p.valid[i] === 1);
    if (present.length === 0) continue;
    if (present.length < parts.length) {
      const blank = parts.find((p) => p.valid[i] !== 1)!;
      throw new Error(`column ${blank.name}, row ${i + 1}: blank, but ${present[0]!.name} is not`);
    }
    const sign = signs?.[i]?.trim() ?? '';
    if (sign !== '' && sign !== '+' && sign !== '-')
      throw new Error(`column ${source.sign}, row ${i + 1}: '${sign}' is not a sign (+ or -)`);
    let value = first!.values[i]!;
    // The sign has its own column because '-00' read as a number loses it.
    if (!(value >= 0 && (source.hours ? value < 24 : value <= 90)))
      throw new Error(
        `column ${first!.name}, row ${i + 1}: ${value} is outside ${source.hours ? '[0, 24) hours' : 'the unsigned degrees [0, 90]'}`,
      );
    for (const [k, part] of rest.entries()) {
      const v = part.values[i]!;
      // Seconds may be 60 (astropy carries them into the minute); minutes may not.
      if (!(v >= 0 && (k === 0 ? v < 60 : v <= 60)))
        throw new Error(`column ${part.name}, row ${i + 1}: ${v} is outside [0, ${k === 0 ? '60)' : '60]'}`);
      value += v / 60 ** (k + 1);
    }
    values[i] = (sign === '-' ? -value : value) * (source.hours ? 15 : 1);
    valid[i] = 1;
  }
  return { values, valid };
}
