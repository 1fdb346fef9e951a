// A Parquet input with one damaged row group: `catalog convert` reads it a row group at a time through
// parquet-wasm's asynchronous reader, which panics (a WebAssembly trap, thrown outside the read's
// promise) on pages it cannot decode. The conversion must fail with the file and the row group named,
// into every output format, leaving no temporary or partial file behind; a failure part-way through a
// streamed text input does the same.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openAsBlob, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import {
  Compression,
  ParquetFile,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertCatalog } from '../../../electron/catalog/convert.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'cradle-parquet-corrupt-'));
const ROWS = 200_000;
const GROUP = 65_536;

/** 200,000 rows in 65,536-row groups, snappy, no dictionary pages (so each column chunk starts with
 * its data page). */
function parquetBytes(): Uint8Array {
  const ra = new Float64Array(ROWS);
  const dec = new Float64Array(ROWS);
  const id = new BigInt64Array(ROWS);
  for (let r = 0; r < ROWS; r += 1) {
    ra[r] = (r * 0.618034) % 360;
    dec[r] = ((r * 0.414214) % 180) - 90;
    id[r] = BigInt(r);
  }
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setMaxRowGroupSize(GROUP)
    .setDictionaryEnabled(false)
    .build();
  return writeParquet(
    WasmTable.fromIPCStream(tableToIPC(tableFromArrays({ ra, dec, id }), 'stream')),
    properties,
  );
}

/** Where row group `group`'s first column chunk starts: the chunks follow the 4-byte magic in order,
 * each as long as its compressed size in the footer. */
async function chunkStart(file: string, group: number): Promise<number> {
  const parquet = await ParquetFile.fromFile(await openAsBlob(file));
  try {
    const groups = parquet.metadata().rowGroups();
    expect(groups.map((g) => g.numRows())).toEqual([GROUP, GROUP, GROUP, ROWS - 3 * GROUP]);
    let start = 4;
    for (const g of groups.slice(0, group)) for (const c of g.columns()) start += c.compressedSize();
    return start;
  } finally {
    parquet.free();
  }
}

let good = '';
let bad = '';

beforeAll(async () => {
  mkdirSync(join(dir, 'in'));
  good = join(dir, 'in', 'good.parquet');
  bad = join(dir, 'in', 'rg_corrupt.parquet');
  const bytes = parquetBytes();
  writeFileSync(good, bytes);
  const start = await chunkStart(good, 2);
  // A page header (Thrift compact) opens with field 1, the page type (0x15), then DATA_PAGE (0).
  expect([bytes[start], bytes[start + 1]]).toEqual([0x15, 0x00]);
  const damaged = bytes.slice();
  // The page's sizes and the rest of its header.
  for (let b = start + 2; b < start + 18; b += 1) damaged[b]! ^= 0x5a;
  writeFileSync(bad, damaged);
});

const MESSAGE = /rg_corrupt\.parquet: row group 2 \(rows 131073–196608\) cannot be decoded: \S/;

describe('a Parquet input with a damaged row group', () => {
  it('fails the conversion into every format with the row group named, leaving no file behind', async () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    for (const ext of ['csv', 'ecsv', 'vot', 'parquet', 'fits', 'mrt']) {
      await expect(convertCatalog(bad, join(out, `rgc.${ext}`)), ext).rejects.toThrow(MESSAGE);
      expect(readdirSync(out), ext).toEqual([]);
    }
    // After the failures, this process still converts an intact file.
    await expect(convertCatalog(good, join(out, 'good.csv'))).resolves.toEqual({ rows: ROWS });
    expect(readFileSync(join(out, 'good.csv'), 'utf8').split('\n')).toHaveLength(ROWS + 2);
  });

  it('makes the command print one line and exit non-zero', () => {
    const out = join(dir, 'cli');
    mkdirSync(out);
    const run = spawnSync('node', ['bin/cradle.mjs', 'catalog', 'convert', bad, join(out, 'rgc.ecsv')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.split(/[\r\n]+/).filter((line) => line.startsWith('cradle:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(MESSAGE);
    expect(run.stderr).not.toMatch(/wasm:\/\/|RuntimeError: unreachable\n/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('a conversion failing part-way through a streamed input', () => {
  it('leaves no temporary file in any output format', async () => {
    // A byte-by-byte table is read in one pass, so the bad number on its third line comes after the
    // first batch has been written.
    const mrt = join(dir, 'in', 'late-bad.mrt');
    writeFileSync(
      mrt,
      [
        'Title:',
        'Byte-by-byte Description of file: late-bad.mrt',
        '-'.repeat(80),
        ' Bytes Format Units  Label     Explanations',
        '-'.repeat(80),
        ' 1- 4  F4.1   deg    ra      Right ascension',
        '-'.repeat(80),
        '10.1',
        '20.2',
        '3x.3',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'late');
    mkdirSync(out);
    for (const ext of ['csv', 'ecsv', 'vot', 'parquet', 'fits', 'mrt']) {
      await expect(convertCatalog(mrt, join(out, `late.${ext}`), { batchRows: 1 }), ext).rejects.toThrow(
        /late-bad\.mrt: line 10, bytes 1-4 \(ra, F4\.1\)/,
      );
      expect(readdirSync(out), ext).toEqual([]);
    }
  });
});
