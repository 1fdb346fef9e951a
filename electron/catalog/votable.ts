// VOTable 1.x reader (TABLEDATA, BINARY, BINARY2 serialisations) and TABLEDATA writer. XML is
// streamed through saxes, so a large file is read in chunks and errors carry the XML line; FIELD
// unit, UCD and DESCRIPTION become Arrow field metadata. BINARY/BINARY2 streams (base64) are decoded
// by the IVOA VOTable 1.4 rules (sect. 5.4–5.5): big-endian values, a 4-byte count before
// variable-length arrays, and for BINARY2 a per-row null bitmap, most significant bit first.
import { SaxesParser } from 'saxes';
import type { DataType, Schema, Table } from 'apache-arrow';
import { Type } from 'apache-arrow';
import { CellError, ColumnBuilder } from './columns.ts';
import type { DeclaredType } from './columns.ts';
import { ListColumnBuilder, isListElement } from './list-column.ts';
import { buildTable, columnInfo, uniqueNames } from './table.ts';
import type { CatalogTable, ColumnInfo } from './table.ts';
import { formatCell, layoutText, writeTextAtomic } from './text-out.ts';
import type { TextLayout } from './text-out.ts';
import { textStream } from './text-source.ts';

type VoDatatype =
  | 'boolean'
  | 'bit'
  | 'unsignedByte'
  | 'short'
  | 'int'
  | 'long'
  | 'char'
  | 'unicodeChar'
  | 'float'
  | 'double'
  | 'floatComplex'
  | 'doubleComplex';

const ELEMENT_BYTES: Record<VoDatatype, number> = {
  boolean: 1,
  bit: 0,
  unsignedByte: 1,
  short: 2,
  int: 4,
  long: 8,
  char: 1,
  unicodeChar: 2,
  float: 4,
  double: 8,
  floatComplex: 8,
  doubleComplex: 16,
};

interface VoField {
  name: string;
  datatype: VoDatatype;
  /** Elements per cell for fixed sizes; null when variable ('*'). 1 for scalars. */
  count: number | null;
  /** Upper bound of a variable size ('10*'), if given. */
  maxCount: number | null;
  isArray: boolean;
  /** Dimensions of a fixed arraysize, outermost first ('3x2' is 2 rows of 3: [2, 3]); null if variable. */
  dims: number[] | null;
  info: ColumnInfo;
  nullText: string | undefined;
  line: number;
}

type Sink =
  | { kind: 'scalar'; builder: ColumnBuilder }
  | { kind: 'string'; builder: ColumnBuilder }
  /** `shape`: the array shape (outermost first) when the FIELD's arraysize has no '*' (fixed-size
   * lists, nested for several dimensions, as astropy reads it into an (n, …) column), else null (a
   * variable-length List). */
  | { kind: 'list'; builder: ListColumnBuilder; shape: number[] | null };

function parseArraysize(text: string | undefined): {
  count: number | null;
  maxCount: number | null;
  isArray: boolean;
  dims: number[] | null;
} {
  if (text === undefined || text === '') return { count: 1, maxCount: null, isArray: false, dims: [1] };
  const dims = text.split('x');
  let product = 1;
  for (let i = 0; i < dims.length; i += 1) {
    const dim = dims[i]!.trim();
    if (dim.endsWith('*')) {
      if (i !== dims.length - 1) throw new Error(`'*' is only allowed in the last dimension`);
      const bound = dim.length > 1 ? Number(dim.slice(0, -1)) * product : null;
      return { count: null, maxCount: bound, isArray: true, dims: null };
    }
    const n = Number(dim);
    if (!Number.isInteger(n) || n < 0) throw new Error(`arraysize '${text}' is not a size`);
    product *= n;
  }
  // The first dimension varies fastest (VOTable 1.4 §2.2), so it is the innermost.
  return { count: product, maxCount: null, isArray: true, dims: dims.map(Number).reverse() };
}

function declaredFor(datatype: VoDatatype): DeclaredType {
  switch (datatype) {
    case 'boolean':
    case 'bit':
      return 'bool';
    case 'unsignedByte':
      return 'uint8';
    case 'short':
      return 'int16';
    case 'int':
      return 'int32';
    case 'long':
      return 'int64';
    case 'float':
      return 'float32';
    case 'double':
      return 'float64';
    default:
      return 'string';
  }
}

