// CDS/AAS "byte-by-byte" fixed-width tables: an AAS machine-readable table (MRT: header and data in
// one file) or a CDS data file whose description sits in a ReadMe beside it ("Byte-by-byte
// Description of file: tab_3.dat"). Written here because no maintained JavaScript parser exists. The
// header gives byte ranges, Fortran-style formats (A, I, F, E, D), units, labels and, through a
// leading '?' in the explanation, which columns may be blank ('?=-99' names a null value; real CDS
// files also leave unmarked columns blank, so a blank is always a null). The reader checks the data
// against the header and names the line and column where they disagree: a number that does not
// parse, text in the gap between two columns, a line longer than the description. A label given twice
// names two columns (the second becomes '<label>_2'), each with its own unit and explanation.
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CellError, ColumnBuilder, parseNumber } from './columns.ts';
import type { DeclaredType } from './columns.ts';
import { DataType } from 'apache-arrow';
import type { Field, Schema, Table, Vector } from 'apache-arrow';
import { buildTable, columnInfo, uniqueNames } from './table.ts';
import type { CatalogTable, ColumnInfo } from './table.ts';
import { formatCell, layoutText, writeTextAtomic } from './text-out.ts';
import type { TextLayout } from './text-out.ts';
import { headBytes, textStream } from './text-source.ts';

export interface MrtColumn {
  start: number;
  end: number;
  format: string;
  unit: string;
  label: string;
  explanation: string;
  optional: boolean;
  nullValue: string | undefined;
}

const SPEC_LINE = /^\s*(\d+)(?:\s*-\s*(\d+))?\s+([AIFED])(\d+)(?:\.(\d+))?\s+(\S+)\s+(\S+)\s*(.*)$/;
const DASHES = /^\s*-{10,}\s*$/;

function declaredType(column: MrtColumn): DeclaredType {
  const letter = column.format[0];
  if (letter === 'A') return 'string';
  if (letter === 'I') return Number(column.format.slice(1)) > 9 ? 'int64' : 'int32';
  return 'float64';
}

/** Parses the column specifications that follow a "Byte-by-byte Description" line. */
function parseSpecs(lines: string[], from: number, source: string): { columns: MrtColumn[]; end: number } {
  let i = from + 1;
  // Skip the dashes / heading / dashes block.
  let dashBlocks = 0;
  while (i < lines.length && dashBlocks < 2) {
    if (DASHES.test(lines[i]!)) dashBlocks += 1;
    i += 1;
  }
  const columns: MrtColumn[] = [];
  for (; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (DASHES.test(line) || /^\s*Note/.test(line) || /^Byte-by-byte/.test(line)) break;
    const match = SPEC_LINE.exec(line);
    if (match === null) {
      if (columns.length > 0 && /^\s{5,}\S/.test(line)) {
        columns[columns.length - 1]!.explanation += ` ${line.trim()}`;
        continue;
      }
      if (line.trim() === '') continue;
      throw new Error(
        `${source}: line ${i + 1}: cannot read the byte-by-byte column description '${line.trim()}'`,
      );
    }
    const start = Number(match[1]);
    const end = match[2] === undefined ? start : Number(match[2]);
    const explanation = match[8] ?? '';
    const nullMatch = /^\?\s*=\s*(\S+)/.exec(explanation);
    if (end < start) throw new Error(`${source}: line ${i + 1}: byte range ${start}-${end} is reversed`);
    columns.push({
      start,
      end,
      format: `${match[3]}${match[4]}${match[5] !== undefined ? `.${match[5]}` : ''}`,
      unit: match[6]!,
      label: match[7]!,
      explanation: explanation.replace(/^\?(\s*=\s*\S+)?\s*/, ''),
      optional: explanation.startsWith('?'),
      nullValue: nullMatch?.[1],
    });
  }
  if (columns.length === 0)
    throw new Error(`${source}: line ${from + 1}: the byte-by-byte description lists no columns`);
  return { columns, end: i };
}

interface Layout {
  columns: MrtColumn[];
  dataFile: string;
  /** 1-based number of the data's first line in the data file. */
  firstDataLine: number;
}

/** The description must lie in the file's first 16 MB; the data after it are streamed. */
const HEAD_BYTES = 16 << 20;

/**
 * Hands `onLine` every line of the (inflated) text with its 1-based number. Latin-1, so that one byte
 * is one character and the description's byte ranges index the line.
 */
