// Tables read a batch at a time (table-batches.ts): the batches, put together, are the table a
// whole read gives, types included, though a column's type may be settled only by its last row; FITS
// by row range and Parquet by row group.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet as writeWasmParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { expectSameTable } from './same-table.ts';
import { readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import { readTableBatches } from '../../../electron/catalog/table-batches.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-table-batches-'));
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/catalog');

async function batched(file: string, rows: number): Promise<{ table: Table; starts: number[] }> {
  const pieces: Table[] = [];
  const starts: number[] = [];
  let counted: number | undefined;
  const total = await readTableBatches(file, { rows, onCount: (n) => (counted = n) }, (table, first) => {
    pieces.push(table);
    starts.push(first);
  });
  const table = pieces.slice(1).reduce((a, t) => a.concat(t), pieces[0]!);
  expect(table.numRows).toBe(total);
  // The count comes before the batches, from the type pass (CSV) or a counting pass (ECSV).
  expect(counted).toBe(total);
  return { table, starts };
}

describe('text tables read in batches', () => {
  it('equal the whole read when the last rows settle a column type', async () => {
    const lines = ['source_id,n,flux,ok,label,empty'];
    for (let r = 0; r < 50; r += 1)
      lines.push(
        `67281626482541440${String(r).padStart(2, '0')},${r},${r * 2},${r % 2 ? 'True' : 'False'},${r % 3 ? 'a' : ''},`,
      );
    // Row 50: `flux` becomes a float column; row 51: `n` gets a 64-bit value.
    lines.push('7,50,1.5,True,b,', '8,9007199254740993,3,False,c,');
    const path = join(dir, 'settle.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const whole = (await readCatalog(path)).table;
    expect(String(whole.schema.fields[2]!.type)).toBe('Float64');
    const { table, starts } = await batched(path, 8);
    expect(starts).toEqual([0, 8, 16, 24, 32, 40, 48]);
    expectSameTable(whole, table);
  });

  it('keep a VizieR units row, ECSV declared types and units, and read gzipped files', async () => {
    const tsv = join(dir, 'vizier.tsv');
    writeFileSync(
      tsv,
      'Gaia\tPlx\tGmag\n\tmas\tmag\n----\t---\t----\n1\t1.5\t12.1\n2\t\t13.2\n3\t0.25\t14.3\n',
    );
    expectSameTable((await readCatalog(tsv)).table, (await batched(tsv, 2)).table);
    const ecsv = join(dir, 'table.ecsv');
    await writeCatalog((await readCatalog(tsv)).table, ecsv);
    expectSameTable((await readCatalog(ecsv)).table, (await batched(ecsv, 2)).table);
    const packed = join(dir, 'table.ecsv.gz');
    writeFileSync(packed, gzipSync(readFileSync(ecsv)));
    expectSameTable((await readCatalog(ecsv)).table, (await batched(packed, 1)).table);
  });

  it('equal the whole read of VOTables in every serialisation, lists and nulls included', async () => {
    for (const name of ['reference_tabledata.vot', 'reference_binary.vot', 'reference_binary2.vot']) {
      const path = join(FIXTURES, name);
      const { table, starts } = await batched(path, 1);
      expect(starts.length, name).toBe(table.numRows);
      expectSameTable((await readCatalog(path)).table, table);
    }
  });

  it('give one empty batch with the columns for a table without rows, and refuse other formats', async () => {
    const path = join(dir, 'header-only.csv');
    writeFileSync(path, 'a,b\n');
    const { table, starts } = await batched(path, 4);
    expect(starts).toEqual([0]);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    const emptyMrt = join(dir, 'header-only.mrt');
    await writeCatalog((await readCatalog(path)).table, emptyMrt);
    const mrtBatches = await batched(emptyMrt, 4);
    expect(mrtBatches.starts).toEqual([0]);
    expect(mrtBatches.table.numRows).toBe(0);
    for (const ext of ['parquet', 'fits']) {
      const empty = join(dir, `header-only.${ext}`);
      await writeCatalog((await readCatalog(path)).table, empty);
      const batches = await batched(empty, 4);
      expect(batches.starts, ext).toEqual([0]);
      expect(batches.table.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    }
  });

  it('read FITS tables by row range and Parquet files by row group', async () => {
    const source = (await readCatalog(join(FIXTURES, 'reference_binary2.vot'))).table;
    const fits = join(dir, 'ranges.fits');
    await writeCatalog(source, fits);
    const fromFits = await batched(fits, 2);
    expect(fromFits.starts).toEqual([0, 2]);
    expectSameTable((await readCatalog(fits)).table, fromFits.table);
    await expect(readTableBatches(fits, { rows: 2, hdu: 3 }, () => undefined)).rejects.toThrow(
      /ranges\.fits: no HDU 3 \(the file has 2\)/,
    );
    const parquet = join(dir, 'groups.parquet');
    // Row groups of 2 rows; asked for batches of 1, the batches are the groups.
    const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(2).build();
    writeFileSync(
      parquet,
      writeWasmParquet(WasmTable.fromIPCStream(tableToIPC(source, 'stream')), properties),
    );
    const fromParquet = await batched(parquet, 1);
    expect(fromParquet.starts).toEqual([0, 2]);
    expectSameTable((await readCatalog(parquet)).table, fromParquet.table);
    const packed = join(dir, 'groups.parquet.gz');
    writeFileSync(packed, gzipSync(readFileSync(parquet)));
    await expect(readTableBatches(packed, { rows: 1 }, () => undefined)).rejects.toThrow(
      /groups\.parquet\.gz: a gzip-compressed Parquet file; decompress it first/,
    );
    await expect(readTableBatches(parquet, { rows: 1, hdu: 1 }, () => undefined)).rejects.toThrow(
      /groups\.parquet: an HDU applies to FITS input only/,
    );
  });

  it('equal the whole read of byte-by-byte tables: an AAS MRT with notes, and a VizieR file with its ReadMe', async () => {
    const rule = '-'.repeat(80);
    const header = [
      'Title: batches',
      '='.repeat(80),
      'Byte-by-byte Description of file: batches.txt',
      rule,
      '   Bytes Format Units    Label      Explanations',
      rule,
      '   1- 19 I19    ---      Gaia       ? Gaia DR3 source',
      '  21- 26 F6.3   mag      Gmag       ? G magnitude (1)',
      '  28- 31 F4.2   mag    e_Gmag       ?=-1 Error in Gmag',
      '  33- 37 A5     ---      Ref        Reference',
      rule,
      'Note (1): a note whose own rule',
      rule,
      '  is not the end of the header.',
      rule,
    ];
    const data: string[] = [];
    for (let r = 0; r < 23; r += 1)
      data.push(
        r % 5 === 4
          ? '                           -1.0 VHS'
          : `67281626482541441${String(r).padStart(2, '0')} ${(12 + r / 8).toFixed(3).padStart(6)} 0.01 2MASS`,
      );
    data.splice(7, 0, '');
    const mrt = join(dir, 'batches.txt');
    writeFileSync(mrt, [...header, ...data].join('\r\n') + '\r\n');
    const whole = (await readCatalog(mrt)).table;
    expect(whole.numRows).toBe(23);
    for (const rows of [1, 5, 23, 64]) {
      const { table, starts } = await batched(mrt, rows);
      expect(starts.length, String(rows)).toBe(Math.ceil(23 / rows));
      expectSameTable(whole, table);
    }
    const packed = join(dir, 'batches.txt.gz');
    writeFileSync(packed, gzipSync(readFileSync(mrt)));
    expectSameTable(whole, (await batched(packed, 4)).table);

    const vizier = mkdtempSync(join(tmpdir(), 'cradle-vizier-'));
    writeFileSync(
      join(vizier, 'ReadMe'),
      [...header.slice(0, 11), ''].join('\n').replace('batches.txt', 'table1.dat'),
    );
    writeFileSync(join(vizier, 'table1.dat'), data.join('\n') + '\n');
    const readme = (await readCatalog(join(vizier, 'table1.dat'))).table;
    expectSameTable(whole, readme);
    expectSameTable(readme, (await batched(join(vizier, 'table1.dat'), 6)).table);
  });

  it('name the line of a bad byte-by-byte row in a later batch', async () => {
    const lines = [
      'Byte-by-byte Description of file: bad.txt',
      '-'.repeat(80),
      '   Bytes Format Units    Label      Explanations',
      '-'.repeat(80),
      '   1-  3 I3     ---      n          Number',
      '-'.repeat(80),
      ...Array.from({ length: 9 }, (_, r) => String(r).padStart(3)),
      ' 9x',
    ];
    const path = join(dir, 'bad.txt');
    writeFileSync(path, lines.join('\n') + '\n');
    const seen: number[] = [];
    await expect(readTableBatches(path, { rows: 4 }, (_, first) => seen.push(first))).rejects.toThrow(
      /bad\.txt: line 16, bytes 1-3 \(n, I3\): '9x' is not an integer/,
    );
    expect(seen).toEqual([0, 4]);
  });
});
