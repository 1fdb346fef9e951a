// CSV/TSV reader and writer. Parsing is Papa Parse's (quoted fields, embedded newlines, comment
// lines), fed from a file stream in chunks (inflated when gzipped) so a large file is never one string; it is several times
// faster than csv-parse on catalog-sized files. Rows whose field count differs from the header's are
// refused, and the error path re-reads the file to name the line.
// Cells go into column builders that infer types; declared missing markers become nulls. A VizieR TSV
// (names, then a units row, then a row of dashes) gives its units to the columns.
import Papa from 'papaparse';
import type { Schema, Table, Vector } from 'apache-arrow';
import { CellError, ColumnBuilder } from './columns.ts';
import type { DeclaredType } from './columns.ts';
import { buildTable, uniqueNames } from './table.ts';
import type { CatalogTable, ColumnInfo } from './table.ts';
import { formatCell, layoutText, writeTextAtomic } from './text-out.ts';
import type { TextLayout } from './text-out.ts';
import { allBytes, headBytes, textStream } from './text-source.ts';

export interface CsvOptions {
  /** Field separator; sniffed from the first data line when absent. */
  delimiter?: string;
  /** Cell texts that mean "missing" (after trimming). Default: empty, NA, N/A, null, --. */
  missing?: string[];
  /** Lines starting with this are comments. Default '#'. */
  comment?: string;
}

/**
 * `nan` is not among them: as in astropy's reader and in ECSV, it is a float NaN, not a null, so that
 * a table written with both (a NaN is written `nan`, a null as an empty cell) reads back the same.
 * Numeric work counts either as missing.
 */
export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'null', 'NULL', '--'];

function sniffDelimiter(file: string, comment: string): string {
  const text = headBytes(file, 65536).toString('utf8');
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith(comment));
  if (line === undefined) throw new Error(`${file}: no header line (the file is empty or only comments)`);
  const counts: [string, number][] = ['\t', ',', ';', '|'].map((d) => [d, line.split(d).length - 1]);
  counts.sort((a, b) => b[1] - a[1]);
  const best = counts[0]!;
  return best[1] > 0 ? best[0] : ',';
}