async function eachLine(file: string, onLine: (line: string, lineNo: number) => void): Promise<void> {
  let carry = '';
  let lineNo = 0;
  for await (const chunk of textStream(file, 0, 'latin1')) {
    const text = carry + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lineNo += 1;
      onLine(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl), lineNo);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  onLine(carry, lineNo + 1);
}

function findInReadme(file: string): string | null {
  const dir = dirname(file);
  const name = readdirSync(dir).find((n) => /^readme(\.txt)?$/i.test(n));
  return name === undefined ? null : join(dir, name);
}

/** The columns and where the data start; `rows` (the non-blank data lines) is counted when asked. */
async function layoutOf(file: string, count: boolean): Promise<Layout & { rows?: number }> {
  const head = headBytes(file, HEAD_BYTES).toString('latin1');
  const headLines = head.split(/\r?\n/);
  if (head.length === HEAD_BYTES) headLines.pop();
  const description = headLines.findIndex((l) => /^Byte-by-byte Description of file/.test(l));
  if (description >= 0) {
    // AAS MRT: header, then data after the last line of dashes (notes between them may hold dashes).
    const { columns } = parseSpecs(headLines, description, file);
    let last = -1;
    let rows = 0;
    await eachLine(file, (line, lineNo) => {
      if (lineNo <= description + 1) return;
      if (DASHES.test(line) || /^=+\s*$/.test(line)) {
        last = lineNo;
        rows = 0;
      } else if (/\S/.test(line)) rows += 1;
    });
    if (last < 0) throw new Error(`${file}: no line of dashes separates the header from the data`);
    return { columns, dataFile: file, firstDataLine: last + 1, rows };
  }
  const readme = findInReadme(file);
  if (readme === null) {
    throw new Error(`${file}: no byte-by-byte description in the file and no ReadMe beside it`);
  }
  const readmeLines = (await readFile(readme, 'latin1')).split(/\r?\n/);
  // VizieR serves `table1.dat.gz` for the ReadMe's `table1.dat`.
  const name = basename(file).replace(/\.gz$/i, '');
  const index = readmeLines.findIndex(
    (l) =>
      /^Byte-by-byte Description of file/.test(l) &&
      l.split(/[:\s,]+/).some((w) => w === name || globMatch(w, name)),
  );
  if (index < 0) throw new Error(`${readme}: no "Byte-by-byte Description of file: ${name}" section`);
  const { columns } = parseSpecs(readmeLines, index, readme);
  const layout = { columns, dataFile: file, firstDataLine: 1 };
  if (!count) return layout;
  let rows = 0;
  await eachLine(file, (line) => {
    if (/\S/.test(line)) rows += 1;
  });
  return { ...layout, rows };
}

function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return false;
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return regex.test(name);
}

/** A '?=value' null marker matches its text, or for numeric columns its number ('-1' matches '-1.0'). */
function isNullValue(cell: string, column: MrtColumn): boolean {
  if (column.nullValue === undefined) return false;
  if (cell === column.nullValue) return true;
  if (column.format[0] === 'A') return false;
  const a = parseNumber(cell);
  return !Number.isNaN(a) && a === parseNumber(column.nullValue);
}

/** True when the file looks like a byte-by-byte table (its own header or a ReadMe that describes it). */
export function looksLikeMrt(file: string, head: string): boolean {
  if (/^Byte-by-byte Description of file/m.test(head)) return true;
  const dir = dirname(file);
  return existsSync(dir) && findInReadme(file) !== null && /\.(dat|txt)(\.gz)?$/i.test(file);
}

/** Data lines checked against the description and gathered into columns, taken as a table at will. */
class MrtRows {
  private readonly builders: ColumnBuilder[];
  private readonly covered: Uint8Array;
  private readonly width: number;
  /** The column names: the labels, a repeated one made unique. */
  private readonly names: string[];

  constructor(private readonly layout: Layout) {
    const { columns } = layout;
    this.names = uniqueNames(columns.map((c) => c.label));
    this.width = Math.max(...columns.map((c) => c.end));
    this.builders = columns.map((c) => new ColumnBuilder(declaredType(c)));
    this.covered = new Uint8Array(this.width + 1);
    for (const c of columns) for (let b = c.start; b <= c.end; b += 1) this.covered[b] = 1;
  }

