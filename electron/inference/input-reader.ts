// The input table of a run, read a range of rows at a time, so that a run's memory does not grow with
// the catalogue (the inference issue: "stream the input table in chunks"). A FITS table's rows are read
// at their byte offsets (a gzipped file inflates forward through a bounded window); a Parquet file is
// read one row group at a time, so its memory follows the file's row-group size (pyarrow writes groups
// of up to a million rows by default; parquet-wasm has no page-level reads, and its offset/limit
// options decode from the file's start on every call). Text and VOTable tables are read whole: their
// column types are known only once every row has been parsed.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { detectFormat, readCatalog } from '../catalog/read.ts';
import { openParquet, readParquet, unreadable, withAstropyUnits } from '../catalog/parquet.ts';
import { openTable, readTable as readFitsTable } from '../fits/arrow.ts';
import { FitsFile } from '../fits/file.ts';

/** Rows the column recognition sees: the input's first rows (the same for every part and chunk size,
 * so every run of one input recognises its columns alike). */
export const RECOGNITION_ROWS = 10_000;

export interface InputReader {
  readonly file: string;
  readonly totalRows: number;
  /** Input rows [start, end). Fastest asked in increasing order of `start`, as a run's chunks are. */
  rows(start: number, end: number): Promise<Table>;
  close(): void;
}

/** Whether the file is FITS, by its first card or its name. */
export function isFitsInput(path: string): boolean {
  return detectFormat(path) === 'fits' || /\.(fits|fit|fts|fz)(\.gz)?$/i.test(path);
}

function checkedFile(file: string): string {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`${file}: no such file`);
  if (statSync(path).isDirectory()) throw new Error(`${file}: is a directory, not a table`);
  return path;
}

function checkRange(file: string, totalRows: number, start: number, end: number): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start && end <= totalRows))
    throw new Error(`${file}: rows ${start} to ${end - 1} are not all among its ${totalRows} rows`);
}

function fitsReader(file: string, path: string, hdu: number): InputReader {
  const fits = FitsFile.open(path);
  try {
    const tableHdu = fits.hdu(hdu);
    const totalRows = openTable(fits, tableHdu).rows;
    return {
      file,
      totalRows,
      rows: (start, end) =>
        new Promise((done) => {
          checkRange(file, totalRows, start, end);
          done(readFitsTable(fits, tableHdu, { start, end }));
        }),
      close: () => fits.close(),
    };
  } catch (error) {
    fits.close();
    throw error;
  }
}

async function parquetReader(file: string, path: string): Promise<InputReader> {
  const parquet = await openParquet(path);
  const groupStarts = [0];
  for (const group of parquet.metadata().rowGroups()) groupStarts.push(groupStarts.at(-1)! + group.numRows());
  const totalRows = groupStarts.at(-1)!;
  // Decoded row groups by index; a request for rows from `start` drops the groups that end before it,
  // since later requests start later (requests still in flight hold their own groups).
  const cache = new Map<number, Promise<Table>>();
  const group = (g: number): Promise<Table> => {
    let table = cache.get(g);
    if (table === undefined) {
      table = parquet
        .read({ rowGroups: [g], batchSize: 131072 })
        .then((read) => withAstropyUnits(tableFromIPC(read.intoIPCStream())))
        .catch((error: unknown) => {
          throw unreadable(file, error);
        });
      cache.set(g, table);
    }
    return table;
  };
  return {
    file,
    totalRows,
    async rows(start, end) {
      checkRange(file, totalRows, start, end);
      for (const g of cache.keys()) if (groupStarts[g + 1]! <= start) cache.delete(g);
      const pieces: Table[] = [];
      for (let g = 0; g < groupStarts.length - 1; g += 1) {
        const from = Math.max(start, groupStarts[g]!);
        const to = Math.min(end, groupStarts[g + 1]!);
        if (from < to) pieces.push((await group(g)).slice(from - groupStarts[g]!, to - groupStarts[g]!));
      }
      const [first, ...rest] = pieces;
      // No rows asked for: the schema, from the first group or (a file without any) the whole file.
      if (first === undefined)
        return totalRows > 0 ? (await group(0)).slice(0, 0) : (await readParquet(path)).table;
      return rest.reduce((a, b) => a.concat(b), first);
    },
    close: () => {
      cache.clear();
      parquet.free();
    },
  };
}

/** A reader of the run's input: a FITS table HDU (default 1), a Parquet file, or any other catalogue
 * format the catalog reader takes (read whole). */
export async function openInputReader(file: string, hdu?: number): Promise<InputReader> {
  const path = checkedFile(file);
  if (isFitsInput(path)) return fitsReader(file, path, hdu ?? 1);
  if (hdu !== undefined) throw new Error(`${file}: --hdu applies to FITS input only`);
  if (detectFormat(path) === 'parquet') return parquetReader(file, path);
  const { table } = await readCatalog(path);
  return {
    file,
    totalRows: table.numRows,
    rows: (start, end) =>
      new Promise((done) => {
        checkRange(file, table.numRows, start, end);
        done(table.slice(start, end));
      }),
    close: () => undefined,
  };
}