function isStringType(datatype: VoDatatype): boolean {
  return datatype === 'char' || datatype === 'unicodeChar';
}

function makeSink(field: VoField): Sink {
  if (isStringType(field.datatype)) return { kind: 'string', builder: new ColumnBuilder('string') };
  if (field.isArray || field.datatype.endsWith('Complex')) {
    const complex = field.datatype.endsWith('Complex');
    const shape = field.count === null || field.count === 0 ? null : complex ? [field.count * 2] : field.dims;
    const declared = declaredFor(field.datatype);
    // Complex pairs and boolean arrays (1, 0, NaN for '?') stay doubles.
    const element = !complex && isListElement(declared) ? declared : 'float64';
    return { kind: 'list', builder: new ListColumnBuilder(element), shape };
  }
  return { kind: 'scalar', builder: new ColumnBuilder(declaredFor(field.datatype)) };
}

/** A STREAM start tag, with or without a namespace prefix. */
const STREAM_START = /<(?:[\w.-]+:)?STREAM\b[^>]*>/;

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

export interface VotableOptions {
  /** Which TABLE in document order (0-based, as astropy's table_number); default the first. */
  tableIndex?: number;
  /** Told, when no TABLE was chosen, that the file holds more than one (default: a process warning). */
  onWarning?: (message: string) => void;
  /** Rows handed over a batch at a time instead of kept (a table larger than memory): each full batch,
   * then the rest (an empty batch when the TABLE has no rows). The result's table then has no rows. */
  batches?: { rows: number; onBatch?: (table: Table, firstRow: number) => void };
}

/** A TABLE start tag, with or without a namespace prefix (not TABLEDATA). */
const TABLE_START = /<(?:[\w.-]+:)?TABLE\b/g;

function countTables(text: string): number {
  return text.match(TABLE_START)?.length ?? 0;
}

/** Splits streamed text before a tag that the chunk ends inside, so no tag is cut in two. */
function wholeTags(carry: string, chunk: string): { text: string; carry: string } {
  const text = carry + chunk;
  const lt = text.lastIndexOf('<');
  const cut = lt >= 0 && text.indexOf('>', lt) < 0 ? lt : text.length;
  return { text: text.slice(0, cut), carry: text.slice(cut) };
}

export interface VotableTableEntry {
  /** 0-based, in document order: the number that chooses it. */
  index: number;
  name?: string;
  id?: string;
  /** The TABLE's nrows attribute, when it has one. */
  rows?: number;
  fields: number;
}

const ATTRIBUTE = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The TABLEs of a VOTable file in document order (from their tags, without decoding any data). */
export async function votableTables(file: string): Promise<VotableTableEntry[]> {
  const tables: VotableTableEntry[] = [];
  const tag = /<(?:[\w.-]+:)?(TABLE|FIELD)\b([^>]*)>/g;
  const input = textStream(file);
  let carry = '';
  const scan = (text: string): void => {
    for (const [, element, attributes] of text.matchAll(tag)) {
      if (element === 'FIELD') {
        const last = tables.at(-1);
        if (last) last.fields += 1;
        continue;
      }
      const entry: VotableTableEntry = { index: tables.length, fields: 0 };
      for (const [, key, double, single] of attributes!.matchAll(ATTRIBUTE)) {
        const value = double ?? single ?? '';
        if (key === 'name') entry.name = value;
        else if (key === 'ID') entry.id = value;
        else if (key === 'nrows' && /^\d+$/.test(value)) entry.rows = Number(value);
      }
      tables.push(entry);
    }
  };
  try {
    for await (const chunk of input) {
      const next = wholeTags(carry, chunk as string);
      carry = next.carry;
      scan(next.text);
    }
    scan(carry);
  } finally {
    input.destroy();
  }
  return tables;
}