  /** Adds the line's row; false for a blank line. */
  push(line: string, lineNo: number): boolean {
    const { columns, dataFile } = this.layout;
    const width = this.width;
    if (line.trim() === '') return false;
    if (line.trimEnd().length > width) {
      throw new Error(
        `${dataFile}: line ${lineNo}: ${line.trimEnd().length} characters but the byte-by-byte description ends at byte ${width}`,
      );
    }
    for (let b = 1; b <= line.length && b <= width; b += 1) {
      if (!this.covered[b] && line[b - 1] !== ' ') {
        const next = columns.find((c) => c.start > b) ?? columns[columns.length - 1]!;
        throw new Error(
          `${dataFile}: line ${lineNo}, byte ${b}: '${line[b - 1]}' lies between columns (next is ${next.label}, bytes ${next.start}-${next.end}); the header disagrees with the data`,
        );
      }
    }
    for (let c = 0; c < columns.length; c += 1) {
      const column = columns[c]!;
      const cell = line.slice(column.start - 1, column.end).trim();
      const builder = this.builders[c]!;
      try {
        if (cell === '' || isNullValue(cell, column)) {
          builder.pushNull();
        } else if (column.format[0] === 'A') builder.push(cell);
        else if (/\s/.test(cell)) throw new CellError(`'${cell}' is not one ${column.format} number`);
        else builder.push(cell);
      } catch (error) {
        if (error instanceof CellError) {
          throw new Error(
            `${dataFile}: line ${lineNo}, bytes ${column.start}-${column.end} (${column.label}, ${column.format}): ${error.message}; the header disagrees with the data`,
            { cause: error },
          );
        }
        throw error;
      }
    }
    return true;
  }

  /** The rows pushed since the last call, as a table. */
  take(): Table {
    const table = buildTable(
      this.layout.columns.map((column, c) => {
        const info: ColumnInfo = { description: column.explanation };
        if (column.unit !== '---') info.unit = column.unit;
        return { name: this.names[c]!, vector: this.builders[c]!.finish(), info };
      }),
    );
    for (const builder of this.builders) builder.reset();
    return table;
  }
}

export async function readMrt(file: string): Promise<CatalogTable> {
  const layout = await layoutOf(file, false);
  const rows = new MrtRows(layout);
  await eachLine(layout.dataFile, (line, lineNo) => {
    if (lineNo >= layout.firstDataLine) rows.push(line, lineNo);
  });
  return { file, format: 'mrt', table: rows.take() };
}

/**
 * Hands `onBatch` the table's rows `batchRows` at a time (a table without rows gives one empty batch);
 * `onCount`, if given, is told the number of rows first. Returns the number of rows.
 */
export async function readMrtBatches(
  file: string,
  batchRows: number,
  onBatch: (table: Table, firstRow: number) => void,
  onCount?: (rows: number) => void,
): Promise<number> {
  const layout = await layoutOf(file, onCount !== undefined);
  if (onCount !== undefined) onCount(layout.rows!);
  const rows = new MrtRows(layout);
  let count = 0;
  let batchStart = 0;
  await eachLine(layout.dataFile, (line, lineNo) => {
    if (lineNo < layout.firstDataLine || !rows.push(line, lineNo)) return;
    count += 1;
    if (count - batchStart === batchRows) {
      onBatch(rows.take(), batchStart);
      batchStart = count;
    }
  });
  if (count > batchStart || count === 0) onBatch(rows.take(), batchStart);
  return count;
}

/** What one output column's byte-by-byte format needs from its rows. */
class MrtColumnSurvey {
  kind: 'A' | 'I' | 'F' | 'E';
  decimals = 0;
  nulls = false;
  width = 1;

  constructor(
    readonly field: Field,
    private readonly file: string,
  ) {
    if (/\s/.test(field.name))
      throw new Error(`${file}: column '${field.name}': byte-by-byte labels cannot hold spaces`);
    this.kind = DataType.isInt(field.type) ? 'I' : DataType.isFloat(field.type) ? 'F' : 'A';
  }

