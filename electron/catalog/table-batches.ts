// A CSV/TSV, ECSV, byte-by-byte or VOTable table (gzipped or not) read a batch of rows at a time, each
// batch a table with the schema a whole read gives, so a caller can pass through a table larger than
// memory. ECSV and VOTable declare their column types, so they are parsed once (once more to count the
// rows, if asked); a byte-by-byte table declares them too, but an AAS MRT's data start after its last
// line of dashes, which a first pass finds (and counts the rows after it).
// A CSV's column types are learnt from every row (a column of integers with one "1.5" in its last row is
// a float column), so a CSV is parsed twice: once for the types, holding no rows, then for the rows with
// those types declared. One difference from a whole read:
// in a column that turns out to hold text, a cell that looked like a number keeps its own spelling
// ("1.50"), where a whole read keeps the number's ("1.5").
import type { Table } from 'apache-arrow';
import { csvPlan, scanDelimited } from './csv.ts';
import { ecsvPlan } from './ecsv.ts';
import { detectFormat } from './read.ts';
import { readMrtBatches } from './mrt.ts';
import { readVotable } from './votable.ts';

const BATCHED = new Set(['csv', 'tsv', 'ecsv', 'mrt', 'votable']);

/** Whether `readTableBatches` takes the file. */
export function isBatchReadable(file: string): boolean {
  return BATCHED.has(detectFormat(file));
}

export interface TableBatchOptions {
  /** Rows per batch. */
  rows: number;
  /** Told the number of rows before the first batch (an ECSV or VOTable is parsed once more to count them). */
  onCount?: (rows: number) => void;
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
  const batchRows = options.rows;
  const format = detectFormat(file);
  if (!BATCHED.has(format))
    throw new Error(
      `${file}: cannot be read in batches (it reads as ${format}; CSV, TSV, ECSV, byte-by-byte and VOTable can)`,
    );
  if (format === 'mrt') return readMrtBatches(file, batchRows, onBatch, options.onCount);
  if (format === 'votable') {
    if (options.onCount !== undefined) {
      let rows = 0;
      await readVotable(file, { batches: { rows: batchRows, onBatch: (table) => (rows += table.numRows) } });
      options.onCount(rows);
    }
    let rows = 0;
    await readVotable(file, {
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
  const plan =
    format === 'ecsv' ? ecsvPlan(file) : csvPlan(file, format === 'tsv' ? { delimiter: '\t' } : {});
  let parse = plan.options;
  if (!plan.declared || options.onCount !== undefined) {
    const { types, rows } = await scanDelimited(file, parse, { rows: batchRows });
    if (!plan.declared) parse = { ...parse, declared: () => types };
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
