// One entry for every table format: picks the reader from the file's first bytes (Parquet magic,
// XML/VOTable, ECSV marker, FITS card, byte-by-byte description) and falls back on the extension,
// then on delimited text. FITS tables come from the FITS engine. Writers are chosen by the output
// extension.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { readCsv, writeCsv } from './csv.ts';
import type { CsvOptions } from './csv.ts';
import { readEcsv, writeEcsv } from './ecsv.ts';
import { writeFits } from '../fits/writer.ts';
import { readFitsTable } from './fits-table.ts';
import { looksLikeMrt, readMrt, writeMrt } from './mrt.ts';
import { readParquet, writeParquet } from './parquet.ts';
import { readVotable, writeVotable } from './votable.ts';
import type { CatalogFormat, CatalogTable } from './table.ts';
import { headBytes } from './text-source.ts';

export interface ReadOptions {
  format?: CatalogFormat;
  csv?: CsvOptions;
  /** FITS: which HDU (0-based); default the first table HDU. VOTable: which TABLE (0-based, in
   * document order, as astropy's table_number); default the first. */
  hdu?: number;
  /** Told what the reader noticed but read past (a VOTable's TABLEs beyond the one read). */
  onWarning?: (message: string) => void;
}

export function detectFormat(file: string): CatalogFormat {
  // A gzip file is recognised by what it inflates to, and by its name without the `.gz`.
  const start = headBytes(file, 8192);
  const text = start.toString('latin1');
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
  if (start.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (text.startsWith('SIMPLE  =')) return 'fits';
  if (
    /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(\w+:)?VOTABLE/.test(text) ||
    ext === '.vot' ||
    ext === '.votable'
  ) {
    return 'votable';
  }
  if (text.startsWith('# %ECSV')) return 'ecsv';
  if (looksLikeMrt(file, text)) return 'mrt';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.fits' || ext === '.fit' || ext === '.fz') return 'fits';
  return 'csv';
}

/** Refuses a path that is missing or a directory, with the reason. */
export function checkTableFile(file: string): void {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw new Error(`${file}: is a directory, not a table`);
}

export async function readCatalog(file: string, options: ReadOptions = {}): Promise<CatalogTable> {
  checkTableFile(file);
  const format = options.format ?? detectFormat(file);
  switch (format) {
    case 'parquet':
      return readParquet(file);
    case 'votable':
      return readVotable(file, { tableIndex: options.hdu, onWarning: options.onWarning });
    case 'ecsv':
      return readEcsv(file);
    case 'mrt':
      return readMrt(file);
    case 'tsv':
      return readCsv(file, { delimiter: '\t', ...options.csv });
    case 'csv':
      return readCsv(file, options.csv);
    case 'fits':
      return readFitsTable(file, options.hdu);
  }
}

export function formatForOutput(file: string): CatalogFormat {
  const ext = extname(file).toLowerCase();
  switch (ext) {
    case '.parquet':
    case '.pq':
      return 'parquet';
    case '.vot':
    case '.votable':
    case '.xml':
      return 'votable';
    case '.ecsv':
      return 'ecsv';
    case '.tsv':
      return 'tsv';
    case '.mrt':
      return 'mrt';
    case '.csv':
      return 'csv';
    case '.fits':
    case '.fit':
    case '.fts':
      return 'fits';
    default:
      throw new Error(
        `${file}: cannot tell the output format from '${ext}' (use .csv, .tsv, .ecsv, .vot, .parquet, .mrt, .fits)`,
      );
  }
}

/**
 * Checks that `file` can be written before any work: its folder exists and is writable, and it is not
 * itself a folder. Writers go through a temporary file beside the output, whose name the system's own
 * messages would give instead of the user's.
 */
export function checkOutputPath(file: string): void {
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) throw new Error(`${file}: the folder ${folder} does not exist`);
  if (!statSync(folder).isDirectory()) throw new Error(`${file}: ${folder} is not a folder`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new Error(`${file}: is a folder, not a file`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new Error(`${file}: the folder ${folder} is not writable`);
  }
}

export async function writeCatalog(
  table: Table,
  file: string,
  format = formatForOutput(file),
): Promise<void> {
  checkOutputPath(file);
  switch (format) {
    case 'parquet':
      return writeParquet(table, file);
    case 'votable':
      return writeVotable(table, file);
    case 'ecsv':
      return writeEcsv(table, file);
    case 'tsv':
      return writeCsv(table, file, '\t');
    case 'csv':
      return writeCsv(table, file);
    case 'mrt':
      return writeMrt(table, file);
    case 'fits':
      // One BINTABLE after an empty primary HDU, with TUNITn from the units and the descriptions as
      // the TTYPEn comments.
      return writeFits(file, [{ kind: 'table', table }]);
  }
}