/** Streams a VOTable file and returns its chosen TABLE as Arrow. */
export async function readVotable(file: string, options: VotableOptions = {}): Promise<CatalogTable> {
  const wanted = options.tableIndex ?? 0;
  const parser = new SaxesParser({ position: true });
  const fields: VoField[] = [];
  let sinks: Sink[] = [];
  let tableSeen = -1;
  let inTable = false;
  let currentField: VoField | null = null;
  let text: string[] = [];
  let capture = false;
  let row: string[] | null = null;
  let rowCount = 0;
  let rowLine = 0;
  let encoding: 'tabledata' | 'binary' | 'binary2' | null = null;
  let stream: BinaryStreamDecoder | null = null;
  let done = false;
  // Set by the parser's error callback; a holder object keeps TypeScript from narrowing it to null.
  const failed: { error: Error | null } = { error: null };

  const fail = (message: string): Error => new Error(`${file}: line ${parser.line}: ${message}`);
  const batches = options.batches;
  let batchStart = 0;
  const tableOfSinks = (): Table =>
    buildTable(
      fields.map((field, c) => {
        const sink = sinks[c]!;
        const vector =
          sink.kind === 'list' && sink.shape !== null
            ? sink.builder.finishShaped(sink.shape)
            : sink.builder.finish();
        return { name: field.name, vector, info: field.info };
      }),
    );
  const flush = (): void => {
    batches!.onBatch?.(tableOfSinks(), batchStart);
    for (const sink of sinks) sink.builder.reset();
    batchStart = rowCount;
  };
  /** Called after each row reaches the sinks. */
  const rowDone = (): void => {
    rowCount += 1;
    if (batches !== undefined && rowCount - batchStart === batches.rows) flush();
  };

  const pushTextRow = (cells: string[]): void => {
    if (cells.length !== fields.length) {
      throw new Error(
        `${file}: line ${rowLine}: row ${rowCount + 1} has ${cells.length} TD cells; the TABLE has ${fields.length} FIELDs`,
      );
    }
    for (let c = 0; c < fields.length; c += 1) {
      const field = fields[c]!;
      const sink = sinks[c]!;
      const raw = cells[c]!;
      const trimmed = raw.trim();
      try {
        if (sink.kind === 'string') {
          if (field.count !== null && field.isArray && raw.length > field.count) {
            throw new CellError(`${raw.length} characters where FIELD arraysize declares ${field.count}`);
          }
          if (raw === '') sink.builder.pushNull();
          else sink.builder.push(raw);
        } else if (sink.kind === 'list') {
          if (trimmed === '') {
            sink.builder.pushNull();
            continue;
          }
          const parts = trimmed.split(/\s+/);
          const values = parts.map((p): number | bigint => {
            if (field.nullText !== undefined && p === field.nullText) return Number.NaN;
            if (field.datatype === 'boolean') return /^[Tt1]/.test(p) ? 1 : /^[Ff0]/.test(p) ? 0 : Number.NaN;
            if (field.datatype === 'long' && /^[+-]?\d+$/.test(p)) return BigInt(p);
            const v = Number(p);
            if (Number.isNaN(v) && p.toLowerCase() !== 'nan') throw new CellError(`'${p}' is not a number`);
            return v;
          });
          const perValue = field.datatype.endsWith('Complex') ? 2 : 1;
          if (field.count !== null && values.length !== field.count * perValue) {
            throw new CellError(
              `${values.length} values where FIELD arraysize declares ${field.count * perValue}${perValue === 2 ? ' (complex pairs)' : ''}`,
            );
          }
          if (field.maxCount !== null && values.length > field.maxCount * perValue) {
            throw new CellError(
              `${values.length} values where FIELD arraysize allows at most ${field.maxCount}`,
            );
          }
          sink.builder.push(values);
        } else if (trimmed === '' || (field.nullText !== undefined && trimmed === field.nullText)) {
          sink.builder.pushNull();
        } else if (field.datatype === 'boolean' || field.datatype === 'bit') {
          if (/^(T|t|1|true|TRUE|True)$/.test(trimmed)) sink.builder.pushBool(true);
          else if (/^(F|f|0|false|FALSE|False)$/.test(trimmed)) sink.builder.pushBool(false);
          else if (trimmed === '?') sink.builder.pushNull();
          else throw new CellError(`'${trimmed}' is not a boolean`);
        } else if (
          (field.datatype === 'float' || field.datatype === 'double') &&
          /^[+-]?nan$/i.test(trimmed)
        ) {
          sink.builder.pushNull();
        } else {
          if (field.datatype !== 'float' && field.datatype !== 'double' && /\s/.test(trimmed)) {
            throw new CellError(`several values '${trimmed}' in a scalar FIELD (missing arraysize?)`);
          }
          sink.builder.push(trimmed);
        }
      } catch (error) {
        if (error instanceof CellError) {
          throw new Error(
            `${file}: line ${rowLine}: row ${rowCount + 1}, FIELD ${field.name} (${field.datatype}${field.isArray ? `, arraysize ${field.count ?? '*'}` : ''}): ${error.message}`,
            { cause: error },
          );
        }
        throw error;
      }
    }
    rowDone();
  };

  parser.on('opentag', (node) => {
    const name = localName(node.name);
    const attrs = node.attributes as Record<string, string>;
    if (name === 'TABLE') {
      tableSeen += 1;
      inTable = tableSeen === wanted;
      return;
    }
    if (!inTable) return;
    switch (name) {
      case 'FIELD': {
        const datatype = attrs['datatype'] as VoDatatype | undefined;
        const fieldName = attrs['name'] ?? attrs['ID'] ?? `col${fields.length + 1}`;
        if (datatype === undefined || !(datatype in ELEMENT_BYTES)) {
          throw fail(`FIELD ${fieldName}: datatype '${datatype ?? ''}' is not a VOTable datatype`);
        }
        let size: ReturnType<typeof parseArraysize>;
        try {
          size = parseArraysize(attrs['arraysize']);
        } catch (error) {
          throw fail(`FIELD ${fieldName}: ${(error as Error).message}`);
        }
        const info: ColumnInfo = {};
        if (attrs['unit']) info.unit = attrs['unit'];
        if (attrs['ucd']) info.ucd = attrs['ucd'];
        currentField = { name: fieldName, datatype, ...size, info, nullText: undefined, line: parser.line };
        // A char FIELD without arraysize is one character, but a string cell in TABLEDATA is common.
        fields.push(currentField);
        break;
      }
      case 'VALUES':
        if (currentField && attrs['null'] !== undefined) currentField.nullText = attrs['null'];
        break;
      case 'DESCRIPTION':
        if (currentField) {
          capture = true;
          text = [];
        }
        break;
      case 'TABLEDATA':
      case 'BINARY':
      case 'BINARY2': {
        encoding = name === 'TABLEDATA' ? 'tabledata' : name === 'BINARY' ? 'binary' : 'binary2';
        const names = uniqueNames(fields.map((f) => f.name));
        fields.forEach((f, i) => (f.name = names[i]!));
        sinks = fields.map(makeSink);
        break;
      }
      case 'TR':
        row = [];
        rowLine = parser.line;
        break;
      case 'TD':
        capture = true;
        text = [];
        break;
      case 'STREAM':
        if (attrs['href']) throw fail(`STREAM href='${attrs['href']}': external streams are not read`);
        if (attrs['encoding'] !== 'base64')
          throw fail(`STREAM encoding '${attrs['encoding'] ?? ''}' is not base64`);
        stream = new BinaryStreamDecoder(file, fields, sinks, encoding === 'binary2', rowDone);
        break;
      default:
        break;
    }
  });
  parser.on('text', (value) => {
    if (capture) text.push(value);
    else if (stream !== null) stream.push(value);
  });
  parser.on('cdata', (value) => {
    if (capture) text.push(value);
  });
  parser.on('closetag', (node) => {
    const name = localName(node.name);
    if (!inTable) return;
    switch (name) {
      case 'DESCRIPTION':
        if (currentField && capture) currentField.info.description = text.join('').trim();
        capture = false;
        break;
      case 'FIELD':
        currentField = null;
        break;
      case 'TD':
        row?.push(text.join(''));
        capture = false;
        break;
      case 'TR':
        if (row) pushTextRow(row);
        row = null;
        break;
      case 'STREAM':
        if (stream !== null) {
          stream.finish();
          stream = null;
        }
        break;
      case 'TABLE':
        inTable = false;
        done = true;
        break;
      default:
        break;
    }
  });
  parser.on('error', (error) => {
    failed.error ??= new Error(
      `${file}: line ${parser.line}, column ${parser.column}: XML error: ${error.message.split('\n')[0]}`,
    );
  });

  // A STREAM's base64 bypasses the XML parser, which would gather the whole text node into one string
  // (past V8's string limit for a table of a few hundred MB): the parser is written up to the end of the
  // STREAM start tag, then the text up to the next '<' goes straight to the decoder. Text is handed to
  // the parser only up to a tag's end, so a STREAM start tag is never split between two writes.
  const input = textStream(file);
  let carry = '';
  /** Writes `text` to the parser until the chosen TABLE ends; returns what is left unread. */
  const feed = (text: string): string => {
    let rest = text;
    while (rest.length > 0 && !done) {
      if (stream !== null) {
        const lt = rest.indexOf('<');
        stream.push(lt < 0 ? rest : rest.slice(0, lt));
        if (lt < 0) return '';
        rest = rest.slice(lt);
      }
      const open = STREAM_START.exec(rest);
      const end = open === null ? rest.length : open.index + open[0].length;
      parser.write(rest.slice(0, end));
      if (failed.error) throw failed.error;
      rest = rest.slice(end);
    }
    return rest;
  };
  // With no TABLE chosen, the rest of the file after the first is only searched for more TABLE tags
  // (the parser has counted those it read past), so that a second one is not dropped without a word.
  const counting = options.tableIndex === undefined;
  let later = 0;
  try {
    for await (const chunk of input) {
      // Hold back an unfinished tag for the next chunk.
      const next = wholeTags(carry, chunk as string);
      carry = next.carry;
      if (done) later += countTables(next.text);
      else {
        const unread = feed(next.text);
        if (done) later += countTables(unread);
      }
      if (done && !counting) break;
    }
    if (done) later += countTables(carry);
    else {
      feed(carry);
      parser.close();
    }
  } finally {
    input.destroy();
  }
  if (failed.error) throw failed.error;
  const tables = tableSeen + 1 + later;
  if (tableSeen < wanted)
    throw new Error(`${file}: no TABLE ${wanted} (the file has ${tables}, numbered from 0)`);
  if (counting && tables > 1) {
    const message =
      `${file}: the VOTable holds ${tables} TABLEs; read the first (choose another by its number, ` +
      `0 to ${tables - 1}, with --hdu)`;
    if (options.onWarning) options.onWarning(message);
    else process.emitWarning(message);
  }
  if (encoding === null) sinks = fields.map(makeSink);
  if (batches !== undefined && (rowCount > batchStart || rowCount === 0)) flush();
  return { file, format: 'votable', table: tableOfSinks() };
}

