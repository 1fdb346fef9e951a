// The description astropy's Parquet reader needs (astropy.io.misc.parquet), written beside Cradle's own
// field metadata. astropy reads units, descriptions and column meta (UCDs) only from the 'table_meta_yaml'
// schema entry; a text column's width from 'table::len::NAME' (without it a text column with nulls
// fails to read); and missing values only as a MaskedColumn, a data column plus a boolean NAME.mask
// column named in the YAML's __serialized_columns__, as astropy writes them. The entries go into the
// Arrow schema's metadata, which arrow-rs stores with the schema ('ARROW:schema') and pyarrow restores.
//
// Nulls stay nulls in the data column, so that pyarrow, pandas, DuckDB and TOPCAT read them as missing;
// a mask column is added only for the integer, boolean and text columns that hold nulls. pyarrow hands
// astropy an integer column with nulls as float64 with NaN: the YAML names its dtype, and astropy casts
// it back (numpy warns of the NaN cast, under the mask). A double holds integers only to 2^53, so a
// 64-bit column with nulls and a larger value (a Gaia source_id) is written as astropy writes it: 0 in
// the missing cells, which only the mask column marks. A float's null is NaN to astropy, as in FITS, and
// needs no mask. Which columns have nulls, how wide each text column is and which 64-bit columns hold
// large values depends on every row: a streamed writer surveys the rows first (AstropySurvey), or, where
// it cannot (the simulator streams millions of rows), decides from its schema (schemaAstropyLayout).
import { Bool, Field, RecordBatch, Schema, Struct, Table, Type, makeData } from 'apache-arrow';
import type { Data, DataType, Int } from 'apache-arrow';
import { columnInfo } from './table.ts';

/** Schema entries astropy writes (and Cradle rewrites, never carries over from a file it read). */
export function isAstropyKey(key: string): boolean {
  return key === 'table_meta_yaml' || key.startsWith('table::len::');
}

/** The numpy-style name astropy gives a type in its YAML; text and anything else is 'string'. */
function numpyName(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Int: {
      const { isSigned, bitWidth } = type as DataType & { isSigned: boolean; bitWidth: number };
      return `${isSigned ? 'int' : 'uint'}${bitWidth}`;
    }
    case Type.Float: {
      const precision = (type as DataType & { precision: number }).precision;
      return ['float16', 'float32', 'float64'][precision]!;
    }
    default:
      return 'string';
  }
}

/** astropy's subtype of an array column ('float64[3]', 'float64[2,3]', 'float64[null]'), as in ECSV. */
function subtype(type: DataType): string | undefined {
  const dims: string[] = [];
  let element = type;
  while (element.typeId === Type.FixedSizeList || element.typeId === Type.List) {
    dims.push(
      element.typeId === Type.List ? 'null' : String((element as DataType & { listSize: number }).listSize),
    );
    element = (element.children as { type: DataType }[])[0]!.type;
  }
  return dims.length === 0 ? undefined : `${numpyName(element)}[${dims.join(',')}]`;
}

function isText(type: DataType): boolean {
  return type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;
}

/** Columns astropy would read with its nulls lost (integers, booleans, text), which get a mask column. */
function needsMask(type: DataType): boolean {
  return type.typeId === Type.Int || type.typeId === Type.Bool || isText(type);
}

/** A YAML scalar: JSON's double-quoted strings are YAML's too. */
const q = (text: string): string => JSON.stringify(text);

/** The characters (code points, numpy's 'U' width) of text cell `i`: its UTF-8 bytes that start one. */
function textWidth(data: Data, i: number): number {
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  const bytes = data.values as Uint8Array;
  const end = Number(offsets[data.offset + i + 1]!);
  let width = 0;
  for (let b = Number(offsets[data.offset + i]!); b < end; b += 1)
    if ((bytes[b]! & 0xc0) !== 0x80) width += 1;
  return width;
}

/** A streamed table's columns surveyed batch by batch: which have nulls, how wide each text column is. */
export class AstropySurvey {
  private readonly nulls: boolean[];
  private readonly widths: number[];
  /** 64-bit integer columns with a value a double does not hold. */
  private readonly wide: boolean[];

  constructor(readonly schema: Schema) {
    this.nulls = schema.fields.map(() => false);
    this.widths = schema.fields.map(() => 0);
    this.wide = schema.fields.map(() => false);
  }

  add(table: Table): void {
    this.schema.fields.forEach((field, c) => {
      const chunks = (table.getChildAt(c)?.data ?? []) as readonly Data[];
      for (const data of chunks) {
        if (data.nullCount > 0) this.nulls[c] = true;
        if (is64(field.type as DataType) && !this.wide[c]) this.wide[c] = hasWide(data);
        if (!isText(field.type as DataType)) continue;
        let width = this.widths[c]!;
        for (let i = 0; i < data.length; i += 1)
          if (data.getValid(i)) width = Math.max(width, textWidth(data, i));
        this.widths[c] = width;
      }
    });
  }

  /** The schema to write (mask columns after their data, astropy's entries in its metadata) and the
   * batch of it for each batch of the surveyed table. */
  layout(): AstropyLayout {
    return astropyLayout(this.schema, {
      nulls: this.nulls,
      widths: this.widths.map((width) => Math.max(1, width)),
      wide: this.wide,
    });
  }
}

/** A streamed writer's layout decided from its schema alone, before any row: a nullable integer,
 * boolean or text field gets a mask column, a field that is not nullable none. Without the rows a
 * 64-bit column's largest value is unknown, so its nulls stay nulls and astropy casts its values back
 * from float64 (exact to 2^53). A text column's width is the one given (astropy reads no wider), or,
 * where none is, astropy measures the column (with a warning). */
