// A run folder's Parquet files as they may be found on disk: a damaged chunk file (on which
// parquet-wasm's asynchronous reader panics, a WebAssembly trap thrown outside its promise) fails the
// merge with the chunk named instead of ending the process, and `--resume` of a run recorded as complete
// checks its summary.parquet: merged again from the chunk files where they are there, a clear error
// where they are not.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { chunkName, mergeChunks, writeChunk } from '../../../electron/inference/run-folder.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { ONE_WORKER, TOY_MODEL, expectSameTable, tempDir, writeToyCsv } from './helpers.ts';

const ROWS = 35;

/** A chunk file with its first page header scrambled: the page's sizes no longer match its bytes. */
function damage(file: string): void {
  const bytes = Uint8Array.from(readFileSync(file));
  // The first column chunk starts after the 4-byte magic with its page header (Thrift compact: 0x15).
  expect(bytes[4]).toBe(0x15);
  for (let b = 6; b < 22; b += 1) bytes[b]! ^= 0x5a;
  writeFileSync(file, bytes);
}

describe('merging chunk files', () => {
  it('names a damaged chunk file instead of crashing, and leaves no temporary file', async () => {
    const dir = tempDir('damaged-chunk');
    const rows = 5000;
    const row = new BigInt64Array(rows).map((_, i) => BigInt(i));
    const x = new Float64Array(rows).map((_, i) => Math.sin(i));
    await writeChunk(dir, 0, tableFromArrays({ row, x }), null);
    await writeChunk(dir, 1, tableFromArrays({ row, x }), null);
    const bad = join(dir, 'chunks', chunkName(1, 'summary'));
    damage(bad);
    const target = join(dir, 'summary.parquet');
    await expect(mergeChunks(dir, 'summary', 2, target)).rejects.toThrow(
      `${bad}: not a readable Parquet file (row group 0 cannot be decoded: WebAssembly RuntimeError: unreachable; the file is probably damaged); if it is a chunk of a stopped run, delete it and resume the run`,
    );
    expect(readdirSync(dir).sort()).toEqual(['chunks']);
    // The process goes on: the intact chunk still merges.
    await mergeChunks(dir, 'summary', 1, target);
    expect((await readParquet(target)).table.numRows).toBe(rows);
  });

  it('refuses chunk files whose columns differ (a run resumed by another version of Cradle)', async () => {
    // A summary chunk written before prior_leakage existed, then one with it: the writer cast or failed
    // with 'Dyn casting error', or joined float64 and int32 columns without a word.
    const dir = tempDir('mixed-chunks');
    const row = BigInt64Array.of(0n, 1n);
    const x = Float64Array.of(0.5, 1.5);
    await writeChunk(dir, 0, tableFromArrays({ row, x }), null);
    await writeChunk(dir, 1, tableFromArrays({ row, x, prior_leakage: Float64Array.of(0, 0.25) }), null);
    const target = join(dir, 'summary.parquet');
    const [first, second] = [0, 1].map((i) => join(dir, 'chunks', chunkName(i, 'summary')));
    await expect(mergeChunks(dir, 'summary', 2, target)).rejects.toThrow(
      `${second}: its columns differ from those of ${first} (it has prior_leakage: Float64); files written by ` +
        'different versions of Cradle cannot be joined: if these are chunks of a resumed run, delete the chunk ' +
        'files of one version and resume to compute them again',
    );
    const types = join(dir, 'types');
    await writeChunk(types, 0, tableFromArrays({ row, x }), null);
    await writeChunk(types, 1, tableFromArrays({ row, x: Int32Array.of(1, 2) }), null);
    await expect(mergeChunks(types, 'summary', 2, join(types, 'summary.parquet'))).rejects.toThrow(
      /its columns differ from those of .* \(it has x: Int32; it lacks x: Float64\)/,
    );
    expect(readdirSync(dir).sort()).toEqual(['chunks', 'types']);
  });
});

describe('resuming a run recorded as complete', () => {
  let input: string;
  let out: string;
  let reference: Awaited<ReturnType<typeof readParquet>>['table'];

  beforeAll(async () => {
    input = writeToyCsv(tempDir('complete-input'), ROWS);
    out = join(tempDir('complete'), 'out');
    const first = await runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER });
    expect(first.status).toBe('complete');
    reference = (await readParquet(join(out, 'summary.parquet'))).table;
  }, 60_000);

  it('says what is wrong when summary.parquet is damaged or missing and the chunk files are gone', async () => {
    const summary = join(out, 'summary.parquet');
    const bytes = readFileSync(summary);
    writeFileSync(summary, bytes.subarray(0, 200));
    await expect(runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER, resume: true })).rejects.toThrow(
      new RegExp(
        `${out}: run.json says the run is complete, but ${summary}: not a readable Parquet file: .*, and its chunk files are gone \\(removed after the merge\\): run it again into a new --out`,
      ),
    );
    rmSync(summary);
    await expect(runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER, resume: true })).rejects.toThrow(
      `${out}: run.json says the run is complete, but summary.parquet is missing, and its chunk files are gone`,
    );
    writeFileSync(summary, bytes);
    const resumed = await runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER, resume: true });
    expect(resumed.status).toBe('complete');
    expectSameTable(reference, (await readParquet(summary)).table);
  }, 60_000);

  it('merges summary.parquet again from the chunk files where they are still there', async () => {
    // The chunk files as the run wrote them: the summary's rows in chunks of 10.
    for (let index = 0; index * 10 < ROWS; index += 1)
      await writeChunk(out, index, reference.slice(index * 10, index * 10 + 10), null);
    const summary = join(out, 'summary.parquet');
    rmSync(summary);
    const log: string[] = [];
    const resumed = await runInference(
      { model: TOY_MODEL, input, out, ...ONE_WORKER, resume: true },
      { log: (line) => log.push(line) },
    );
    expect(resumed.status).toBe('complete');
    expect(log).toContain('summary.parquet is missing: merging the chunk files again');
    expectSameTable(reference, (await readParquet(summary)).table);
    expect(existsSync(join(out, 'chunks'))).toBe(false);
  }, 60_000);
});