/**
 * Bytes of the row at `offset` of a BINARY/BINARY2 stream, or -1 when the bytes end inside it (its
 * variable-length arrays' counts are read on the way).
 */
function rowLength(
  file: string,
  bytes: Buffer,
  offset: number,
  fields: VoField[],
  binary2: boolean,
  row: number,
): number {
  let at = offset + (binary2 ? Math.ceil(fields.length / 8) : 0);
  for (const field of fields) {
    let count = field.count;
    if (count === null) {
      if (at + 4 > bytes.length) return -1;
      count = bytes.readInt32BE(at);
      at += 4;
      if (count < 0 || (field.maxCount !== null && count > field.maxCount)) {
        throw new Error(
          `${file}: BINARY row ${row}, FIELD ${field.name}: array length ${count} is not allowed by arraysize`,
        );
      }
    }
    at += field.datatype === 'bit' ? Math.ceil(count / 8) : count * ELEMENT_BYTES[field.datatype];
    if (at > bytes.length) return -1;
  }
  return at - offset;
}

/**
 * A BINARY/BINARY2 stream decoded as its base64 text arrives: every whole row goes to the sinks as soon
 * as its bytes are in, so neither the text nor the bytes of the whole stream are ever held.
 */
class BinaryStreamDecoder {
  private text: string[] = [];
  private textLength = 0;
  private bytes: Buffer = Buffer.alloc(0);
  private rows = 0;

