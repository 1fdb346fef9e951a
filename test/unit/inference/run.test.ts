import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { buildTable } from '../../../electron/catalog/table.ts';
import { writeFits } from '../../../electron/fits/writer.ts';
import { exportSummary } from '../../../electron/inference/export.ts';
import { runInference } from '../../../electron/inference/run.ts';
import type { InferOptions } from '../../../electron/inference/run.ts';
import { TOY_MODEL, tempDir, writeToyCsv } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SMALL = { samples: 16, steps: 4, solver: 'heun', seed: 3, cores: 2 } as const;

let input: string;
let reference: Table;

async function summary(dir: string): Promise<Table> {
  return (await readParquet(join(dir, 'summary.parquet'))).table;
}

function expectSameTable(a: Table, b: Table): void {
  expect(b.schema.fields.map((f) => f.name)).toEqual(a.schema.fields.map((f) => f.name));
  expect(b.numRows).toBe(a.numRows);
  for (const field of a.schema.fields) {
    expect([...b.getChild(field.name)!], field.name).toEqual([...a.getChild(field.name)!]);
  }
}

async function run(options: Partial<InferOptions>): Promise<string> {
  const out = join(tempDir('run'), 'out');
  await runInference({ model: TOY_MODEL, input, out, ...SMALL, ...options });
  return out;
}

beforeAll(async () => {
  input = writeToyCsv(tempDir('input'), 120);
  reference = await summary(await run({ workers: 1, chunkRows: 50 }));
}, 120_000);

