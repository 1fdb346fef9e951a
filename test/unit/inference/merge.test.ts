// Cluster runs: `--part K/N` runs one row range of the input and mergePartRuns joins the parts. The
// merged folder must be the run of the whole input, whatever the parts' chunk sizes, worker counts or
// input paths, and a merge must refuse parts that are missing, repeated, unfinished or of another run.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet as writeWasmParquet } from 'parquet-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { writeFits } from '../../../electron/fits/writer.ts';
import { mergePartRuns } from '../../../electron/inference/merge-parts.ts';
import { partRows } from '../../../electron/inference/run-folder.ts';
import type { RunRecord } from '../../../electron/inference/run-folder.ts';
import { runInference } from '../../../electron/inference/run.ts';
import type { InferOptions } from '../../../electron/inference/run.ts';
import { TOY_MODEL, expectSameTable, tempDir, writeToyCsv } from './helpers.ts';

const SMALL = { samples: 8, steps: 3, solver: 'heun', seed: 11, cores: 2, keepSamples: true } as const;
const ROWS = 61;

let input: string;
let whole: string;
const parts: string[] = [];

async function table(dir: string, file: string): Promise<Table> {
  return (await readParquet(join(dir, file))).table;
}

async function run(options: Partial<InferOptions>): Promise<string> {
  const out = join(tempDir('part'), 'out');
  await runInference({ model: TOY_MODEL, input, out, ...SMALL, ...options });
  return out;
}

/** `file` run whole, and in three parts (other chunk sizes) merged. */
async function wholeAndMergedParts(
  file: string,
): Promise<{ whole: string; pieces: string[]; merged: string }> {
  const whole = await run({ input: file, workers: 1, chunkRows: 25 });
  const pieces = [];
  for (const index of [1, 2, 3])
    pieces.push(await run({ input: file, part: { index, count: 3 }, workers: 1, chunkRows: 8 }));
  const merged = join(tempDir('merged-parts'), 'run');
  await mergePartRuns(merged, pieces);
  return { whole, pieces, merged };
}

function record(dir: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
}

beforeAll(async () => {
  input = writeToyCsv(tempDir('parts-input'), ROWS);
  whole = await run({ workers: 1, chunkRows: 25 });
  // Each part as another node would run it: its own chunk size and workers; part 2 reads a copy of
  // the input at another path (local scratch), with the same bytes.
  const copy = join(tempDir('scratch'), 'stars.csv');
  copyFileSync(input, copy);
  parts.push(await run({ part: { index: 1, count: 3 }, workers: 1, chunkRows: 6 }));
  parts.push(await run({ part: { index: 2, count: 3 }, workers: 2, chunkRows: 5, input: copy }));
  parts.push(await run({ part: { index: 3, count: 3 }, workers: 1, chunkRows: 100 }));
}, 180_000);

