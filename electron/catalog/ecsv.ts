// ECSV (Enhanced CSV, astropy APE 6): a YAML header in '# ' comment lines declares each column's
// name, datatype, unit and description; the body is delimited text (one space by default) with
// missing values as empty cells (or `null`, in Gaia's files: see ecsvPlan). The YAML is read with the `yaml` package; the body by the shared
// delimited-text reader with the declared types, so a column declared int64 stays exact.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { DataType, FixedSizeList, Schema, Table, Vector } from 'apache-arrow';
import { Type } from 'apache-arrow';
import type { DeclaredType } from './columns.ts';
import { readDelimitedBody } from './csv.ts';
import type { DelimitedBody, DelimitedOptions, TextTablePlan } from './csv.ts';
import { ListColumnBuilder, isListElement } from './list-column.ts';
import type { ListElement } from './list-column.ts';
import { buildTable, columnInfo } from './table.ts';
import type { CatalogTable, ColumnInfo } from './table.ts';
import { formatCell, layoutText, writeTextAtomic } from './text-out.ts';
import type { TextLayout } from './text-out.ts';
import { headBytes } from './text-source.ts';

interface EcsvColumn {
  name: string;
  datatype: string;
  unit?: string;
  description?: string;
  subtype?: string;
}

const ECSV_TYPES: Record<string, DeclaredType> = {
  bool: 'bool',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  float16: 'float32',
  float32: 'float32',
  float64: 'float64',
  float128: 'float64',
  string: 'string',
};

