// A run reads its input a chunk of rows at a time (input-reader.ts): Parquet by row group, FITS by row
// range, CSV/TSV, ECSV, byte-by-byte and VOTable through batch files in the run folder. Any row range must equal the
// same rows of the whole table, a streamed run must equal a run of the same stars from CSV, and the
// given-parameter count covers the run's rows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet as writeWasmParquet } from 'parquet-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import { writeFits } from '../../../electron/fits/writer.ts';
import { openInputReader } from '../../../electron/inference/input-reader.ts';
import type { InputReader, InputReaderOptions } from '../../../electron/inference/input-reader.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { TOY_MODEL, expectSameTable, tempDir, writeToyCsv } from './helpers.ts';

const ROWS = 61;
const SMALL = { samples: 6, steps: 2, solver: 'heun', seed: 5, cores: 2 } as const;

let csv: string;
let whole: Table;
let parquet: string;
let fits: string;
let csvGz: string;
let votable: string;
let mrt: string;

async function withReader<T>(
  file: string,
  use: (reader: InputReader) => Promise<T>,
  options: InputReaderOptions = {},
): Promise<T> {
  const reader = await openInputReader(file, options);
  try {
    return await use(reader);
  } finally {
    reader.close();
  }
}

const ids = (t: Table): string[] => [...t.getChild('source_id')!].map(String);

beforeAll(async () => {
  const dir = tempDir('input-reader');
  csv = writeToyCsv(dir, ROWS);
  whole = (await readCatalog(csv)).table;
  parquet = join(dir, 'stars.parquet');
  // Row groups of 7 rows: ranges start and end inside groups and span several.
  const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(7).build();
  writeFileSync(parquet, writeWasmParquet(WasmTable.fromIPCStream(tableToIPC(whole, 'stream')), properties));
  fits = join(dir, 'stars.fits');
  writeFits(fits, [{ kind: 'table', table: whole, name: 'STARS' }]);
  csvGz = join(dir, 'stars.csv.gz');
  writeFileSync(csvGz, gzipSync(readFileSync(csv)));
  votable = join(dir, 'stars.vot');
  await writeCatalog(whole, votable);
  mrt = join(dir, 'stars.mrt');
  await writeCatalog(whole, mrt);
});

// Text inputs in 7-row batch files: ranges start and end inside batches and span several.
const streamed = (): InputReaderOptions => ({ scratch: join(tempDir('scratch'), 'run'), batchRows: 7 });

describe('the input reader', () => {
  it.each([
    ['Parquet', (): string => parquet, {}],
    ['FITS', (): string => fits, {}],
    ['CSV', (): string => csv, {}],
    ['CSV through batch files', (): string => csv, streamed()],
    ['gzipped CSV through batch files', (): string => csvGz, streamed()],
    ['VOTable through batch files', (): string => votable, streamed()],
    ['a byte-by-byte table through batch files', (): string => mrt, streamed()],
  ])('reads any row range of %s as those rows of the whole table', async (_, file, options) => {
    await withReader(
      file(),
      async (reader) => {
        expect(reader.totalRows).toBe(ROWS);
        for (const [start, end] of [
          [0, 7],
          [3, 30],
          [20, 21],
          [55, 61],
          [0, 61],
        ] as const) {
          const rows = await reader.rows(start, end);
          expect(rows.numRows).toBe(end - start);
          expect(ids(rows)).toEqual(ids(whole).slice(start, end));
          expect([...rows.getChild('x_1')!]).toEqual([...whole.getChild('x_1')!].slice(start, end));
        }
        // Asked again out of order (a resumed run's first chunk), the rows are the same.
        expect(ids(await reader.rows(8, 16))).toEqual(ids(whole).slice(8, 16));
        const none = await reader.rows(ROWS, ROWS);
        expect(none.numRows).toBe(0);
        expect(none.schema.fields.map((f) => f.name)).toEqual(whole.schema.fields.map((f) => f.name));
        await expect(reader.rows(50, 70)).rejects.toThrow(/rows 50 to 69 are not all among its 61 rows/);
      },
      options,
    );
  });

  it('keeps text batches in its own folder of the scratch folder, removed at close with those of killed runs', async () => {
    const scratch = join(tempDir('spool'), 'run');
    mkdirSync(scratch);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(scratch, `.input-batches-${dead}`));
    writeFileSync(join(scratch, 'keep.txt'), 'not ours');
    const reader = await openInputReader(csv, { scratch, batchRows: 7 });
    expect(readdirSync(scratch).sort()).toEqual([`.input-batches-${process.pid}`, 'keep.txt']);
    expect(readdirSync(join(scratch, `.input-batches-${process.pid}`))).toHaveLength(Math.ceil(ROWS / 7));
    reader.close();
    expect(readdirSync(scratch)).toEqual(['keep.txt']);
    // Kept ranges: only the batches they touch are written; others are refused by row.
    const part = await openInputReader(csv, {
      scratch,
      batchRows: 7,
      keep: () => [
        [0, 7],
        [35, 49],
      ],
    });
    try {
      expect(readdirSync(join(scratch, `.input-batches-${process.pid}`)).sort()).toEqual([
        '0.arrow',
        '5.arrow',
        '6.arrow',
      ]);
      expect(ids(await part.rows(35, 49))).toEqual(ids(whole).slice(35, 49));
      await expect(part.rows(14, 20)).rejects.toThrow(/stars\.csv: rows 14 to 20 were not kept for this run/);
    } finally {
      part.close();
    }
    // A scratch folder the reader made is removed again when nothing else was written to it.
    const fresh = join(tempDir('spool-fresh'), 'run');
    (await openInputReader(csv, { scratch: fresh, batchRows: 7 })).close();
    expect(existsSync(fresh)).toBe(false);
  });

  it('names the file and the HDU that is wrong', async () => {
    await expect(openInputReader(join(tempDir('none'), 'missing.fits'))).rejects.toThrow(
      /missing\.fits: no such file/,
    );
    await expect(openInputReader(fits, { hdu: 5 })).rejects.toThrow(/stars\.fits.*no HDU 5/);
    await expect(openInputReader(parquet, { hdu: 1 })).rejects.toThrow(
      /--hdu applies to FITS and VOTable input only/,
    );
    const broken = join(tempDir('broken'), 'broken.parquet');
    writeFileSync(broken, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64)]));
    await expect(openInputReader(broken)).rejects.toThrow(/broken\.parquet: not a readable Parquet file/);
  });
});

