// `convertTable` (cradle fits convert, the Inspect view's export): a table HDU copied to FITS, Parquet or
// CSV is the same table, and the conversion gives the event loop turns between its batches, so the engine
// answers other calls while a large export runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { readTable } from '../../../electron/fits/arrow.ts';
import { convertTable } from '../../../electron/fits/convert.ts';
import { FitsFile } from '../../../electron/fits/file.ts';
import { writeFits } from '../../../electron/fits/writer.ts';
import { readParquet } from '../../../electron/catalog/parquet.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-fits-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Rows of 12 bytes: about 700,000 per 8 MiB read batch, so 1.5M rows cross three batches.
const ROWS = 1_500_000;

function source(): string {
  const path = join(dir, 'big.fits');
  const id = new Int32Array(ROWS).map((_, i) => i);
  const g = new Float64Array(ROWS).map((_, i) => 10 + (i % 1000) / 100);
  const table = new Table({ id: makeVector(id), g: makeVector(g) });
  writeFits(path, [{ kind: 'table', table, name: 'STARS' }]);
  return path;
}

/** Runs `work` while a self-rescheduling setImmediate counts the turns the event loop gets. */
async function countingTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

describe('fits convert', () => {
  it('copies a table HDU to FITS, Parquet and CSV, giving the event loop turns between batches', async () => {
    const file = FitsFile.open(source());
    try {
      const hdu = file.find('STARS');
      const fits = join(dir, 'copy.fits');
      const copied = await countingTurns(() => convertTable(file, hdu, fits, ['g']));
      expect(copied.result).toBe(ROWS);
      // Three batches surveyed and three written: a turn after each.
      expect(copied.turns).toBeGreaterThanOrEqual(6);
      const back = FitsFile.with(fits, (out) => readTable(out, out.find('STARS')));
      expect(back.schema.fields.map((f) => f.name)).toEqual(['g']);
      const values = (table: Table): Float64Array => table.getChild('g')!.toArray() as Float64Array;
      expect(values(back)).toEqual(values(readTable(file, hdu)));

      const parquet = join(dir, 'copy.parquet');
      const packed = await countingTurns(() => convertTable(file, hdu, parquet));
      expect(packed.result).toBe(ROWS);
      expect(packed.turns).toBeGreaterThanOrEqual(3);
      const { table: fromParquet } = await readParquet(parquet);
      expect(fromParquet.numRows).toBe(ROWS);
      expect(values(fromParquet)).toEqual(values(readTable(file, hdu)));

      const csv = join(dir, 'copy.csv');
      const written = await countingTurns(() => convertTable(file, hdu, csv));
      expect(written.result).toBe(ROWS);
      expect(written.turns).toBeGreaterThanOrEqual(3);
      const lines = readFileSync(csv, 'utf8').split('\n');
      expect(lines[0]).toBe('id,g');
      expect(lines[ROWS]).toBe(`${ROWS - 1},${10 + ((ROWS - 1) % 1000) / 100}`);
    } finally {
      file.close();
    }
  }, 120_000);
});
