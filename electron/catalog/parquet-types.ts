// Parquet column types the rest of the catalog has no use for, made plain on reading: Arrow JS would
// hand a decimal over as its raw 32-bit words and a timestamp or date as milliseconds, which every
// writer then printed as garbage. A decimal that a double holds to its last digit (precision ≤ 15) is
// read as float64, as astropy reads it through numpy; a longer one stays exact, as text. Timestamps
// and dates become ISO-8601 text (instants with a time zone in UTC, marked 'Z'; a timestamp without a
// zone as written). Each converted column's description says what it was, so inspect and every writer
// show it.
import {
  Field,
  Float64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Type,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType, Decimal, Timestamp } from 'apache-arrow';
import { META_DESCRIPTION } from './table.ts';

/** Significant digits every decimal of which a double holds exactly (DBL_DIG). */
const DOUBLE_DIGITS = 15;

/** The fraction digits of each Arrow time unit (second, milli, micro, nano). */
const UNIT_DIGITS = [0, 3, 6, 9] as const;
const UNIT_NAMES = ['s', 'ms', 'us', 'ns'] as const;

interface Plain {
  type: DataType;
  note: string;
  convert: (data: Data) => Data;
}

/** The unscaled value of decimal cell `i`: little-endian 32-bit words, two's complement. */
function unscaled(words: Uint32Array, i: number, wordsPer: number): bigint {
  let value = 0n;
  for (let w = wordsPer - 1; w >= 0; w -= 1) value = (value << 32n) | BigInt(words[i * wordsPer + w]!);
  const bits = BigInt(wordsPer * 32);
  return value >= 1n << (bits - 1n) ? value - (1n << bits) : value;
}

/** A decimal's digits with its scale applied ('-3.500' for -3500 at scale 3). */
function decimalText(value: bigint, scale: number): string {
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString();
  if (scale <= 0) return sign + digits + '0'.repeat(-scale);
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/** ISO-8601 text of `ticks` (units of 10^-digits s) since 1970-01-01T00:00:00, to the unit's precision. */
function isoText(ticks: bigint, digits: number, zone: boolean): string {
  const perSecond = 10n ** BigInt(digits);
  let seconds = ticks / perSecond;
  let fraction = ticks % perSecond;
  if (fraction < 0n) {
    seconds -= 1n;
    fraction += perSecond;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${ticks} × 1e-${digits} s since 1970-01-01`;
  const whole = date.toISOString().slice(0, -5);
  const part = digits === 0 ? '' : `.${fraction.toString().padStart(digits, '0')}`;
  return `${whole}${part}${zone ? 'Z' : ''}`;
}

function textData(data: Data, cell: (i: number) => string): Data {
  const values: (string | null)[] = [];
  for (let i = 0; i < data.length; i += 1) values.push(data.getValid(i) ? cell(i) : null);
  return vectorFromArray(values, new Utf8()).data[0]!;
}

function plainDecimal(type: Decimal): Plain {
  const { precision, scale, bitWidth } = type;
  const wordsPer = bitWidth / 32;
  const name = `decimal${bitWidth}(${precision}, ${scale})`;
  const text = (data: Data, i: number): string =>
    decimalText(unscaled(data.values as Uint32Array, data.offset + i, wordsPer), scale);
  if (precision <= DOUBLE_DIGITS) {
    return {
      type: new Float64(),
      note: `Parquet ${name}, read as float64 (exact to its ${precision} digits)`,
      convert: (data) => {
        const values = new Float64Array(data.length);
        for (let i = 0; i < data.length; i += 1) values[i] = data.getValid(i) ? Number(text(data, i)) : 0;
        return makeData({
          type: new Float64(),
          length: data.length,
          nullCount: data.nullCount,
          nullBitmap: nullBits(data),
          data: values,
        });
      },
    };
  }
  return {
    type: new Utf8(),
    note: `Parquet ${name}, kept as exact text (more digits than a double holds)`,
    convert: (data) => textData(data, (i) => text(data, i)),
  };
}

/** The validity bits of `data` from its first row (a sliced batch's bitmap starts at its offset). */
function nullBits(data: Data): Uint8Array | undefined {
  if (data.nullCount === 0) return undefined;
  const bits = new Uint8Array(Math.ceil(data.length / 8));
  for (let i = 0; i < data.length; i += 1) if (data.getValid(i)) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

function plainType(type: DataType): Plain | null {
  switch (type.typeId) {
    case Type.Decimal:
      return plainDecimal(type as Decimal);
    case Type.Timestamp: {
      const { unit, timezone } = type as Timestamp;
      const digits = UNIT_DIGITS[unit];
      const zone = timezone !== null && timezone !== '';
      const what = `Parquet timestamp[${UNIT_NAMES[unit]}${zone ? `, ${timezone}` : ''}]`;
      return {
        type: new Utf8(),
        note: zone ? `${what}, as ISO-8601 UTC text` : `${what} without a time zone, as ISO-8601 text`,
        convert: (data) =>
          textData(data, (i) => isoText((data.values as BigInt64Array)[data.offset + i]!, digits, zone)),
      };
    }
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return {
        type: new Utf8(),
        note: 'Parquet date, as ISO-8601 text',
        convert: (data) =>
          textData(data, (i) => {
            const value = (data.values as Int32Array | BigInt64Array)[data.offset + i]!;
            const ms =
              (data.type as DataType & { unit: number }).unit === 0
                ? Number(value) * 86_400_000
                : Number(value);
            return isoText(BigInt(ms), 3, false).slice(0, 10);
          }),
      };
    default:
      return null;
  }
}

/** `table` with its decimal, timestamp and date columns made plain (float64 or text), each one's
 * description recording the Parquet type it had. */
export function withPlainTypes(table: Table): Table {
  const plain = table.schema.fields.map((field) => plainType(field.type as DataType));
  if (plain.every((p) => p === null)) return table;
  const fields = table.schema.fields.map((field, k) => {
    const p = plain[k];
    if (!p) return field;
    const metadata = new Map(field.metadata);
    const described = metadata.get(META_DESCRIPTION);
    metadata.set(META_DESCRIPTION, described ? `${described} (${p.note})` : p.note);
    return new Field(field.name, p.type, field.nullable, metadata);
  });
  const schema = new Schema(fields, table.schema.metadata);
  const type = new Struct(fields);
  const batches = table.batches.map((batch) => {
    const children = batch.data.children.map((data, k) => plain[k]?.convert(data) ?? data);
    return new RecordBatch(schema, makeData({ type, length: batch.numRows, nullCount: 0, children }));
  });
  return new Table(schema, batches);
}