describe('a streamed run', () => {
  it.each([
    ['Parquet', (): string => parquet],
    ['FITS', (): string => fits],
    ['a byte-by-byte table', (): string => mrt],
  ])(
    'from %s, in chunks across row groups on two workers, equals the run from CSV',
    async (_, file) => {
      const fromCsv = join(tempDir('stream-csv'), 'out');
      await runInference({ model: TOY_MODEL, input: csv, out: fromCsv, ...SMALL, workers: 1, chunkRows: 61 });
      const streamed = join(tempDir('stream'), 'out');
      await runInference({
        model: TOY_MODEL,
        input: file(),
        out: streamed,
        ...SMALL,
        workers: 2,
        chunkRows: 5,
      });
      expectSameTable(
        (await readParquet(join(fromCsv, 'summary.parquet'))).table,
        (await readParquet(join(streamed, 'summary.parquet'))).table,
      );
    },
    60_000,
  );

  it('from CSV leaves no batch files in the run folder, and refuses a foreign folder before reading', async () => {
    const out = join(tempDir('csv-run'), 'out');
    await runInference({ model: TOY_MODEL, input: csvGz, out, ...SMALL, workers: 2, chunkRows: 9 });
    expect(readdirSync(out).filter((name) => name.startsWith('.input'))).toEqual([]);
    const foreign = join(tempDir('foreign'), 'out');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    await expect(runInference({ model: TOY_MODEL, input: csv, out: foreign, ...SMALL })).rejects.toThrow(
      /exists and is not a run folder/,
    );
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
  }, 60_000);

  it("counts a given parameter's stars over the run's rows only", async () => {
    // theta_0 given for the first 30 stars only: part 1 of 2 conditions on it, part 2 has none to use.
    const dir = tempDir('given-part');
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const withGiven = [
      `${lines[0]},theta_known`,
      ...lines.slice(1).map((line, r) => `${line},${r < 30 ? '0.5' : ''}`),
    ];
    const input = join(dir, 'given.csv');
    writeFileSync(input, `${withGiven.join('\n')}\n`);
    const messages: string[] = [];
    const options = { model: TOY_MODEL, input, ...SMALL, given: { theta_0: 'theta_known' } };
    await runInference(
      { ...options, out: join(dir, 'one'), part: { index: 1, count: 2 } },
      { log: (m) => messages.push(m) },
    );
    expect(messages).toContain('conditioning on theta_0 = theta_known for 30 of 30 stars');
    await expect(
      runInference({ ...options, out: join(dir, 'two'), part: { index: 2, count: 2 } }),
    ).rejects.toThrow(/given\.csv: --given theta_0=theta_known: no star has a value inside/);
  }, 60_000);
});
