import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
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
import { resumeDifference } from '../../../electron/inference/run-folder.ts';
import type { RunFingerprint } from '../../../electron/inference/run-folder.ts';
import type { InferOptions } from '../../../electron/inference/run.ts';
import { TOY_MODEL, expectSameTable, tempDir, writeToyCsv } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SMALL = { samples: 16, steps: 4, solver: 'heun', seed: 3, cores: 2 } as const;

let input: string;
let reference: Table;

async function summary(dir: string): Promise<Table> {
  return (await readParquet(join(dir, 'summary.parquet'))).table;
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
    // A finished chunk damaged on disk is named (parquet-wasm said only 'Dyn casting error'); deleted,
    // it is computed again.
    const chunk = join(out, 'chunks', 'summary-000000.parquet');
    const bytes = readFileSync(chunk);
    writeFileSync(chunk, bytes.subarray(0, 100));
    await expect(runInference({ model: TOY_MODEL, input, out, ...SMALL, resume: true })).rejects.toThrow(
      `${chunk}: not a readable Parquet file`,
    );
    rmSync(chunk);
    const second = await runInference({ model: TOY_MODEL, input, out, ...SMALL, resume: true });
    expect(second.status).toBe('complete');
    expect(second.resumedChunks).toBeGreaterThanOrEqual(3);
    expectSameTable(reference, await summary(out));
  }, 60_000);

  it('resumes when only the input file was rewritten with the same bytes, not when its bytes changed', async () => {
    const dir = tempDir('touched');
    const copy = join(dir, 'stars.csv');
    copyFileSync(input, copy);
    const out = join(dir, 'out');
    const controller = new AbortController();
    const first = await runInference(
      { model: TOY_MODEL, input: copy, out, ...SMALL, chunkRows: 10 },
      { signal: controller.signal, progress: (done) => done >= 30 && controller.abort() },
    );
    expect(first.status).toBe('cancelled');
    const later = new Date(Date.now() + 60_000);
    utimesSync(copy, later, later);
    const logs: string[] = [];
    const resumed = await runInference(
      { model: TOY_MODEL, input: copy, out, ...SMALL, resume: true },
      { log: (line) => logs.push(line) },
    );
    expect(resumed.status).toBe('complete');
    expect(resumed.resumedChunks).toBeGreaterThanOrEqual(3);
    expect(logs.join('\n')).toMatch(/same content \(SHA-256\): resuming/);
    expectSameTable(reference, await summary(out));
    // Same size, one digit changed: the content decides, and the run is not resumed.
    const text = readFileSync(copy, 'utf8');
    const at = text.indexOf('\n') + 3;
    writeFileSync(copy, text.slice(0, at) + (text[at] === '7' ? '8' : '7') + text.slice(at + 1));
    await expect(
      runInference({ model: TOY_MODEL, input: copy, out, ...SMALL, resume: true }),
    ).rejects.toThrow(/the input's content changed \(SHA-256 was [0-9a-f]{64}, now [0-9a-f]{64}\)/);
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
    expect(fitsText).toMatch(/EXTNAME = 'POSTERIORS'/);
    expect([...(await readCatalog(join(dir, 's.fits'))).table.getChild('source_id')!]).toEqual([
      ...reference.getChild('source_id')!,
    ]);
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
    await expect(runInference({ model: TOY_MODEL, input: dir, out: join(dir, 'out') })).rejects.toThrow(
      `${dir}: is a directory, not a table`,
    );
    // A mapping key that names nothing was ignored without a word.
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ 'foo.bar': 'a' }));
    await expect(
      runInference({ model: TOY_MODEL, input: file, out: join(dir, 'out'), mapping }),
    ).rejects.toThrow(/mapping: 'foo\.bar' is neither a quantity Cradle knows .* nor an input of/);
    // A table without rows said only 'Dyn casting error' (parquet-wasm, merging no chunks).
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'x_0,x_1,x_2\n');
    await expect(runInference({ model: TOY_MODEL, input: empty, out: join(dir, 'out') })).rejects.toThrow(
      `${empty}: the table has no rows: there is no star to infer`,
    );
  });

  it('says how many stars had no usable input and ran to the prior', async () => {
    const dir = tempDir('blind');
    const file = join(dir, 'blind.csv');
    writeFileSync(
      file,
      'source_id,x_0,x_0_err,x_1,x_1_err,x_2,x_2_err\n1,0.1,0.3,0.2,0.3,,\n2,,,,,,\n3,,,,,,\n',
    );
    const logs: string[] = [];
    const result = await runInference(
      { model: TOY_MODEL, input: file, out: join(dir, 'out'), samples: 8, steps: 2 },
      { log: (m) => logs.push(m) },
    );
    expect(result.status).toBe('complete');
    expect(logs).toContain(
      "2 of the 3 stars run had no usable model input (n_observed = 0): their posteriors are the model's prior",
    );
  });

  it("reports each star's share of samples outside the prior's support, and marks them in samples.parquet", async () => {
    // The toy's card with θ₀'s range cut to [0, 4.3]: about half of each star's samples now lie outside.
    const dir = tempDir('leakage');
    const model = join(dir, 'model');
    cpSync(TOY_MODEL, model, { recursive: true });
    const card = JSON.parse(readFileSync(join(model, 'card.json'), 'utf8')) as {
      variables: { name: string; range?: [number, number] }[];
    };
    card.variables.find((v) => v.name === 'theta_0')!.range = [0, 4.3];
    writeFileSync(join(model, 'card.json'), JSON.stringify(card));
    const logs: string[] = [];
    const out = join(dir, 'out');
    await runInference({ model, input, out, ...SMALL, keepSamples: true }, { log: (m) => logs.push(m) });
    const table = await summary(out);
    const samples = (await readParquet(join(out, 'samples.parquet'))).table;
    const rows = [...samples.getChild('row')!].map(Number);
    const theta = [...samples.getChild('theta_0')!] as number[];
    const inside = [...samples.getChild('inside_prior')!] as number[];
    theta.forEach((t, i) => expect(inside[i], `sample ${i}`).toBe(t >= 0 && t <= 4.3 ? 1 : 0));
    const leakage = [...table.getChild('prior_leakage')!] as number[];
    leakage.forEach((l, star) =>
      expect(l, `star ${star}`).toBe(
        inside.filter((v, i) => rows[i] === star && v === 0).length / SMALL.samples,
      ),
    );
    const over = leakage.filter((l) => l > 0.5).length;
    expect(over).toBeGreaterThan(10);
    expect(over).toBeLessThan(110);
    expect(logs).toContain(
      `${over} of the 120 stars run have more than half of their posterior samples outside the model's prior ` +
        '(prior_leakage > 0.5): the model would place them outside what it was trained on',
    );
    // The summaries keep every sample (the card's calibration was measured on all of them).
    expectSameTable(
      reference.select(['theta_0_mean', 'theta_0_p2_5']),
      table.select(['theta_0_mean', 'theta_0_p2_5']),
    );
    // With the toy's own ranges nothing leaks.
    expect(([...reference.getChild('prior_leakage')!] as number[]).every((l) => l === 0)).toBe(true);
  }, 60_000);

  it('refuses a photometry column that one bad cell made text, naming it and the cell', async () => {
    // A CSV column with a cell that is not a number reads as text (as in astropy); recognition passed
    // it over, and the run went ahead without that band for every star.
    const dir = tempDir('text-g');
    const file = join(dir, 'text-g.csv');
    writeFileSync(
      file,
      'source_id,phot_g_mean_mag,phot_bp_mean_mag,phot_rp_mean_mag\n1,15.2,15.6,14.7\n2,oops,15.1,14.2\n',
    );
    const model = fileURLToPath(new URL('../../fixtures/inference/adapted-toy', import.meta.url));
    await expect(runInference({ model, input: file, out: join(dir, 'out') })).rejects.toThrow(
      /text-g\.csv: column phot_g_mean_mag holds text, so the model's gaia\.g would not be read from it \(data row 2: 'oops'\)/,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('runInference with given parameters (--given)', () => {
  const numbers = (t: Table, name: string): number[] => [...t.getChild(name)!].map(Number);
  const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;

  it('conditions on a given value: its samples are that value, the others follow the joint posterior', async () => {
    // The toy model is a linear Gaussian, so each star's joint posterior is Gaussian and the posterior of
    // theta_1 given theta_0 = 1 has mean m1 + (c01 / c00) (1 − m0) from the joint samples' moments. The
    // Simformer's own conditional should agree: measured rms 0.27 against an rms shift of 1.08.
    const opts = {
      model: TOY_MODEL,
      input,
      samples: 256,
      steps: 8,
      solver: 'heun',
      seed: 3,
      cores: 2,
    } as const;
    const joint = join(tempDir('joint'), 'out');
    await runInference({ ...opts, out: joint, keepSamples: true });
    const given = join(tempDir('given'), 'out');
    const messages: string[] = [];
    await runInference(
      { ...opts, out: given, keepSamples: true, given: { theta_0: '1.0' } },
      { log: (m) => messages.push(m) },
    );
    expect(messages).toContain('conditioning on theta_0 = 1.0 for 120 of 120 stars');
    const a = (await readParquet(join(joint, 'samples.parquet'))).table;
    const b = (await readParquet(join(given, 'samples.parquet'))).table;
    expect(new Set(numbers(b, 'theta_0'))).toEqual(new Set([1]));
    const [ra, a0, a1, rb, b1] = [
      numbers(a, 'row'),
      numbers(a, 'theta_0'),
      numbers(a, 'theta_1'),
      numbers(b, 'row'),
      numbers(b, 'theta_1'),
    ];
    let error = 0;
    let shift = 0;
    for (let star = 0; star < 120; star += 1) {
      const x0 = a0.filter((_, i) => ra[i] === star);
      const x1 = a1.filter((_, i) => ra[i] === star);
      const [m0, m1] = [mean(x0), mean(x1)];
      const c00 = mean(x0.map((v) => (v - m0) ** 2));
      const c01 = mean(x0.map((v, i) => (v - m0) * (x1[i]! - m1)));
      const expected = m1 + (c01 / c00) * (1 - m0);
      error += (mean(b1.filter((_, i) => rb[i] === star)) - expected) ** 2;
      shift += (expected - m1) ** 2;
    }
    expect(Math.sqrt(shift / 120)).toBeGreaterThan(0.5);
    expect(Math.sqrt(error / shift)).toBeLessThan(0.45);
    const record = JSON.parse(readFileSync(join(given, 'run.json'), 'utf8')) as {
      input: { given?: unknown };
    };
    expect(record.input.given).toEqual({ theta_0: '1.0' });
    // Resuming with another given value is refused: the run's stars were conditioned on this one.
    await expect(
      runInference({ ...opts, out: given, keepSamples: true, given: { theta_0: '2.0' }, resume: true }),
    ).rejects.toThrow(/input\.given/);
  }, 120_000);

  it('takes a column or expression per star, inferring the stars outside the training range', async () => {
    // x_0 * 3 leaves the card's theta_0 range [-4.52, 4.31] for some stars: those keep theta_0 latent.
    const out = join(tempDir('given-column'), 'out');
    const messages: string[] = [];
    await runInference(
      { model: TOY_MODEL, input, out, ...SMALL, given: { theta_0: 'x_0 * 3' } },
      { log: (m) => messages.push(m) },
    );
    const x0 = numbers((await readCatalog(input)).table, 'x_0');
    const inside = x0.map((v) => v * 3 >= -4.524253966018758 && v * 3 <= 4.306517674560221);
    const count = inside.filter(Boolean).length;
    expect(count).toBeGreaterThan(60);
    expect(count).toBeLessThan(120);
    expect(
      messages.some((m) => m.startsWith(`conditioning on theta_0 = x_0 * 3 for ${count} of 120 stars`)),
    ).toBe(true);
    const result = await summary(out);
    const p16 = numbers(result, 'theta_0_p16');
    const p84 = numbers(result, 'theta_0_p84');
    const std = numbers(result, 'theta_0_std');
    // A given value is reported as given (not back through float32 network space).
    inside.forEach((given, star) => {
      if (given) {
        expect(p16[star]).toBe(x0[star]! * 3);
        expect(p84[star]).toBe(x0[star]! * 3);
        expect(std[star]).toBe(0);
      } else expect(p84[star]! - p16[star]!).toBeGreaterThan(0.05);
    });
  }, 60_000);

  it('names the problem with a given parameter', async () => {
    const out = (): string => join(tempDir('given-bad'), 'out');
    await expect(
      runInference({ model: TOY_MODEL, input, out: out(), ...SMALL, given: { x_0: '1' } }),
    ).rejects.toThrow(/--given x_0: not a parameter of .* \(its parameters: theta_0, theta_1\)/);
    await expect(
      runInference({ model: TOY_MODEL, input, out: out(), ...SMALL, given: { theta_0: '0', theta_1: '0' } }),
    ).rejects.toThrow(/every parameter .* nothing to infer/);
    await expect(
      runInference({ model: TOY_MODEL, input, out: out(), ...SMALL, given: { theta_0: '40' } }),
    ).rejects.toThrow(
      /stars\.csv: --given theta_0=40: no star has a value inside the model's training range/,
    );
    await expect(
      runInference({ model: TOY_MODEL, input, out: out(), ...SMALL, given: { theta_0: 'feh' } }),
    ).rejects.toThrow(/stars\.csv: --given theta_0=feh: .*'feh'/);
  }, 60_000);
});

describe('resumeDifference', () => {
  const record = (input: Partial<RunFingerprint['input']>): RunFingerprint => ({
    model: { name: 'm', card_sha256: 'c', graphs_sha256: 'g' },
    input: { file: '/x.csv', hdu: null, size: 10, mtime_ms: 1, rows: 2, mapping: {}, ...input },
    settings: {
      samples: 8,
      steps: 4,
      solver: 'heun',
      time_grid: 'uniform',
      final_euler: false,
      seed: 0,
      chunk_rows: 10,
      keep_samples: false,
    },
  });

  it('compares a run recorded before input hashes on size and modification time', () => {
    expect(resumeDifference(record({}), record({ sha256: 'a'.repeat(64) }))).toBeNull();
    expect(resumeDifference(record({}), record({ mtime_ms: 2, sha256: 'a'.repeat(64) }))).toMatch(
      /input.mtime_ms was 1, now 2/,
    );
  });

  it('lets the hash decide over the modification time, but not over other settings', () => {
    const hashed = record({ sha256: 'a'.repeat(64) });
    expect(resumeDifference(hashed, record({ mtime_ms: 5, sha256: 'a'.repeat(64) }))).toBeNull();
    expect(resumeDifference(hashed, record({ sha256: 'b'.repeat(64) }))).toMatch(/content changed/);
    expect(resumeDifference(hashed, record({ mtime_ms: 5, rows: 3, sha256: 'a'.repeat(64) }))).toMatch(
      /input.rows was 2, now 3/,
    );
  });
});