function readPreamble(file: string): { lines: string[]; bodyStart: number; bodyLine: number } {
  for (let size = 65536; ; size *= 4) {
    const head = headBytes(file, size);
    const match = /(^|\n)[^#\n]/.exec(head.toString('latin1'));
    if (match) {
      const bodyStart = match.index + match[1]!.length;
      const preamble = head.subarray(0, bodyStart).toString('utf8');
      const lines = preamble.split(/\r?\n/).filter((l) => l !== '');
      return { lines, bodyStart, bodyLine: lines.length + 1 };
    }
    if (head.length < size) break;
  }
  throw new Error(`${file}: ECSV has a header but no column-name line`);
}

/** A numeric array subtype ('float64[55]', 'int16[null]', 'float32[2,3]'): every cell a JSON array of
 * numbers (nested for several dimensions), read (as astropy does) into an array column; a shape with
 * 'null' beyond the first dimension and 'json' objects stay text. */
const NUMERIC_ARRAY = /^((?:float|int|uint)\d+)\[(null|\d+(?:,\d+)*)\]$/;

/** A whole number as text (a quoted 64-bit element). */
const WHOLE = /^-?\d+$/;

/** The elements of a JSON array cell of shape `dims` (null: one variable dimension) in row-major
 * order, or a message saying what is wrong with it. */
function flatCell(values: unknown, dims: readonly number[] | null): (number | bigint)[] | string {
  if (!Array.isArray(values)) return 'is not a JSON array of numbers';
  if (dims === null || dims.length === 1) {
    if (!values.every((v) => v === null || typeof v === 'number' || (typeof v === 'string' && WHOLE.test(v))))
      return 'is not a JSON array of numbers';
    return values.map((v: number | string | null) =>
      v === null ? Number.NaN : typeof v === 'string' ? BigInt(v) : v,
    );
  }
  if (values.length !== dims[0]) return `has ${values.length} rows where the shape is [${dims.join(',')}]`;
  const out: (number | bigint)[] = [];
  for (const row of values) {
    const inner = flatCell(row, dims.slice(1));
    if (typeof inner === 'string') return inner;
    if (inner.length !== dims.slice(1).reduce((a, b) => a * b, 1))
      return `holds a row of ${inner.length} elements where the shape is [${dims.join(',')}]`;
    out.push(...inner);
  }
  return out;
}

/** JSON array cells as a list column: variable-length (dims null), fixed-size, or nested fixed-size
 * lists for a shape of several dimensions. Python's json writes NaN and Infinity, which JSON does not
 * have; a null element (astropy's masked element) is a null. A 64-bit integer column's whole numbers are
 * quoted before parsing, so that JSON's doubles do not round those beyond 2^53. */
function arrayColumn(cells: Vector, where: string, dims: number[] | null, element: ListElement): Vector {
  const builder = new ListColumnBuilder(element);
  const exactIntegers = element === 'int64' || element === 'uint64';
  for (let r = 0; r < cells.length; r += 1) {
    const text = cells.get(r) as string | null;
    if (text === null) {
      builder.pushNull();
      continue;
    }
    let values: unknown;
    try {
      const json = text.replace(/\bNaN\b/g, 'null').replace(/\bInfinity\b/g, '1e999');
      values = JSON.parse(
        exactIntegers
          ? json.replace(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (t) => (WHOLE.test(t) ? `"${t}"` : t))
          : json,
      );
    } catch {
      values = undefined;
    }
    const flat = flatCell(values, dims);
    if (typeof flat === 'string') throw new Error(`${where}: row ${r + 1}: '${text.slice(0, 60)}' ${flat}`);
    try {
      builder.push(flat);
    } catch (error) {
      throw new Error(`${where}: row ${r + 1}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (dims === null) return builder.finish();
  try {
    return builder.finishShaped(dims);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message} (subtype [${dims.join(',')}])`, { cause: error });
  }
}

/** How an ECSV file's body is parsed (every column's type declared by its header), and made a table. */
export function ecsvPlan(file: string): TextTablePlan {
  const { lines, bodyStart, bodyLine } = readPreamble(file);
  if (!/^# %ECSV \d+\.\d+/.test(lines[0] ?? ''))
    throw new Error(`${file}: line 1: not an ECSV file (no '# %ECSV' line)`);
  const yamlLines = lines.slice(1).map((l, i) => {
    if (!l.startsWith('#'))
      throw new Error(`${file}: line ${i + 2}: ECSV header line does not start with '#'`);
    return l.startsWith('# ') ? l.slice(2) : l.slice(1);
  });
  if (yamlLines[0]?.trim() !== '---') throw new Error(`${file}: line 2: ECSV header must begin with '# ---'`);
  let header: { datatype?: EcsvColumn[]; delimiter?: string };
  try {
    header = parseYaml(yamlLines.slice(1).join('\n')) as typeof header;
  } catch (error) {
    throw new Error(`${file}: ECSV YAML header: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  const declaredColumns = header.datatype ?? [];
  const byName = new Map(declaredColumns.map((c) => [c.name, c]));
  const delimiter = header.delimiter ?? ' ';
  const options: DelimitedOptions = {
    delimiter,
    comment: undefined,
    missing: new Set(['']),
    // Gaia DR3's bulk files (GaiaSource_*.csv.gz) write `null` for a missing value where ECSV has an
    // empty cell (astropy documents reading them with fill_values=('null', '0')). In a numeric,
    // boolean or array column it can only mean missing; a string column keeps it as text, as TOPCAT does.
    missingIn: {
      values: new Set(['null']),
      columns: (names) =>
        names.map((name) => {
          const column = byName.get(name);
          return column !== undefined && (column.datatype !== 'string' || column.subtype !== undefined);
        }),
    },
    start: bodyStart,
    firstLine: bodyLine,
    trim: false,
    declared: (names) =>
      names.map((name, c) => {
        const column = byName.get(name);
        if (column === undefined) {
          throw new Error(
            `${file}: line ${bodyLine}: column '${name}' (#${c + 1}) is not declared in the ECSV header`,
          );
        }
        if (column.subtype !== undefined) return 'string';
        const type = ECSV_TYPES[column.datatype];
        if (type === undefined)
          throw new Error(`${file}: column ${name}: unknown ECSV datatype '${column.datatype}'`);
        return type;
      }),
  };
  const toTable = (body: DelimitedBody): Table => {
    if (body.names.length !== declaredColumns.length) {
      throw new Error(
        `${file}: line ${bodyLine}: ${body.names.length} column names but the ECSV header declares ${declaredColumns.length}`,
      );
    }
    return buildTable(
      body.names.map((name, c) => {
        const column = byName.get(name)!;
        const info: ColumnInfo = {};
        if (column.unit) info.unit = column.unit;
        if (column.description) info.description = column.description;
        const array = NUMERIC_ARRAY.exec(column.subtype ?? '');
        const vector =
          array === null
            ? body.vectors[c]!
            : arrayColumn(
                body.vectors[c]!,
                `${file}: column ${name}`,
                array[2] === 'null' ? null : array[2]!.split(',').map(Number),
                isListElement(array[1]!) ? array[1] : 'float64',
              );
        return { name, vector, info };
      }),
    );
  };
  return { format: 'ecsv', options, declared: true, toTable };
}

export async function readEcsv(file: string): Promise<CatalogTable> {
  const plan = ecsvPlan(file);
  return { file, format: 'ecsv', table: plan.toTable(await readDelimitedBody(file, plan.options)) };
}

function ecsvDatatype(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64: {
      const { isSigned, bitWidth } = type as DataType & { isSigned: boolean; bitWidth: number };
      return `${isSigned ? 'int' : 'uint'}${bitWidth}`;
    }
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64: {
      const precision = (type as DataType & { precision: number }).precision;
      return precision === 2 ? 'float64' : precision === 1 ? 'float32' : 'float16';
    }
    default:
      return 'string';
  }
}

