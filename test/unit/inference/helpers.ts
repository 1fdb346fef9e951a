// Shared by the inference tests: the committed toy model (native-models/models/toy-gaussian) and
// small input tables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { expect } from 'vitest';
import { normalAt } from '../../../electron/inference/random.ts';

export const TOY_MODEL = fileURLToPath(
  new URL('../../../native-models/models/toy-gaussian', import.meta.url),
);

/** Short-run settings of one worker and chunks of 10 stars (the run-folder tests' runs). */
export const ONE_WORKER = {
  samples: 16,
  steps: 4,
  solver: 'heun',
  seed: 3,
  cores: 2,
  workers: 1,
  chunkRows: 10,
} as const;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cradle-${prefix}-`));
}

/** A CSV of `rows` stars with x_0..x_2 and their errors; every 5th star lacks x_1, every 7th x_2. */
export function writeToyCsv(dir: string, rows: number): string {
  const lines = ['source_id,x_0,x_0_err,x_1,x_1_err,x_2,x_2_err'];
  for (let r = 0; r < rows; r += 1) {
    const x = [0, 1, 2].map((j) => (-1 + 1.5 * normalAt(99, r, 0, j)).toFixed(4));
    const e = [0, 1, 2].map((j) => (0.3 + (0.5 * Math.abs(normalAt(99, r, 1, j))) / 3).toFixed(3));
    const x1 = r % 5 === 0 ? '' : x[1];
    const x2 = r % 7 === 0 ? '' : x[2];
    lines.push(`${4_000_000_000_000 + r * 13},${x[0]},${e[0]},${x1},${e[1]},${x2},${e[2]}`);
  }
  const file = join(dir, 'stars.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Two tables with the same columns, in order, and the same values. */
export function expectSameTable(a: Table, b: Table): void {
  expect(b.schema.fields.map((f) => f.name)).toEqual(a.schema.fields.map((f) => f.name));
  expect(b.numRows).toBe(a.numRows);
  for (const field of a.schema.fields)
    expect([...b.getChild(field.name)!], field.name).toEqual([...a.getChild(field.name)!]);
}
