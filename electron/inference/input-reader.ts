// The input table of a run, read a range of rows at a time, so that a run's memory does not grow with
// the catalogue (the inference issue: "stream the input table in chunks"). A FITS table's rows are read
// at their byte offsets (a gzipped file inflates forward through a bounded window); a Parquet file is
// read one row group at a time, so its memory follows the file's row-group size (pyarrow writes groups
// of up to a million rows by default; parquet-wasm has no page-level reads, and its offset/limit
// options decode from the file's start on every call). A CSV/TSV, ECSV, byte-by-byte or VOTable table
// (gzipped or not), when the run gives a scratch folder, is parsed once into batch files of Arrow IPC
// there (a CSV's column types need every row first: catalog/table-batches.ts), which are then read like
// row groups and deleted at close; the folder's leftovers from a killed run are removed by the next open.
// These formats without a scratch folder are read whole.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { detectFormat, readCatalog } from '../catalog/read.ts';
import type { ReadOptions } from '../catalog/read.ts';
import { isTextTable, readTableBatches } from '../catalog/table-batches.ts';
import { closeParquet, openParquet, readParquet, readRowGroup } from '../catalog/parquet.ts';
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

/**
 * A reader of a table kept as consecutive pieces (row groups, batch files): `starts` holds each piece's
 * first row and, last, the total; `load` decodes a piece. Decoded pieces are kept until a request starts
 * past them, since a run asks for later rows next (requests still in flight hold their own pieces).
 * `empty` gives the columns when no rows are asked for.
 */
function piecewiseReader(
  file: string,
  starts: readonly number[],
  load: (index: number) => Table | Promise<Table>,
  empty: (piece: (index: number) => Table | Promise<Table>) => Table | Promise<Table>,
  release: () => void,
): InputReader {
  const totalRows = starts.at(-1)!;
  const cache = new Map<number, Table | Promise<Table>>();
  const piece = (index: number): Table | Promise<Table> => {
    let table = cache.get(index);
    if (table === undefined) {
      table = load(index);
      cache.set(index, table);
    }
    return table;
  };
  return {
    file,
    totalRows,
    async rows(start, end) {
      checkRange(file, totalRows, start, end);
      for (const index of cache.keys()) if (starts[index + 1]! <= start) cache.delete(index);
      const pieces: Table[] = [];
      for (let p = 0; p < starts.length - 1; p += 1) {
        const from = Math.max(start, starts[p]!);
        const to = Math.min(end, starts[p + 1]!);
        if (from < to) pieces.push((await piece(p)).slice(from - starts[p]!, to - starts[p]!));
      }
      const [first, ...rest] = pieces;
      return first === undefined ? empty(piece) : rest.reduce((x, y) => x.concat(y), first);
    },
    close: () => {
      cache.clear();
      release();
    },
  };
}

async function parquetReader(file: string, path: string): Promise<InputReader> {
  const parquet = await openParquet(path);
  const groupStarts = [0];
  for (const group of parquet.metadata().rowGroups()) groupStarts.push(groupStarts.at(-1)! + group.numRows());
  const totalRows = groupStarts.at(-1)!;
  return piecewiseReader(
    file,
    groupStarts,
    (g) => readRowGroup(parquet, file, g),
    // The schema, from the first group or (a file without any) the whole file.
    async (group) => (totalRows > 0 ? (await group(0)).slice(0, 0) : (await readParquet(path)).table),
    () => closeParquet(parquet),
  );
}

/** Rows per batch file of a batched input: a Parquet row group's worth. */
export const BATCH_ROWS = 65_536;
/** The scratch folder's subfolders for input batches: one per process, `.input-batches-<pid>`. */
const SPOOL_PREFIX = '.input-batches-';

/** Whether a run-folder entry is an input's batch folder (not part of the run). */
export function isInputSpool(name: string): boolean {
  return name.startsWith(SPOOL_PREFIX);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Batch folders of processes that are gone (a run killed with -9). */
function removeStaleSpools(scratch: string): void {
  if (!existsSync(scratch)) return;
  for (const name of readdirSync(scratch)) {
    if (!isInputSpool(name)) continue;
    const pid = Number(name.slice(SPOOL_PREFIX.length));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid))
      rmSync(join(scratch, name), { recursive: true, force: true });
  }
}

