// `cradle infer --hdu N` on a VOTable chooses its N-th TABLE (from 0), as `cradle catalog --hdu N` does,
// whether the input is read whole or through batch files; without --hdu a VOTable of several TABLEs
// reads the first and says so through the run's log, with the words `cradle catalog` prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import { openInputReader } from '../../../electron/inference/input-reader.ts';
import type { InputReaderOptions } from '../../../electron/inference/input-reader.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { TOY_MODEL, tempDir, writeToyCsv } from './helpers.ts';

const SMALL = { samples: 4, steps: 2, solver: 'heun', seed: 5, cores: 1, workers: 1 } as const;

let whole: Table;
/** TABLE 0: stars 0–4; TABLE 1: stars 5–12. */
let twoTables: string;
let csv: string;

const ids = (t: Table): string[] => [...t.getChild('source_id')!].map(String);

async function tableElement(table: Table, file: string): Promise<string> {
  await writeCatalog(table, file);
  return /<TABLE>[\s\S]*<\/TABLE>/.exec(readFileSync(file, 'utf8'))![0];
}

async function readAll(file: string, options: InputReaderOptions): Promise<Table> {
  const reader = await openInputReader(file, options);
  try {
    return await reader.rows(0, reader.totalRows);
  } finally {
    reader.close();
  }
}

beforeAll(async () => {
  const dir = tempDir('input-votable');
  csv = writeToyCsv(dir, 13);
  whole = (await readCatalog(csv)).table;
  const first = await tableElement(whole.slice(0, 5), join(dir, 'first.vot'));
  const second = await tableElement(whole.slice(5, 13), join(dir, 'second.vot'));
  twoTables = join(dir, 'two.vot');
  writeFileSync(
    twoTables,
    '<?xml version="1.0" encoding="UTF-8"?>\n<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">\n' +
      `<RESOURCE type="results">\n${first}\n${second}\n</RESOURCE>\n</VOTABLE>\n`,
  );
});

const streamed = (): InputReaderOptions => ({
  scratch: join(tempDir('votable-scratch'), 'run'),
  batchRows: 3,
});

describe('the input reader on a VOTable of several TABLEs', () => {
  it.each([
    ['read whole', (): InputReaderOptions => ({})],
    ['through batch files', streamed],
  ])('reads the TABLE --hdu chooses, %s', async (_, options) => {
    expect(ids(await readAll(twoTables, { ...options(), hdu: 1 }))).toEqual(ids(whole).slice(5, 13));
    expect(ids(await readAll(twoTables, { ...options(), hdu: 0 }))).toEqual(ids(whole).slice(0, 5));
    await expect(openInputReader(twoTables, { ...options(), hdu: 2 })).rejects.toThrow(
      /two\.vot: no TABLE 2 \(the file has 2, numbered from 0\)/,
    );
  });

  it.each([
    ['read whole', (): InputReaderOptions => ({})],
    ['through batch files', streamed],
  ])('without --hdu reads the first and gives the warning cradle catalog gives, %s', async (_, options) => {
    const expected: string[] = [];
    await readCatalog(twoTables, { onWarning: (message) => expected.push(message) });
    expect(expected).toEqual([expect.stringMatching(/holds 2 TABLEs; read the first .*--hdu/)]);
    const warnings: string[] = [];
    const table = await readAll(twoTables, { ...options(), onWarning: (message) => warnings.push(message) });
    expect(ids(table)).toEqual(ids(whole).slice(0, 5));
    expect(warnings).toEqual(expected);
    // Chosen, no warning.
    const chosen: string[] = [];
    await readAll(twoTables, { ...options(), hdu: 0, onWarning: (message) => chosen.push(message) });
    expect(chosen).toEqual([]);
  });

  it('still refuses --hdu for a table format with one table', async () => {
    await expect(openInputReader(csv, { hdu: 0 })).rejects.toThrow(
      /stars\.csv: --hdu applies to FITS and VOTable input only, not to csv/,
    );
  });
});

describe('a run on a VOTable of several TABLEs', () => {
  it('infers the stars of the TABLE --hdu chooses, and logs the warning without it', async () => {
    const chosen = join(tempDir('votable-run'), 'out');
    const log: string[] = [];
    const result = await runInference(
      { model: TOY_MODEL, input: twoTables, hdu: 1, out: chosen, ...SMALL },
      { log: (message) => log.push(message) },
    );
    expect(result.status).toBe('complete');
    const summary = (await readParquet(join(chosen, 'summary.parquet'))).table;
    expect(ids(summary)).toEqual(ids(whole).slice(5, 13));
    expect(log.filter((message) => message.includes('TABLEs'))).toEqual([]);

    const first = join(tempDir('votable-run-first'), 'out');
    const firstLog: string[] = [];
    await runInference(
      { model: TOY_MODEL, input: twoTables, out: first, ...SMALL },
      { log: (message) => firstLog.push(message) },
    );
    expect(ids((await readParquet(join(first, 'summary.parquet'))).table)).toEqual(ids(whole).slice(0, 5));
    expect(firstLog).toContainEqual(
      expect.stringMatching(/two\.vot: the VOTable holds 2 TABLEs; read the first/),
    );
  }, 60_000);
});