const UNIT_CELL = /^[A-Za-z0-9.\-+/()[\]^*'"% ]*$/;

export interface DelimitedBody {
  names: string[];
  vectors: Vector[];
  units: (string | undefined)[];
}

export interface DelimitedOptions {
  delimiter: string;
  comment: string | undefined;
  missing: Set<string>;
  /** Cell texts that are missing only in some columns (those `columns` flags, given the names). */
  missingIn?: { values: Set<string>; columns: (names: string[]) => boolean[] };
  /** Byte offset where the header line starts (after an ECSV preamble). */
  start?: number;
  trim: boolean;
  /** Declared storage per column name (ECSV); inference where absent. */
  declared?: (names: string[]) => (DeclaredType | undefined)[];
  /** 1-based line number of the byte at `start`, for messages. */
  firstLine?: number;
  /** Look for a VizieR units row and dashes row after the header (CSV/TSV, not ECSV). */
  unitsRow?: boolean;
}

/** Rows handed over a batch at a time instead of kept: each full batch, then the rest (an empty batch
 * when the table has no rows). The builders are emptied after each batch but keep the types learnt. */
export interface DelimitedBatches {
  rows: number;
  onBatch?: (body: DelimitedBody, firstRow: number) => void;
}

interface ParsedDelimited {
  names: string[];
  units: (string | undefined)[];
  builders: ColumnBuilder[];
  rows: number;
}

/** Thrown inside the parse callbacks; carries the record index so the line can be found afterwards,
 * or the line itself where the reader counted lines (a one-column table). */
class RowError extends Error {
  constructor(
    readonly record: number,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Field separator and quote character that no text table holds, so that Papa Parse hands over each
 * line of a one-column table whole. */
const NO_DELIMITER = '\u0001';
const NO_QUOTE = '\u0000';

/**
 * Whether the table at `start` has a single column. Such a table's missing cell is written `""` (astropy,
 * pandas), which Papa Parse gives as the same empty record as a blank line; its lines are therefore
 * read whole and unquoted by {@link OneColumnLines}.
 */
function isOneColumn(file: string, options: DelimitedOptions): boolean {
  const head = headBytes(file, (options.start ?? 0) + 65536)
    .subarray(options.start ?? 0)
    .toString('utf8');
  const first = Papa.parse<string[]>(head, {
    delimiter: options.delimiter,
    comments: options.comment ?? false,
    skipEmptyLines: true,
    preview: 1,
  }).data[0];
  return first !== undefined && first.length === 1;
}

/**
 * The cells of a one-column table from its lines: blank lines and comment lines are skipped (as
 * astropy's reader skips them), a quoted cell is unquoted (`""` is an empty cell, so missing) and may go
 * on over several lines. Each cell comes with the line it starts on.
 */
class OneColumnLines {
  private open: string | null = null;
  private openLine = 0;
  private line: number;

  constructor(
    private readonly comment: string | undefined,
    firstLine: number,
    private readonly emit: (cell: string, line: number) => void,
  ) {
    this.line = firstLine - 1;
  }

  push(text: string): void {
    this.line += 1;
    if (this.open !== null) {
      this.scan(`${this.open}\n${text}`, this.openLine);
      return;
    }
    if (text.trim() === '' || (this.comment !== undefined && text.startsWith(this.comment))) return;
    if (text.trimStart().startsWith('"')) this.scan(text, this.line);
    else this.emit(text, this.line);
  }

  /** The file ended: a quoted cell still open is an error. */
  end(): void {
    if (this.open !== null) throw new RowError(0, 'a quoted cell is never closed', this.openLine);
  }

  private scan(text: string, line: number): void {
    const start = text.indexOf('"');
    let cell = '';
    for (let i = start + 1; i < text.length; i += 1) {
      if (text[i] !== '"') {
        cell += text[i];
        continue;
      }
      if (text[i + 1] === '"') {
        cell += '"';
        i += 1;
        continue;
      }
      const rest = text.slice(i + 1);
      if (rest.trim() !== '') throw new RowError(0, `text after the closing quote: ${rest.trim()}`, line);
      this.open = null;
      this.emit(cell, line);
      return;
    }
    this.open = text;
    this.openLine = line;
  }
}

/**
 * The 1-based line where record `index` (0-based, counting the header, not comments or blank lines)
 * starts. Only used on the error path: it re-reads the file and lets Papa Parse report each record's
 * end offset.
 */
function lineOfRecord(file: string, options: DelimitedOptions, index: number): number {
  const text = allBytes(file)
    .subarray(options.start ?? 0)
    .toString('utf8');
  let record = 0;
  let offset = 0;
  if (index > 0) {
    Papa.parse<string[]>(text, {
      delimiter: options.delimiter,
      comments: options.comment ?? false,
      skipEmptyLines: true,
      step: (results, parser) => {
        offset = results.meta.cursor;
        record += 1;
        if (record === index) parser.abort();
      },
    });
  }
  let line = (options.firstLine ?? 1) + countNewlines(text, 0, offset);
  let pos = offset;
  // From the end of the previous record: past its line break, then past blank and comment lines.
  if (index > 0 && text[pos - 1] !== '\n') {
    const newline = text.indexOf('\n', pos);
    if (newline < 0) return line;
    pos = newline + 1;
    line += 1;
  }
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const lineText = text.slice(pos, newline < 0 ? text.length : newline).replace(/\r$/, '');
    if (lineText.trim() !== '' && !(options.comment !== undefined && lineText.startsWith(options.comment)))
      break;
    if (newline < 0) break;
    pos = newline + 1;
    line += 1;
  }
  return line;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i += 1) if (text.charCodeAt(i) === 10) n += 1;
  return n;
}

/** Streams a header line and data rows into column builders. Shared by the CSV/TSV and ECSV readers. */
export async function readDelimitedBody(file: string, options: DelimitedOptions): Promise<DelimitedBody> {
  let parsed = await parseDelimited(file, options);
  if (parsed.builders.some((b) => b.respelled)) {
    // A column turned to text after numbers ('007', '12', 'A12'): read again with the types now known,
    // so that its cells keep their own spelling, as a batched read (types first) gives them.
    const types = parsed.builders.map((b) => b.storedType());
    parsed = await parseDelimited(file, { ...options, declared: () => types });
  }
  const { names, units, builders } = parsed;
  return { names, units, vectors: builders.map((b) => b.finish()) };
}

/** Reads the table a batch of rows at a time; returns the storage type of every column (the types a
 * whole read would give), known only once every row has been seen. */
export async function scanDelimited(
  file: string,
  options: DelimitedOptions,
  batches: DelimitedBatches,
): Promise<{ names: string[]; types: DeclaredType[]; rows: number }> {
  const { names, builders, rows } = await parseDelimited(file, options, batches);
  return { names, types: builders.map((b) => b.storedType()), rows };
}

async function parseDelimited(
  file: string,
  options: DelimitedOptions,
  batches?: DelimitedBatches,
): Promise<ParsedDelimited> {
  const missing = options.missing;
  const missingIn = options.missingIn?.values ?? new Set<string>();
  // Missing markers are short: longer cells skip the set lookup (which would hash every cell).
  const longestMissing = Math.max(0, ...[...missing, ...missingIn].map((m) => m.length));
  /** Per column: whether `missingIn` applies. */
  let missingInColumn: boolean[] = [];
  let header: string[] | null = null;
  /** The first two data rows, held until they are known not to be a VizieR units and dashes row; with
   * the line each starts on, where the reader counts lines. */
  const pending: { row: string[]; line: number | undefined }[] = [];
  let builders: ColumnBuilder[] = [];
  let units: string[] | null = null;
  let dataRows = 0;
  let batchStart = 0;
  /** Index of the record being handled (0 = the header line). */
  let record = -1;
  const unitList = (): (string | undefined)[] => header!.map((_, c) => units?.[c] || undefined);
  const flush = (): void => {
    batches!.onBatch?.(
      { names: header!, units: unitList(), vectors: builders.map((b) => b.finish()) },
      batchStart,
    );
    for (const builder of builders) builder.reset();
    batchStart = dataRows;
  };

  const pushRow = (row: string[], index: number, line?: number): void => {
    if (row.length !== builders.length) {
      throw new RowError(
        index,
        `ragged row: ${row.length} fields where the header has ${builders.length}`,
        line,
      );
    }
    for (let c = 0; c < builders.length; c += 1) {
      const raw = row[c]!;
      const cell =
        options.trim && raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32)
          ? raw.trim()
          : raw;
      try {
        if (
          cell.length <= longestMissing &&
          (missing.has(cell) || (missingInColumn[c]! && missingIn.has(cell)))
        )
          builders[c]!.pushNull();
        else builders[c]!.push(cell);
      } catch (error) {
        if (error instanceof CellError) {
          throw new RowError(index, `column ${header![c]}: ${error.message}`, line);
        }
        throw error;
      }
    }
    dataRows += 1;
    if (batches !== undefined && dataRows - batchStart === batches.rows) flush();
  };
  const startData = (): void => {
    let first = 1;
    // VizieR TSV: a units row, then a row of dashes, before the data. A row of empty cells is data (a
    // star with every value missing), so the dashes row needs its dashes.
    const dashes = pending[1]?.row;
    if (
      dashes !== undefined &&
      dashes.some((cell) => /^-+$/.test(cell.trim())) &&
      dashes.every((cell) => /^-+$/.test(cell.trim()) || cell.trim() === '')
    ) {
      const unitRow = pending[0]!.row;
      if (unitRow.every((cell) => UNIT_CELL.test(cell))) units = unitRow.map((cell) => cell.trim());
      first = 3;
      pending.splice(0, 2);
    }
    pending.splice(0, pending.length).forEach(({ row, line }, i) => pushRow(row, first + i, line));
  };
  const onRecord = (row: string[], line?: number): void => {
    record += 1;
    if (header === null) {
      if (row.length > 0 && row[0]!.charCodeAt(0) === 0xfeff) row[0] = row[0]!.slice(1);
      header = uniqueNames(row);
      const declared = options.declared?.(header) ?? [];
      builders = header.map((_, c) => new ColumnBuilder(declared[c]));
      missingInColumn = options.missingIn?.columns(header) ?? [];
    } else if (options.unitsRow === true && dataRows === 0 && pending.length < 2) {
      pending.push({ row, line });
      if (pending.length === 2) startData();
    } else pushRow(row, record, line);
  };

  const oneColumn = isOneColumn(file, options)
    ? new OneColumnLines(options.comment, options.firstLine ?? 1, (cell, line) => onRecord([cell], line))
    : null;
  try {
    await new Promise<void>((resolveParse, rejectParse) => {
      const input = textStream(file, options.start ?? 0);
      input.on('error', rejectParse);
      Papa.parse<string[]>(input as unknown as File, {
        ...(oneColumn === null
          ? { delimiter: options.delimiter, comments: options.comment ?? false, skipEmptyLines: true }
          : { delimiter: NO_DELIMITER, quoteChar: NO_QUOTE, skipEmptyLines: false }),
        chunk: (results, parser) => {
          try {
            if (oneColumn !== null) {
              for (const fields of results.data) oneColumn.push(fields.join(NO_DELIMITER));
              return;
            }
            const quoteError = results.errors.find((e) => e.type === 'Quotes');
            for (let i = 0; i < results.data.length; i += 1) {
              if (quoteError !== undefined && quoteError.row === i) {
                throw new RowError(record + 1, quoteError.message.toLowerCase());
              }
              onRecord(results.data[i]!);
            }
          } catch (error) {
            // Reject before aborting: aborting runs `complete`, which would resolve first.
            rejectParse(error instanceof Error ? error : new Error(String(error)));
            parser.abort();
            input.destroy();
          }
        },
        complete: () => resolveParse(),
        error: (error: Error) => rejectParse(error),
      });
    });
    oneColumn?.end();
    if (pending.length > 0) startData();
  } catch (error) {
    if (error instanceof RowError) {
      const line = error.line ?? lineOfRecord(file, options, error.record);
      throw new Error(`${file}: line ${line}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (header === null) throw new Error(`${file}: no header line (the file is empty or only comments)`);
  if (batches !== undefined && (dataRows > batchStart || dataRows === 0)) flush();
  return { names: header, units: unitList(), builders, rows: dataRows };
}

/** How a delimited text table is parsed, and how a parsed body (whole or a batch) becomes its table. */
export interface TextTablePlan {
  format: 'csv' | 'tsv' | 'ecsv';
  options: DelimitedOptions;
  /** Whether every column's type is declared by the file (ECSV); otherwise it is learnt from the rows. */
  declared: boolean;
  toTable(body: DelimitedBody): Table;
}

export function csvPlan(file: string, options: CsvOptions = {}): TextTablePlan {
  const comment = options.comment ?? '#';
  const delimiter = options.delimiter ?? sniffDelimiter(file, comment);
  return {
    format: delimiter === '\t' ? 'tsv' : 'csv',
    options: {
      delimiter,
      comment,
      missing: new Set(options.missing ?? DEFAULT_MISSING),
      trim: true,
      unitsRow: true,
    },
    declared: false,
    toTable: (body) =>
      buildTable(
        body.names.map((name, c) => {
          const info: ColumnInfo = {};
          const unit = body.units[c];
          if (unit) info.unit = unit;
          return { name, vector: body.vectors[c]!, info };
        }),
      ),
  };
}

export async function readCsv(file: string, options: CsvOptions = {}): Promise<CatalogTable> {
  const plan = csvPlan(file, options);
  return { file, format: plan.format, table: plan.toTable(await readDelimitedBody(file, plan.options)) };
}

function quoteCsv(text: string, delimiter: string): string {
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('#')
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/** CSV/TSV: a header line of names, then a line per row (empty cells for nulls). */
export function csvLayout(schema: Schema, delimiter = ','): TextLayout {
  const names = schema.fields.map((f) => f.name);
  return {
    head: names.map((n) => quoteCsv(n, delimiter)).join(delimiter) + '\n',
    *rows(table) {
      const columns = names.map((_, c) => table.getChildAt(c)!);
      const n = table.numRows;
      for (let r = 0; r < n; r += 1) {
        const cells = columns.map((col) => {
          const value: unknown = col.get(r);
          return value === null || value === undefined ? '' : quoteCsv(formatCell(value), delimiter);
        });
        yield cells.join(delimiter) + '\n';
      }
    },
    foot: '',
  };
}

/** Writes a CSV (or TSV with delimiter '\t'); nulls are empty cells. Units are not representable in CSV. */
export async function writeCsv(table: Table, file: string, delimiter = ','): Promise<void> {
  await writeTextAtomic(file, layoutText(csvLayout(table.schema, delimiter), table));
}