describe('runInference', () => {
  it('writes one summary row per input star, in order, with the id columns and canonical names', () => {
    expect(reference.numRows).toBe(120);
    expect([...reference.getChild('row')!].map(Number)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(Number(reference.getChild('source_id')!.get(3))).toBe(4_000_000_000_000 + 39);
    for (const name of ['theta_0_median', 'theta_1_p16', 'theta_1_p97_5', 'misspec_score'])
      expect(reference.getChild(name)).not.toBeNull();
    const medians = [...reference.getChild('theta_0_median')!] as number[];
    expect(medians.every(Number.isFinite)).toBe(true);
    expect(Number(reference.getChild('n_observed')!.get(0))).toBe(1); // row 0 lacks x_1 and x_2
  });

  it('gives identical summaries for 2 and 4 workers and other chunk sizes', async () => {
    expectSameTable(reference, await summary(await run({ workers: 2, chunkRows: 17 })));
    expectSameTable(reference, await summary(await run({ workers: 4, chunkRows: 120 })));
  }, 120_000);

  it('falls back to CPU with a message when the provider is unavailable', async () => {
    const out = join(tempDir('fallback'), 'out');
    const logs: string[] = [];
    const result = await runInference(
      { model: TOY_MODEL, input, out, ...SMALL, provider: 'cuda', chunkRows: 200 },
      { log: (m) => logs.push(m) },
    );
    expect(result.provider).toBe('cpu');
    expect(logs.join('\n')).toMatch(/provider cuda unavailable/);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      provider: string;
      provider_notes: string[];
      columns: Record<string, string>;
    };
    expect(record.provider).toBe('cpu');
    expect(record.provider_notes[0]).toMatch(/cuda/);
    // The column notes say how the percentiles were taken; a model without log_age has no P(< 50 Myr).
    expect(record.columns['theta_0_*']).toMatch(/type 6/);
    expect(record.columns).not.toHaveProperty('p_age_lt_50myr');
    expectSameTable(reference, await summary(out));
  }, 60_000);

  it('resumes a cancelled run to the same result, and refuses to resume with other settings', async () => {
    const out = join(tempDir('cancel'), 'out');
    const controller = new AbortController();
    const first = await runInference(
      { model: TOY_MODEL, input, out, ...SMALL, chunkRows: 10 },
      { signal: controller.signal, progress: (done) => done >= 30 && controller.abort() },
    );
    expect(first.status).toBe('cancelled');
    expect(existsSync(join(out, 'summary.parquet'))).toBe(false);
    await expect(runInference({ model: TOY_MODEL, input, out, ...SMALL, chunkRows: 10 })).rejects.toThrow(
      /--resume/,
    );
    await expect(
      runInference({ model: TOY_MODEL, input, out, ...SMALL, steps: 5, resume: true }),
    ).rejects.toThrow(/settings.steps/);
    const second = await runInference({ model: TOY_MODEL, input, out, ...SMALL, resume: true });
    expect(second.status).toBe('complete');
    expect(second.resumedChunks).toBeGreaterThanOrEqual(3);
    expectSameTable(reference, await summary(out));
  }, 60_000);

  it('survives kill -9 mid-run: a resume completes it with nothing lost or duplicated', async () => {
    const out = join(tempDir('kill'), 'out');
    const big = writeToyCsv(tempDir('kill-input'), 200);
    const args = [
      'bin/cradle.mjs',
      'infer',
      '--model',
      TOY_MODEL,
      '--input',
      big,
      '--out',
      out,
      '--samples',
      '16',
      '--steps',
      '4',
      '--seed',
      '3',
      '--chunk-rows',
      '10',
      '--cores',
      '2',
      '--quiet',
    ];
    const child = spawn('node', args, { cwd: ROOT, stdio: 'ignore' });
    const chunks = join(out, 'chunks');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(chunks) && readdirSync(chunks).filter((n) => n.startsWith('summary-')).length >= 3) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run ended before it could be killed'));
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(join(out, 'summary.parquet'))).toBe(false);
    const resumed = await runInference({ model: TOY_MODEL, input: big, out, ...SMALL, resume: true });
    expect(resumed.resumedChunks).toBeGreaterThanOrEqual(3);
    expect(resumed.resumedChunks).toBeLessThan(20);
    const wholeDir = join(tempDir('whole'), 'out');
    await runInference({ model: TOY_MODEL, input: big, out: wholeDir, ...SMALL, chunkRows: 10 });
    const whole = await summary(wholeDir);
    const killed = await summary(out);
    expect([...killed.getChild('row')!].map(Number)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expectSameTable(whole, killed);
  }, 120_000);

  it('exports the summary to FITS, CSV and Parquet with the id columns', async () => {
    const out = join(tempDir('export'), 'out');
    await runInference({ model: TOY_MODEL, input, out, ...SMALL, chunkRows: 200 });
    const dir = tempDir('exported');
    for (const name of ['s.fits', 's.csv', 's.parquet']) {
      const { rows } = await exportSummary(out, join(dir, name));
      expect(rows).toBe(120);
    }
    const csv = readFileSync(join(dir, 's.csv'), 'utf8').split('\n');
    expect(csv[0]!.startsWith('row,source_id,theta_0_mean')).toBe(true);
    expect(csv[1]!.startsWith(`0,${4_000_000_000_000},`)).toBe(true);
    const fitsText = readFileSync(join(dir, 's.fits')).toString('latin1');
    expect(fitsText.slice(0, 9)).toBe('SIMPLE  =');
    // The sampler's provenance travels in the table header: the toy card's uniform grid, no final Euler.
    expect(fitsText).toMatch(/SOLVER {2}= 'heun\s*'/);
    expect(fitsText).toMatch(/TIMEGRID= 'uniform\s*'/);
    expect(fitsText).toMatch(/FINALEUL=\s+F /);
    expectSameTable(reference, (await readParquet(join(dir, 's.parquet'))).table);
  }, 60_000);

  it('reads a FITS table HDU and a mapping of renamed columns to the same result', async () => {
    const dir = tempDir('fits');
    const csv = (await readCatalog(input)).table;
    const renamed = buildTable(
      csv.schema.fields.map((f) => ({
        name: f.name.replace(/^x_(\d)$/, 'band$1').replace(/^x_(\d)_err$/, 'band$1_sigma'),
        vector: csv.getChild(f.name)!,
        info: {},
      })),
    );
    const fits = join(dir, 'stars.fits');
    writeFits(fits, [{ kind: 'table', table: renamed, name: 'STARS' }]);
    const mapping = join(dir, 'mapping.json');
    const names = [0, 1, 2].flatMap((i) => [
      [`x_${i}`, `band${i}`],
      [`x_${i}.err`, `band${i}_sigma`],
    ]);
    writeFileSync(mapping, JSON.stringify(Object.fromEntries(names)));
    const out = join(dir, 'out');
    await runInference({ model: TOY_MODEL, input: fits, hdu: 1, mapping, out, ...SMALL, chunkRows: 200 });
    expectSameTable(reference, await summary(out));
    await expect(
      runInference({ model: TOY_MODEL, input: fits, hdu: 3, mapping, out: join(dir, 'out3') }),
    ).rejects.toThrow(/HDU 3/);
  }, 60_000);

  it('writes samples.parquet (stars × samples rows) whose statistics are the summary', async () => {
    const out = join(tempDir('samples'), 'out');
    await runInference({ model: TOY_MODEL, input, out, ...SMALL, chunkRows: 50, keepSamples: true });
    const samples = (await readParquet(join(out, 'samples.parquet'))).table;
    expect(samples.numRows).toBe(120 * SMALL.samples);
    const rows = [...samples.getChild('row')!].map(Number);
    const theta = [...samples.getChild('theta_1')!] as number[];
    for (const star of [0, 7, 119]) {
      const mine = theta.filter((_, i) => rows[i] === star);
      expect(mine).toHaveLength(SMALL.samples);
      const mean = mine.reduce((a, b) => a + b, 0) / mine.length;
      expect(mean).toBeCloseTo(reference.getChild('theta_1_mean')!.get(star) as number, 5);
    }
    expectSameTable(reference, await summary(out));
  }, 60_000);

  it('names the file and the missing inputs when no column matches', async () => {
    const dir = tempDir('bad');
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    await expect(runInference({ model: TOY_MODEL, input: file, out: join(dir, 'out') })).rejects.toThrow(
      /bad\.csv: none of the model's inputs \(x_0, x_1, x_2\)/,
    );
  });
});