export function schemaAstropyLayout(schema: Schema, textWidths?: ReadonlyMap<string, number>): AstropyLayout {
  return astropyLayout(schema, {
    nulls: schema.fields.map((field) => field.nullable),
    widths: schema.fields.map((field) => {
      const width = textWidths?.get(field.name);
      return width === undefined ? undefined : Math.max(1, width);
    }),
    wide: schema.fields.map(() => false),
  });
}

interface ColumnFacts {
  /** Columns that hold (or may hold) nulls. */
  nulls: readonly boolean[];
  /** Text columns' widths in characters, where known. */
  widths: readonly (number | undefined)[];
  /** 64-bit integer columns with a value a double does not hold. */
  wide: readonly boolean[];
}

function astropyLayout(source: Schema, facts: ColumnFacts): AstropyLayout {
  const fields = source.fields;
  const taken = new Set(fields.map((f) => f.name));
  const maskName = fields.map((field, c) => {
    if (!facts.nulls[c] || !needsMask(field.type as DataType)) return null;
    let name = `${field.name}.mask`;
    while (taken.has(name)) name += '_';
    taken.add(name);
    return name;
  });
  const filled = fields.map((_, c) => maskName[c] !== null && facts.wide[c]!);
  const metadata = new Map([...source.metadata].filter(([key]) => !isAstropyKey(key)));
  const datatype: string[] = [];
  const serialized: string[] = [];
  const written: Field[] = [];
  fields.forEach((field, c) => {
    const type = field.type as DataType;
    const info = columnInfo(field);
    const sub = subtype(type);
    let entry = `{name: ${q(field.name)}`;
    if (info.unit) entry += `, unit: ${q(info.unit)}`;
    entry += `, datatype: ${sub === undefined ? numpyName(type) : 'string'}`;
    if (sub !== undefined) entry += `, subtype: ${q(sub)}`;
    if (info.description) entry += `, description: ${q(info.description)}`;
    if (info.ucd) entry += `, meta: {ucd: ${q(info.ucd)}}`;
    datatype.push(`- ${entry}}`);
    written.push(field);
    const width = facts.widths[c];
    if (isText(type) && width !== undefined) metadata.set(`table::len::${field.name}`, String(width));
    const mask = maskName[c];
    if (mask === null || mask === undefined) return;
    datatype.push(`- {name: ${q(mask)}, datatype: bool}`);
    written.push(new Field(mask, new Bool(), false));
    serialized.push(
      `    ${q(field.name)}:`,
      '      __class__: astropy.table.column.MaskedColumn',
      `      data: !astropy.table.SerializedColumn {name: ${q(field.name)}}`,
      `      mask: !astropy.table.SerializedColumn {name: ${q(mask)}}`,
      // pyarrow gives an integer or boolean column with nulls as float64 or objects: cast back.
      ...(isText(type) || filled[c] ? [] : [`      dtype: ${numpyName(type)}`]),
    );
  });
  const yaml = ['datatype:', ...datatype];
  if (serialized.length > 0) yaml.push('meta: !!omap', '- __serialized_columns__:', ...serialized);
  metadata.set('table_meta_yaml', yaml.join('\n'));
  const schema = new Schema(written, metadata);
  const type = new Struct(written);
  return {
    schema,
    batch: (batch) => {
      const children: Data[] = [];
      batch.data.children.forEach((data, c) => {
        children.push(filled[c] ? zeroFilled(data) : data);
        if (maskName[c] !== null) children.push(nullMask(data));
      });
      return new RecordBatch(schema, makeData({ type, length: batch.numRows, nullCount: 0, children }));
    },
  };
}

export interface AstropyLayout {
  schema: Schema;
  batch: (batch: RecordBatch) => RecordBatch;
}

function is64(type: DataType): boolean {
  return type.typeId === Type.Int && (type as DataType & { bitWidth: number }).bitWidth === 64;
}

const TWO_53 = 2n ** 53n;

/** Whether a 64-bit integer column holds a value beyond ±2^53, which a double would round. */
function hasWide(data: Data): boolean {
  const values = data.values as BigInt64Array | BigUint64Array;
  for (let i = 0; i < data.length; i += 1) {
    const v = values[data.offset + i]!;
    if (data.getValid(i) && (v > TWO_53 || v < -TWO_53)) return true;
  }
  return false;
}

/** A 64-bit integer column's data without nulls, 0 in the missing cells (astropy's masked data). */
function zeroFilled(data: Data): Data {
  const int = data as Data<Int>;
  const values = int.values.slice(int.offset, int.offset + int.length);
  for (let i = 0; i < int.length; i += 1) if (!int.getValid(i)) values[i] = 0n;
  return makeData({ type: int.type, length: int.length, nullCount: 0, data: values });
}

/** True where `data` is null. */
function nullMask(data: Data): Data<Bool> {
  const bits = new Uint8Array(Math.ceil(data.length / 8));
  for (let i = 0; i < data.length; i += 1) if (!data.getValid(i)) bits[i >> 3]! |= 1 << (i & 7);
  return makeData({ type: new Bool(), length: data.length, nullCount: 0, data: bits });
}

/** A whole table with astropy's description (and mask columns) added. */
export function withAstropyDescription(table: Table): Table {
  const survey = new AstropySurvey(table.schema);
  survey.add(table);
  const layout = survey.layout();
  return new Table(
    layout.schema,
    table.batches.map((batch) => layout.batch(batch)),
  );
}