  constructor(
    private readonly file: string,
    private readonly fields: VoField[],
    private readonly sinks: Sink[],
    private readonly binary2: boolean,
    private readonly rowDone: () => void,
  ) {}

  push(value: string): void {
    this.text.push(value);
    this.textLength += value.length;
    if (this.textLength >= 1 << 20) this.decode(false);
  }

  /** Decodes what is left; bytes that do not make a whole row are an error naming row and FIELD. */
  finish(): void {
    this.decode(true);
  }

  private decode(final: boolean): void {
    const base64 = this.text.join('').replace(/\s+/g, '');
    // Whole 4-character groups only, until the end: a group split between two text events decodes wrong.
    const usable = final ? base64.length : base64.length - (base64.length % 4);
    this.text = usable < base64.length ? [base64.slice(usable)] : [];
    this.textLength = base64.length - usable;
    const fresh = Buffer.from(base64.slice(0, usable), 'base64');
    const bytes = this.bytes.length > 0 ? Buffer.concat([this.bytes, fresh]) : fresh;
    const { rows, consumed } = decodeBinary(
      this.file,
      bytes,
      this.fields,
      this.sinks,
      this.binary2,
      this.rows,
      final,
      this.rowDone,
    );
    this.rows += rows;
    // A copy, so the rest of a large decoded block is not kept alive by the leftover bytes.
    this.bytes = Buffer.from(bytes.subarray(consumed));
  }
}