  add(vector: Vector, firstRow: number): void {
    for (let r = 0; r < vector.length; r += 1) {
      const value: unknown = vector.get(r);
      if (isMissing(value)) {
        this.nulls = true;
        continue;
      }
      const text = formatCell(value);
      if (this.kind === 'A' && /\n/.test(text)) {
        throw new Error(
          `${this.file}: column '${this.field.name}', row ${firstRow + r + 1}: a line break cannot be written`,
        );
      }
      // Byte-by-byte files are ASCII (CDS and AAS): their byte ranges count bytes, which a UTF-8
      // character of two or more would overrun.
      const wide = /[^\x20-\x7e]/.exec(text);
      if (this.kind === 'A' && wide !== null) {
        throw new Error(
          `${this.file}: column '${this.field.name}', row ${firstRow + r + 1}: '${wide[0]}' is not ASCII, ` +
            'which a byte-by-byte file must be; write ECSV, VOTable or Parquet instead',
        );
      }
      if (this.kind === 'F') {
        if (/[eE]|inf/.test(text)) this.kind = 'E';
        else
          this.decimals = Math.max(
            this.decimals,
            text.includes('.') ? text.length - text.indexOf('.') - 1 : 0,
          );
      }
      if (text.length > this.width) this.width = text.length;
    }
  }
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/** A cell as the byte-by-byte file holds it: its shortest round-trip text, or blank for a null. */
function cellText(value: unknown): string {
  return isMissing(value) ? '' : formatCell(value);
}

/**
 * An AAS-style machine-readable table (header and data in one file), written a batch at a time: the
 * header's byte ranges and formats depend on every row (widths, decimals, blanks), so every batch is
 * surveyed with `add` before `layout` gives the header and the rows. Numbers are written in their
 * shortest round-trip form, so reading the file back gives the same doubles; blanks are nulls and such
 * columns are marked '?'. Labels with spaces are not representable and are refused.
 */
export class MrtSurvey {
  private readonly columns: MrtColumnSurvey[];
  private rows = 0;

  constructor(
    schema: Schema,
    private readonly file: string,
  ) {
    this.columns = schema.fields.map((field) => new MrtColumnSurvey(field, file));
  }

  add(table: Table): void {
    this.columns.forEach((column, c) => column.add(table.getChildAt(c)!, this.rows));
    this.rows += table.numRows;
  }

  layout(): TextLayout {
    const file = this.file;
    const columns = this.columns.map((column) => {
      const { kind, width, decimals } = column;
      const format =
        kind === 'A' || kind === 'I'
          ? `${kind}${width}`
          : `${kind}${width}.${kind === 'E' ? Math.max(1, width - 7) : decimals}`;
      const info = columnInfo(column.field);
      const explanation = `${column.nulls ? '? ' : ''}${info.description ?? column.field.name}`.replace(
        /\s+/g,
        ' ',
      );
      // CDS unit strings hold no spaces: astropy's 'mas / yr' is written 'mas/yr', 'W m-2' as 'W.m-2'.
      const unit = info.unit
        ? info.unit
            .trim()
            .replace(/\s*\/\s*/g, '/')
            .replace(/\s+/g, '.')
        : '---';
      return { label: column.field.name, format, unit, explanation, width, text: kind === 'A' };
    });
    const rule = '-'.repeat(80);
    let start = 1;
    const specs = columns.map((column) => {
      const end = start + column.width - 1;
      const bytes =
        column.width === 1
          ? `${String(start).padStart(4)}    `
          : `${String(start).padStart(4)}-${String(end).padStart(3)}`;
      start = end + 2;
      return ` ${bytes} ${column.format.padEnd(6)} ${column.unit.padEnd(8)} ${column.label.padEnd(10)} ${column.explanation}\n`;
    });
    return {
      head:
        `Title: ${basename(file)}\nAuthors: written by Cradle\nTable: ${basename(file)}\n${'='.repeat(80)}\n` +
        `Byte-by-byte Description of file: ${basename(file)}\n${rule}\n   Bytes Format Units    Label      Explanations\n${rule}\n` +
        specs.join('') +
        `${rule}\n`,
      *rows(table) {
        const vectors = columns.map((_, c) => table.getChildAt(c)!);
        for (let r = 0; r < table.numRows; r += 1) {
          const line = columns
            .map((column, c) => {
              const text = cellText(vectors[c]!.get(r));
              return column.text ? text.padEnd(column.width) : text.padStart(column.width);
            })
            .join(' ');
          yield `${line.trimEnd()}\n`;
        }
      },
      foot: '',
    };
  }
}

/** Writes `table` as a byte-by-byte file (see MrtSurvey). */
export async function writeMrt(table: Table, file: string): Promise<void> {
  const survey = new MrtSurvey(table.schema, file);
  survey.add(table);
  await writeTextAtomic(file, layoutText(survey.layout(), table));
}