describe('runs in parts', () => {
  it('cuts the input into contiguous row ranges that differ by at most one row', () => {
    const cut = [1, 2, 3].map((k) => partRows(k, 3, ROWS));
    expect(cut.map((p) => [p.first_row, p.rows])).toEqual([
      [0, 20],
      [20, 20],
      [40, 21],
    ]);
    expect(record(parts[1]!).input.part).toEqual({ index: 2, count: 3, first_row: 20, rows: 20 });
    expect(record(parts[1]!).stars).toEqual({ total: 20, done: 20 });
  });

  it('writes each part with the input rows it covers', async () => {
    const rows = [...(await table(parts[2]!, 'summary.parquet')).getChild('row')!].map(Number);
    expect(rows).toEqual(Array.from({ length: 21 }, (_, i) => 40 + i));
  });

  it('merges the parts, given in any order, into the run of the whole input', async () => {
    const out = join(tempDir('merged'), 'run');
    const result = await mergePartRuns(out, [parts[2]!, parts[0]!, parts[1]!]);
    expect(result).toMatchObject({ parts: 3, stars: ROWS });
    for (const file of ['summary.parquet', 'samples.parquet'])
      expectSameTable(await table(whole, file), await table(out, file));
    const merged = record(out);
    expect(merged.status).toBe('complete');
    expect(merged.input.part).toBeUndefined();
    expect(merged.input.rows).toBe(ROWS);
    expect(merged.stars).toEqual({ total: ROWS, done: ROWS });
    expect(merged.merged_from).toEqual(parts);
    expect(merged.input.sha256).toBe(record(whole).input.sha256);
    expect(merged.model_dir).toBe(record(whole).model_dir);
  });

  it('finds the shipped model with the same card when the parts ran from a copy elsewhere', async () => {
    const moved = parts.map((dir) => {
      const copy = join(tempDir('moved'), 'part');
      mkdirSync(copy);
      for (const file of ['summary.parquet', 'samples.parquet'])
        copyFileSync(join(dir, file), join(copy, file));
      writeFileSync(
        join(copy, 'run.json'),
        JSON.stringify({ ...record(dir), model_dir: '/cluster/models/toy' }),
      );
      return copy;
    });
    const out = join(tempDir('moved-merged'), 'run');
    await mergePartRuns(out, moved);
    expect(record(out).model_dir).toBe(TOY_MODEL);
  });

  it('records where the input is on the merging machine, after checking its SHA-256', async () => {
    const here = join(tempDir('workstation'), 'stars.csv');
    copyFileSync(input, here);
    const out = join(tempDir('located'), 'run');
    await mergePartRuns(out, parts, { input: here });
    expect(record(out).input.file).toBe(here);
    writeFileSync(here, `${readFileSync(here, 'utf8')}1,2,3,4,5,6,7\n`);
    await expect(mergePartRuns(join(tempDir('other'), 'run'), parts, { input: here })).rejects.toThrow(
      /stars\.csv: not the parts' input \(SHA-256 [0-9a-f]{64}, the parts read [0-9a-f]{64}\)/,
    );
  });

  it('refuses missing, repeated, unfinished and foreign parts, and a folder holding other files', async () => {
    const target = (): string => join(tempDir('refused'), 'run');
    await expect(mergePartRuns(target(), [parts[0]!, parts[2]!])).rejects.toThrow(
      /missing part 2 of 3: run it with cradle infer … --part 2\/3/,
    );
    await expect(mergePartRuns(target(), [parts[0]!, parts[1]!, parts[1]!, parts[2]!])).rejects.toThrow(
      /part 2\/3 is given twice/,
    );
    await expect(mergePartRuns(target(), [whole])).rejects.toThrow(/a run of the whole input, not a part/);
    const otherSeed = await run({ part: { index: 2, count: 3 }, seed: 12 });
    await expect(mergePartRuns(target(), [parts[0]!, otherSeed, parts[2]!])).rejects.toThrow(
      /not a part of the same run as .*settings\.seed was 11, now 12/,
    );
    const stopped = join(tempDir('stopped'), 'run');
    mkdirSync(stopped);
    for (const file of ['summary.parquet', 'samples.parquet'])
      copyFileSync(join(parts[1]!, file), join(stopped, file));
    writeFileSync(join(stopped, 'run.json'), JSON.stringify({ ...record(parts[1]!), status: 'running' }));
    await expect(mergePartRuns(target(), [parts[0]!, stopped, parts[2]!])).rejects.toThrow(
      /part 2\/3 is running; finish it with cradle infer --resume first/,
    );
    const busy = tempDir('busy');
    writeFileSync(join(busy, 'notes.txt'), 'mine\n');
    await expect(mergePartRuns(busy, parts)).rejects.toThrow(/holds other files \(notes\.txt\)/);
  });

  it('replaces what a merge stopped before its run.json left, and refuses a finished merge', async () => {
    const out = join(tempDir('again'), 'run');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.parquet'), 'half written');
    await mergePartRuns(out, parts);
    expectSameTable(await table(whole, 'summary.parquet'), await table(out, 'summary.parquet'));
    await expect(mergePartRuns(out, parts)).rejects.toThrow(/holds a run already/);
  });

  it("reads only a Parquet part's rows, across row groups, to the same result as the whole run", async () => {
    const csv = await readCatalog(input);
    const parquet = join(tempDir('parquet'), 'stars.parquet');
    // Row groups of 7 rows: the parts (0–19, 20–39, 40–60) start and end inside groups.
    const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(7).build();
    const wasm = WasmTable.fromIPCStream(tableToIPC(csv.table, 'stream'));
    writeFileSync(parquet, writeWasmParquet(wasm, properties));
    const { whole: fromParquet, pieces, merged } = await wholeAndMergedParts(parquet);
    for (const file of ['summary.parquet', 'samples.parquet'])
      expectSameTable(await table(fromParquet, file), await table(merged, file));
    expect(record(pieces[2]!).input.rows).toBe(ROWS);
  });

  it("reads only a FITS part's rows to the same result as the whole run", async () => {
    const fits = join(tempDir('fits'), 'stars.fits');
    writeFits(fits, [{ kind: 'table', table: (await readCatalog(input)).table, name: 'STARS' }]);
    const { whole: fromFits, merged } = await wholeAndMergedParts(fits);
    expectSameTable(await table(fromFits, 'summary.parquet'), await table(merged, 'summary.parquet'));
    await expect(run({ input: fits, hdu: 2, part: { index: 1, count: 3 } })).rejects.toThrow(/HDU 2/);
  });

  it('refuses a part count above the number of rows, and resuming a part as another', async () => {
    await expect(run({ part: { index: 1, count: ROWS + 1 } })).rejects.toThrow(
      new RegExp(`the input has ${ROWS} rows, fewer than ${ROWS + 1} parts`),
    );
    await expect(
      runInference({
        model: TOY_MODEL,
        input,
        out: parts[0]!,
        ...SMALL,
        part: { index: 2, count: 3 },
        resume: true,
      }),
    ).rejects.toThrow(/cannot resume: input\.part was/);
  });
});