/** Decodes the whole rows of `bytes` into the sinks; with `final`, bytes left inside a row are an error.
 * `firstRow` counts the rows before these bytes (for messages). */
function decodeBinary(
  file: string,
  bytes: Buffer,
  fields: VoField[],
  sinks: Sink[],
  binary2: boolean,
  firstRow: number,
  final: boolean,
  rowDone: () => void,
): { rows: number; consumed: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const maskBytes = binary2 ? Math.ceil(fields.length / 8) : 0;
  let offset = 0;
  let rows = 0;
  const need = (n: number, field: VoField): void => {
    if (offset + n > bytes.length) {
      throw new Error(
        `${file}: ${binary2 ? 'BINARY2' : 'BINARY'} stream ends inside row ${firstRow + rows + 1}, FIELD ${field.name} ` +
          `(needs ${n} bytes at offset ${offset} of ${bytes.length}): the FIELD datatype/arraysize does not match the data`,
      );
    }
  };
  const readElement = (datatype: VoDatatype): number => {
    let v: number;
    switch (datatype) {
      case 'boolean': {
        const c = String.fromCharCode(view.getUint8(offset));
        v = /[Tt1]/.test(c) ? 1 : /[Ff0]/.test(c) ? 0 : Number.NaN;
        break;
      }
      case 'unsignedByte':
        v = view.getUint8(offset);
        break;
      case 'short':
        v = view.getInt16(offset);
        break;
      case 'int':
        v = view.getInt32(offset);
        break;
      case 'float':
      case 'floatComplex':
        v = view.getFloat32(offset);
        break;
      default:
        v = view.getFloat64(offset);
    }
    return v;
  };
  while (offset < bytes.length) {
    if (!final && rowLength(file, bytes, offset, fields, binary2, firstRow + rows + 1) < 0) break;
    const mask = binary2 ? bytes.subarray(offset, offset + maskBytes) : null;
    if (binary2) {
      need(maskBytes, fields[0]!);
      offset += maskBytes;
    }
    for (let c = 0; c < fields.length; c += 1) {
      const field = fields[c]!;
      const sink = sinks[c]!;
      const isNull = mask !== null && ((mask[c >> 3]! >> (7 - (c & 7))) & 1) === 1;
      let count = field.count;
      if (count === null) {
        need(4, field);
        count = view.getInt32(offset);
        offset += 4;
        if (count < 0 || (field.maxCount !== null && count > field.maxCount)) {
          throw new Error(
            `${file}: BINARY row ${firstRow + rows + 1}, FIELD ${field.name}: array length ${count} is not allowed by arraysize`,
          );
        }
      }
      const element = ELEMENT_BYTES[field.datatype];
      const size = field.datatype === 'bit' ? Math.ceil(count / 8) : count * element;
      need(size, field);
      if (sink.kind === 'string') {
        const raw =
          field.datatype === 'unicodeChar'
            ? bytes
                .subarray(offset, offset + size)
                .swap16()
                .toString('utf16le')
            : bytes.subarray(offset, offset + size).toString('latin1');
        if (field.datatype === 'unicodeChar') bytes.subarray(offset, offset + size).swap16();
        const value = raw.replace(/\0.*$/s, '');
        if (isNull || value === '') sink.builder.pushNull();
        else sink.builder.push(value);
      } else if (sink.kind === 'list') {
        let values: ArrayLike<number | bigint>;
        if (field.datatype === 'long') {
          // 64-bit elements as bigint: a double is exact only to 2^53.
          const longs: (number | bigint)[] = [];
          for (let i = 0; i < count; i += 1) {
            const big = view.getBigInt64(offset + i * 8);
            longs.push(field.nullText !== undefined && big.toString() === field.nullText ? Number.NaN : big);
          }
          values = longs;
        } else {
          const perValue = field.datatype.endsWith('Complex') ? 2 : 1;
          const numbers = new Float64Array(field.datatype === 'bit' ? count : count * perValue);
          if (field.datatype === 'bit') {
            for (let i = 0; i < count; i += 1) numbers[i] = (bytes[offset + (i >> 3)]! >> (7 - (i & 7))) & 1;
          } else {
            const step = element / perValue;
            for (let i = 0; i < numbers.length; i += 1) {
              const at = offset + i * step;
              const saved = offset;
              offset = at;
              numbers[i] = readElement(field.datatype);
              offset = saved;
              if (field.nullText !== undefined && String(numbers[i]) === field.nullText)
                numbers[i] = Number.NaN;
            }
          }
          values = numbers;
        }
        if (isNull) sink.builder.pushNull();
        else sink.builder.push(values);
      } else {
        const builder = sink.builder;
        if (isNull) builder.pushNull();
        else if (field.datatype === 'bit') {
          // One bit: the spec packs it most significant first; astropy writes 0x08. Any set bit is true.
          builder.pushBool(bytes[offset] !== 0);
        } else if (field.datatype === 'long') {
          const big = view.getBigInt64(offset);
          if (field.nullText !== undefined && big.toString() === field.nullText) builder.pushNull();
          else builder.pushBigInt(big);
        } else {
          const v = readElement(field.datatype);
          if (Number.isNaN(v) || (field.nullText !== undefined && String(v) === field.nullText))
            builder.pushNull();
          else if (field.datatype === 'boolean') builder.pushBool(v === 1);
          else builder.pushNumber(v);
        }
      }
      offset += size;
    }
    rows += 1;
    rowDone();
  }
  return { rows, consumed: offset };
}