async function batchedReader(
  file: string,
  path: string,
  scratch: string,
  batchRows: number,
  keep: ((totalRows: number) => (readonly [number, number])[]) | undefined,
  read: ReadOptions,
): Promise<InputReader> {
  removeStaleSpools(scratch);
  const createdScratch = !existsSync(scratch);
  const spool = join(scratch, `${SPOOL_PREFIX}${process.pid}`);
  rmSync(spool, { recursive: true, force: true });
  mkdirSync(spool, { recursive: true });
  const cleanUp = (): void => {
    rmSync(spool, { recursive: true, force: true });
    // A scratch folder made here and left empty (the run failed before writing) goes too.
    if (createdScratch && existsSync(scratch) && readdirSync(scratch).length === 0)
      rmSync(scratch, { recursive: true });
  };
  const batchStarts: number[] = [];
  // Row ranges the caller will ask for, once the row count is known; every row without `keep`.
  let wanted: (readonly [number, number])[] = [[0, Infinity]];
  const kept = (from: number, to: number): boolean =>
    wanted.some(([a, b]) => from < b && a < to) || from === to;
  try {
    const totalRows = await readTableBatches(
      path,
      {
        ...read,
        rows: batchRows,
        ...(keep !== undefined ? { onCount: (rows: number) => (wanted = keep(rows)) } : {}),
      },
      (table, firstRow) => {
        if (kept(firstRow, firstRow + table.numRows))
          writeFileSync(join(spool, `${batchStarts.length}.arrow`), tableToIPC(table, 'file'));
        batchStarts.push(firstRow);
      },
    );
    batchStarts.push(totalRows);
    return piecewiseReader(
      file,
      batchStarts,
      (b) => {
        if (!kept(batchStarts[b]!, batchStarts[b + 1]!))
          throw new Error(
            `${file}: rows ${batchStarts[b]} to ${batchStarts[b + 1]! - 1} were not kept for this run`,
          );
        return tableFromIPC(readFileSync(join(spool, `${b}.arrow`)));
      },
      async (batch) => (await batch(0)).slice(0, 0),
      cleanUp,
    );
  } catch (error) {
    cleanUp();
    throw error;
  }
}

export interface InputReaderOptions {
  /** FITS: the table HDU (default 1). VOTable: the TABLE, from 0 in document order (default 0), as for
   * `cradle catalog`. */
  hdu?: number;
  /** Told what the reader noticed but read past (a VOTable's TABLEs beyond the one read; without this,
   * a process warning). */
  onWarning?: (message: string) => void;
  /** A folder the reader may write batch files to (the run folder), so that CSV/TSV, ECSV, byte-by-byte
   * and VOTable inputs stream. */
  scratch?: string;
  /** Rows per batch file (default BATCH_ROWS). */
  batchRows?: number;
  /** Given the row count, the row ranges [first, end) the caller will ask for: a batched input keeps only
   * the batches they touch (a part of a cluster run writes its own share of the table, not all of it). */
  keep?: (totalRows: number) => (readonly [number, number])[];
}

/** A reader of the run's input: a FITS table HDU, a Parquet file, or a text table (CSV/TSV, ECSV,
 * byte-by-byte, VOTable TABLE) streamed through `scratch` (read whole without it). */
export async function openInputReader(file: string, options: InputReaderOptions = {}): Promise<InputReader> {
  const { hdu, scratch, batchRows = BATCH_ROWS, keep, onWarning } = options;
  const path = checkedFile(file);
  if (isFitsInput(path)) return fitsReader(file, path, hdu ?? 1);
  const format = detectFormat(path);
  if (hdu !== undefined && format !== 'votable')
    throw new Error(`${file}: --hdu applies to FITS and VOTable input only, not to ${format}`);
  if (format === 'parquet') return parquetReader(file, path);
  const read: ReadOptions = { hdu, onWarning };
  if (scratch !== undefined && isTextTable(path))
    return batchedReader(file, path, scratch, batchRows, keep, read);
  const { table } = await readCatalog(path, read);
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
