// CSV/TSV reader and writer. Parsing is csv-parse's (quoted fields, embedded newlines, BOM, comment
// lines, line numbers in its errors), fed from a file stream so a large file is never one string.
// Cells go into column builders that infer types; declared missing markers become nulls. A VizieR TSV
// (names, then a units row, then a row of dashes) gives its units to the columns.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import type { Table, Vector } from 'apache-arrow';
import { CellError, ColumnBuilder } from './columns.ts';
import type { DeclaredType } from './columns.ts';
import { buildTable, uniqueNames } from './table.ts';
import type { CatalogTable, ColumnInfo } from './table.ts';
import { writeTextAtomic, formatCell } from './text-out.ts';

export interface CsvOptions {
  /** Field separator; sniffed from the first data line when absent. */
  delimiter?: string;
  /** Cell texts that mean "missing" (after trimming). Default: empty, NaN/nan, NA, N/A, null, --. */
  missing?: string[];
  /** Lines starting with this are comments. Default '#'. */
  comment?: string;
}

export const DEFAULT_MISSING = ['', 'NaN', 'nan', 'NA', 'N/A', 'null', 'NULL', '--'];

function sniffDelimiter(file: string, comment: string): string {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(65536);
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  const text = buffer.subarray(0, read).toString('utf8');
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
  /** Byte offset where the header line starts (after an ECSV preamble). */
  start?: number;
  trim: boolean;
  /** Declared storage per column name (ECSV); inference where absent. */
  declared?: (names: string[]) => (DeclaredType | undefined)[];
  /** 1-based line number of the byte at `start`, for messages. */
  firstLine?: number;
}

/** Streams a header line and data rows into column builders. Shared by the CSV/TSV and ECSV readers. */
export async function readDelimitedBody(file: string, options: DelimitedOptions): Promise<DelimitedBody> {
  const lineOffset = (options.firstLine ?? 1) - 1;
  const parser = createReadStream(file, { start: options.start ?? 0 }).pipe(
    parse({
      delimiter: options.delimiter,
      comment: options.comment,
      comment_no_infix: true,
      bom: true,
      trim: options.trim,
      skip_empty_lines: true,
    }),
  );
  const missing = options.missing;
  let header: string[] | null = null;
  const pending: string[][] = [];
  let builders: ColumnBuilder[] = [];
  let units: string[] | null = null;
  let dataRows = 0;

  const pushRow = (row: string[]): void => {
    for (let c = 0; c < builders.length; c += 1) {
      const cell = row[c]!;
      try {
        if (missing.has(cell)) builders[c]!.pushNull();
        else builders[c]!.push(cell);
      } catch (error) {
        if (error instanceof CellError) {
          throw new Error(
            `${file}: line ${parser.info.lines + lineOffset}, column ${header![c]}: ${error.message}`,
          );
        }
        throw error;
      }
    }
    dataRows += 1;
  };
  const startData = (): void => {
    // VizieR TSV: a units row, then a row of dashes, before the data.
    if (pending.length >= 2 && pending[1]!.every((cell) => /^-+$/.test(cell) || cell === '')) {
      if (pending[0]!.every((cell) => UNIT_CELL.test(cell))) units = pending[0]!;
      pending.splice(0, 2);
    }
    for (const row of pending) pushRow(row);
    pending.length = 0;
  };

  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === null) {
        header = uniqueNames(record);
        const declared = options.declared?.(header) ?? [];
        builders = header.map((_, c) => new ColumnBuilder(declared[c]));
      } else if (options.declared === undefined && dataRows === 0 && pending.length < 2) {
        pending.push(record);
        if (pending.length === 2) startData();
      } else pushRow(record);
    }
    if (pending.length > 0) startData();
  } catch (error) {
    if (error instanceof CsvError) {
      const lines = (error as CsvError & { lines?: number }).lines;
      const where = lines !== undefined ? `line ${lines + lineOffset}` : 'parse';
      const detail =
        error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ||
        error.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
          ? `ragged row: ${(error as CsvError & { record?: unknown[] }).record?.length ?? '?'} fields where the header has ${header?.length ?? '?'}`
          : error.message;
      throw new Error(`${file}: ${where}: ${detail}`);
    }
    throw error;
  }
  if (header === null) throw new Error(`${file}: no header line (the file is empty or only comments)`);
  const unitRow = units as string[] | null;
  return {
    names: header,
    vectors: builders.map((b) => b.finish()),
    units: header.map((_, c) => unitRow?.[c] || undefined),
  };
}

export async function readCsv(file: string, options: CsvOptions = {}): Promise<CatalogTable> {
  const comment = options.comment ?? '#';
  const delimiter = options.delimiter ?? sniffDelimiter(file, comment);
  const body = await readDelimitedBody(file, {
    delimiter,
    comment,
    missing: new Set(options.missing ?? DEFAULT_MISSING),
    trim: true,
  });
  const table = buildTable(
    body.names.map((name, c) => {
      const info: ColumnInfo = {};
      const unit = body.units[c];
      if (unit) info.unit = unit;
      return { name, vector: body.vectors[c]!, info };
    }),
  );
  return { file, format: delimiter === '\t' ? 'tsv' : 'csv', table };
}

function quoteCsv(text: string, delimiter: string): string {
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('#')
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/** Writes a CSV (or TSV with delimiter '\t'); nulls are empty cells. Units are not representable in CSV. */
export async function writeCsv(table: Table, file: string, delimiter = ','): Promise<void> {
  const names = table.schema.fields.map((f) => f.name);
  await writeTextAtomic(file, function* () {
    yield names.map((n) => quoteCsv(n, delimiter)).join(delimiter) + '\n';
    const columns = names.map((_, c) => table.getChildAt(c)!);
    const n = table.numRows;
    for (let r = 0; r < n; r += 1) {
      const cells = columns.map((col) => {
        const value: unknown = col.get(r);
        return value === null || value === undefined ? '' : quoteCsv(formatCell(value), delimiter);
      });
      yield cells.join(delimiter) + '\n';
    }
  });
}