/** The subtype of a list of numbers ('float64[3]' fixed, 'float64[2,3]' nested fixed, 'float64[null]'
 * variable), written as JSON. */
function arraySubtype(type: DataType): string | undefined {
  if (type.typeId === Type.List) {
    const leaf = ecsvDatatype(type.children[0]!.type as DataType);
    return leaf === 'string' || leaf === 'bool' ? undefined : `${leaf}[null]`;
  }
  const dims: number[] = [];
  let element = type;
  while (element.typeId === Type.FixedSizeList) {
    dims.push((element as FixedSizeList).listSize);
    element = element.children[0]!.type as DataType;
  }
  const leaf = ecsvDatatype(element);
  return dims.length === 0 || leaf === 'string' || leaf === 'bool' ? undefined : `${leaf}[${dims.join(',')}]`;
}

function quoteEcsv(text: string): string {
  return text === '' || /[\s"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** ECSV: the YAML header (names, datatypes, units, descriptions), then space-delimited rows. */
export function ecsvLayout(schema: Schema): TextLayout {
  const fields = schema.fields;
  const datatype = fields.map((field) => {
    const info = columnInfo(field);
    const entry: Record<string, string> = { name: field.name };
    if (info.unit) entry['unit'] = info.unit;
    entry['datatype'] = ecsvDatatype(field.type as DataType);
    const subtype = arraySubtype(field.type as DataType);
    if (subtype !== undefined) entry['subtype'] = subtype;
    if (info.description) entry['description'] = info.description;
    return entry;
  });
  const yaml = stringifyYaml({ datatype, schema: 'astropy-2.0' }, { flowCollectionPadding: false });
  const head = [
    '# %ECSV 1.0\n# ---\n',
    ...yaml
      .trimEnd()
      .split('\n')
      .map((line) => `# ${line}\n`),
    fields.map((f) => quoteEcsv(f.name)).join(' ') + '\n',
  ].join('');
  return {
    head,
    *rows(table) {
      const columns = fields.map((_, c) => table.getChildAt(c)!);
      for (let r = 0; r < table.numRows; r += 1) {
        yield (
          columns
            .map((col) => {
              const value: unknown = col.get(r);
              return value === null || value === undefined ? '""' : quoteEcsv(formatCell(value));
            })
            .join(' ') + '\n'
        );
      }
    },
    foot: '',
  };
}

export async function writeEcsv(table: Table, file: string): Promise<void> {
  await writeTextAtomic(file, layoutText(ecsvLayout(table.schema), table));
}
