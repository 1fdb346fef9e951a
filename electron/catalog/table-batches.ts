// A table of any format read a batch of rows at a time, each batch a table with the schema a whole read
// gives, so a caller can pass through a table larger than memory. A FITS table is read by row range and
// a Parquet file a row group at a time (its batches are its row groups, whatever size was asked); both
// give the event loop a turn between batches, as the text formats' streams do, so that a streamed writer
// fed from the callback keeps up. Text tables (gzipped or not): ECSV and VOTable declare their column
// types, so they are parsed once (once more to count the rows, if asked); a byte-by-byte table declares
// them too, but an AAS MRT's data start after its last line of dashes, which a first pass finds (and
// counts the rows after it).
// A CSV's column types are learnt from every row (a column of integers with one "1.5" in its last row is
// a float column), so a CSV is parsed twice: once for the types, holding no rows, then for the rows with
// those types declared (so a column that turns out to hold text keeps every cell's own spelling, "1.50"
// and "007", as a whole read does).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Table } from 'apache-arrow';
import type { DeclaredType } from './columns.ts';
import { openTable, readTable } from '../fits/arrow.ts';
import { FitsFile } from '../fits/file.ts';
import { csvPlan, scanDelimited } from './csv.ts';
import { ecsvPlan } from './ecsv.ts';
import { tableHdu } from './fits-table.ts';
import { closeParquet, openParquet, readParquet, readRowGroup } from './parquet.ts';
import { checkTableFile, detectFormat } from './read.ts';
import type { ReadOptions } from './read.ts';
import { readMrtBatches } from './mrt.ts';
import { readVotable } from './votable.ts';

const TEXT = new Set(['csv', 'tsv', 'ecsv', 'mrt', 'votable']);

/** Whether the file is a text table, read in batches by parsing it (not by row range or row group). */
export function isTextTable(file: string): boolean {
  return TEXT.has(detectFormat(file));
}

/** How to read (the format, CSV options, the FITS HDU or VOTable TABLE: as for readCatalog) and the
 * batches wanted. */
export interface TableBatchOptions extends ReadOptions {
  /** Rows per batch. */
  rows: number;
  /** Told the number of rows before the first batch (an ECSV or VOTable is parsed once more to count them). */
  onCount?: (rows: number) => void;
  /** For a CSV/TSV read more than once: the column types its first read learnt (a parse of its own),
   * kept here by that read and taken as known by the next ones. */
  textTypes?: { types?: DeclaredType[] };
}

async function fitsBatches(
  file: string,
  options: TableBatchOptions,
  onBatch: (table: Table, firstRow: number) => void,
): Promise<number> {
  const fits = FitsFile.open(file);
  try {
    const hdu = tableHdu(fits, file, options.hdu);
    const rows = openTable(fits, hdu).rows;
    options.onCount?.(rows);
    for (let start = 0; start < rows || start === 0; start += options.rows) {
      onBatch(readTable(fits, hdu, { start, end: Math.min(rows, start + options.rows) }), start);
      await nextTurn();
    }
    return rows;
  } finally {
    fits.close();
  }
}

async function parquetBatches(
  file: string,
  options: TableBatchOptions,
  onBatch: (table: Table, firstRow: number) => void,
): Promise<number> {
  const parquet = await openParquet(file);
  try {
    const groups = parquet.metadata().rowGroups();
    const rows = groups.reduce((sum, group) => sum + group.numRows(), 0);
    options.onCount?.(rows);
    if (groups.length === 0) {
      // No row group to read the columns from: the whole (empty) file.
      onBatch((await readParquet(file)).table, 0);
      return 0;
    }
    let start = 0;
    for (let g = 0; g < groups.length; g += 1) {
      const table = await readRowGroup(parquet, file, g);
      onBatch(table, start);
      start += table.numRows;
      await nextTurn();
    }
    return rows;
  } finally {
    closeParquet(parquet);
  }
}

/**
 * Hands `onBatch` the table's rows `options.rows` at a time, in order (a table without rows gives one
 * empty batch); returns the number of rows.
 */
export async function readTableBatches(
  file: string,
  options: TableBatchOptions,
  onBatch: (table: Table, firstRow: number) => void,
): Promise<number> {
  checkTableFile(file);
  const batchRows = options.rows;
  const format = options.format ?? detectFormat(file);
  if (format === 'fits') return fitsBatches(file, options, onBatch);
  if (format === 'votable') {
    const tableIndex = options.hdu;
    if (options.onCount !== undefined) {
      let rows = 0;
      await readVotable(file, {
        tableIndex,
        // The reading pass below gives the same warning.
        onWarning: () => undefined,
        batches: { rows: batchRows, onBatch: (table) => (rows += table.numRows) },
      });
      options.onCount(rows);
    }
    let rows = 0;
    await readVotable(file, {
      tableIndex,
      onWarning: options.onWarning,
      batches: {
        rows: batchRows,
        onBatch: (table, firstRow) => {
          rows = firstRow + table.numRows;
          onBatch(table, firstRow);
        },
      },
    });
    return rows;
  }
  if (options.hdu !== undefined)
    throw new Error(`${file}: an HDU applies to FITS input only (and a TABLE number to VOTable)`);
  if (format === 'parquet') return parquetBatches(file, options, onBatch);
  if (format === 'mrt') return readMrtBatches(file, batchRows, onBatch, options.onCount);
  const plan =
    format === 'ecsv'
      ? ecsvPlan(file)
      : csvPlan(file, format === 'tsv' ? { delimiter: '\t', ...options.csv } : (options.csv ?? {}));
  let parse = plan.options;
  const known = plan.declared ? undefined : options.textTypes?.types;
  if (known !== undefined && options.onCount === undefined) parse = { ...parse, declared: () => known };
  else if (!plan.declared || options.onCount !== undefined) {
    const { types, rows } = await scanDelimited(file, parse, { rows: batchRows });
    if (!plan.declared) {
      parse = { ...parse, declared: () => types };
      if (options.textTypes !== undefined) options.textTypes.types = types;
    }
    options.onCount?.(rows);
  }
  let rows = 0;
  await scanDelimited(file, parse, {
    rows: batchRows,
    onBatch: (body, firstRow) => {
      const table = plan.toTable(body);
      rows = firstRow + table.numRows;
      onBatch(table, firstRow);
    },
  });
  return rows;
}