/** The elements of an array cell, a multi-dimensional one flattened in row-major order. */
function flatElements(value: Iterable<unknown>): unknown[] {
  return Array.from(value).flatMap((v) =>
    v !== null && typeof v === 'object' && Symbol.iterator in v ? flatElements(v as Iterable<unknown>) : [v],
  );
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The null value a VOTable integer array declares (`<VALUES null>`): each type's most negative value,
 * 255 for unsignedByte, so that a missing element keeps its array integer, as astropy writes it. */
const ARRAY_NULL: Record<string, string> = {
  unsignedByte: '255',
  short: '-32768',
  int: '-2147483648',
  long: '-9223372036854775808',
};

function voDatatype(type: DataType): { datatype: string; arraysize?: string; nullValue?: string } {
  switch (type.typeId) {
    case Type.Bool:
      return { datatype: 'boolean' };
    case Type.Int: {
      const { isSigned, bitWidth } = type as DataType & { isSigned: boolean; bitWidth: number };
      if (!isSigned && bitWidth === 8) return { datatype: 'unsignedByte' };
      if (bitWidth <= 8 || (bitWidth === 16 && isSigned)) return { datatype: 'short' };
      if (bitWidth <= 16 || (bitWidth === 32 && isSigned)) return { datatype: 'int' };
      return { datatype: 'long' };
    }
    case Type.Float: {
      const precision = (type as DataType & { precision: number }).precision;
      return { datatype: precision === 2 ? 'double' : 'float' };
    }
    case Type.List:
    case Type.FixedSizeList: {
      // Elements keep their type: float ones their precision (a null element is NaN), integer ones
      // theirs with a declared null value (ARRAY_NULL), anything else is written as double. Fixed-size
      // lists keep their shape, the first VOTable dimension the innermost ('3x2' for 2 rows of 3), so
      // that a reader gets (n, …) arrays back; a variable list of fixed-size ones is '3x*'.
      const dims: string[] = [];
      let element: DataType = type;
      while (element.typeId === Type.List || element.typeId === Type.FixedSizeList) {
        dims.unshift(
          element.typeId === Type.List ? '*' : String((element as DataType & { listSize: number }).listSize),
        );
        element = (element.children as { type: DataType }[])[0]!.type;
      }
      // '*' only in the last dimension: a list inside a list of varying length is written flat.
      const arraysize = dims.slice(0, -1).includes('*') ? '*' : dims.join('x');
      if (element.typeId === Type.Int) {
        const { datatype } = voDatatype(element);
        return { datatype, arraysize, nullValue: ARRAY_NULL[datatype]! };
      }
      const datatype =
        element.typeId === Type.Float && (element as DataType & { precision: number }).precision === 1
          ? 'float'
          : 'double';
      return { datatype, arraysize };
    }
    default:
      return { datatype: 'char', arraysize: '*' };
  }
}

const LONG_MAX = 2n ** 63n - 1n;

function checkLong(value: unknown, column: string): void {
  const values = typeof value === 'bigint' ? [value] : flatElements(value as Iterable<unknown>);
  for (const v of values) {
    if (typeof v === 'bigint' && v > LONG_MAX)
      throw new Error(
        `column ${column}: ${v} does not fit a VOTable long (at most 2^63 - 1; VOTable has no unsigned ` +
          '64-bit type): write FITS, Parquet or ECSV, which keep it',
      );
  }
}

/** VOTable 1.4 with TABLEDATA: the FIELDs (datatype, arraysize, unit, UCD, description), then a TR per row. */
export function votableLayout(schema: Schema): TextLayout {
  const fields = schema.fields;
  const types = fields.map((f) => voDatatype(f.type as DataType));
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">\n<RESOURCE type="results">\n<TABLE>\n',
    ...fields.map((field, c) => {
      const info = columnInfo(field);
      const { datatype, arraysize, nullValue } = types[c]!;
      let attrs = `name="${xmlEscape(field.name)}" datatype="${datatype}"`;
      if (arraysize) attrs += ` arraysize="${arraysize}"`;
      if (info.unit) attrs += ` unit="${xmlEscape(info.unit)}"`;
      if (info.ucd) attrs += ` ucd="${xmlEscape(info.ucd)}"`;
      const inner =
        (info.description ? `<DESCRIPTION>${xmlEscape(info.description)}</DESCRIPTION>` : '') +
        (nullValue === undefined ? '' : `<VALUES null="${nullValue}"/>`);
      return inner === '' ? `<FIELD ${attrs}/>\n` : `<FIELD ${attrs}>${inner}</FIELD>\n`;
    }),
    '<DATA><TABLEDATA>\n',
  ].join('');
  // VOTable has no unsigned 64-bit type: a uint64 column is written as long, which holds its values
  // only up to 2^63 - 1 (astropy writes larger ones that read back clipped); a larger one is refused.
  const unsigned64 = fields.map((f) => {
    let t = f.type as DataType;
    while (t.typeId === Type.List || t.typeId === Type.FixedSizeList)
      t = (t.children as { type: DataType }[])[0]!.type;
    const int = t as DataType & { isSigned?: boolean; bitWidth?: number };
    return t.typeId === Type.Int && int.isSigned === false && int.bitWidth === 64;
  });
  return {
    head,
    *rows(table) {
      const columns = fields.map((_, c) => table.getChildAt(c)!);
      for (let r = 0; r < table.numRows; r += 1) {
        let line = '<TR>';
        for (const [c, column] of columns.entries()) {
          const value: unknown = column.get(r);
          if (unsigned64[c] && value !== null) checkLong(value, fields[c]!.name);
          if (value === null || value === undefined) line += '<TD/>';
          else if (typeof value === 'object' && Symbol.iterator in value) {
            line += `<TD>${flatElements(value as Iterable<unknown>)
              .map((v) => (v === null ? (types[c]!.nullValue ?? 'NaN') : formatCell(v)))
              .join(' ')}</TD>`;
          } else
            line += `<TD>${xmlEscape(formatCell(value === true ? 'T' : value === false ? 'F' : value))}</TD>`;
        }
        yield `${line}</TR>\n`;
      }
    },
    foot: '</TABLEDATA></DATA>\n</TABLE>\n</RESOURCE>\n</VOTABLE>\n',
  };
}

export async function writeVotable(table: Table, file: string): Promise<void> {
  await writeTextAtomic(file, layoutText(votableLayout(table.schema), table));
}
