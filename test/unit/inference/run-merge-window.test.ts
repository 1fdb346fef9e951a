// A run killed between its merge and run.json's 'complete': the merge wrote summary.parquet (and
// samples.parquet), so `--resume` finishes the run from it instead of computing every chunk again. The
// run marks itself complete before it removes its chunk files, so a kill at any step leaves either the
// chunk files or a complete record; folders from versions that removed the chunk files first are
// finished from their merged outputs when these are whole.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import type * as RunFolder from '../../../electron/inference/run-folder.ts';
import type { RunRecord } from '../../../electron/inference/run-folder.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { ONE_WORKER, TOY_MODEL, expectSameTable, tempDir, writeToyCsv } from './helpers.ts';

/** When set, writing run.json with status 'complete' fails as a kill at that moment would. */
const fault = vi.hoisted(() => ({ killAtComplete: false }));

vi.mock('../../../electron/inference/run-folder.ts', async (importOriginal) => {
  const original = await importOriginal<typeof RunFolder>();
  return {
    ...original,
    writeRunRecord: async (dir: string, record: RunRecord): Promise<void> => {
      if (fault.killAtComplete && record.status === 'complete') throw new Error('killed before run.json');
      await original.writeRunRecord(dir, record);
    },
  };
});

const ROWS = 35;
const CHUNKS = 4;

function runJson(out: string): RunRecord {
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
}

/** Turns a complete run folder into what an older version left when killed after removing chunks/. */
function asKilledAfterChunksRemoved(out: string): void {
  const record = runJson(out);
  record.status = 'running';
  record.ended = null;
  record.chunks.done = 0;
  writeFileSync(join(out, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  rmSync(join(out, 'chunks'), { recursive: true, force: true });
}

describe('resuming a run killed between its merge and run.json', () => {
  let input: string;
  let reference: Awaited<ReturnType<typeof readParquet>>['table'];
  let samplesReference: Awaited<ReturnType<typeof readParquet>>['table'];

  beforeAll(async () => {
    input = writeToyCsv(tempDir('window-input'), ROWS);
    const out = join(tempDir('window-ref'), 'out');
    await runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER, keepSamples: true });
    reference = (await readParquet(join(out, 'summary.parquet'))).table;
    samplesReference = (await readParquet(join(out, 'samples.parquet'))).table;
  }, 60_000);

  it('keeps the chunk files until run.json is complete, and a resume computes nothing', async () => {
    const out = join(tempDir('window-kill'), 'out');
    fault.killAtComplete = true;
    try {
      await expect(
        runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER, keepSamples: true }),
      ).rejects.toThrow('killed before run.json');
    } finally {
      fault.killAtComplete = false;
    }
    expect(runJson(out).status).toBe('running');
    expect(existsSync(join(out, 'summary.parquet'))).toBe(true);
    const resumed = await runInference({
      model: TOY_MODEL,
      input,
      out,
      ...ONE_WORKER,
      keepSamples: true,
      resume: true,
    });
    expect(resumed).toMatchObject({ status: 'complete', chunks: CHUNKS, resumedChunks: CHUNKS });
    expect(runJson(out)).toMatchObject({ status: 'complete', chunks: { done: CHUNKS, total: CHUNKS } });
    expect(existsSync(join(out, 'chunks'))).toBe(false);
    expectSameTable(reference, (await readParquet(join(out, 'summary.parquet'))).table);
    expectSameTable(samplesReference, (await readParquet(join(out, 'samples.parquet'))).table);
  }, 60_000);

  it('finishes a folder whose chunk files were removed before run.json was complete', async () => {
    const out = join(tempDir('window-old'), 'out');
    await runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER, keepSamples: true });
    asKilledAfterChunksRemoved(out);
    const log: string[] = [];
    const resumed = await runInference(
      { model: TOY_MODEL, input, out, ...ONE_WORKER, keepSamples: true, resume: true },
      { log: (line) => log.push(line) },
    );
    expect(resumed).toMatchObject({
      status: 'complete',
      chunks: CHUNKS,
      resumedChunks: CHUNKS,
      starsPerS: null,
    });
    expect(log).toContain(
      `${out}: summary.parquet and samples.parquet are whole: finishing the run from them`,
    );
    expect(runJson(out)).toMatchObject({ status: 'complete', stars: { done: ROWS, total: ROWS } });
    expectSameTable(reference, (await readParquet(join(out, 'summary.parquet'))).table);
    expectSameTable(samplesReference, (await readParquet(join(out, 'samples.parquet'))).table);
  }, 60_000);

  it('computes the run again where the merged summary is not whole', async () => {
    const out = join(tempDir('window-damaged'), 'out');
    await runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER });
    asKilledAfterChunksRemoved(out);
    const summary = join(out, 'summary.parquet');
    writeFileSync(summary, readFileSync(summary).subarray(0, 200));
    const resumed = await runInference({ model: TOY_MODEL, input, out, ...ONE_WORKER, resume: true });
    expect(resumed).toMatchObject({ status: 'complete', resumedChunks: 0 });
    expectSameTable(reference, (await readParquet(summary)).table);
  }, 60_000);
});
