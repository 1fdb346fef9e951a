import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultFirst, defaultModelName } from '../../../electron/inference/card.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { WORKERS_PER_CORE, mostWorkers } from '../../../electron/jobs/worker-limit.ts';
import { TOY_MODEL, tempDir, writeToyCsv } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const cradle = (...args: string[]) =>
  spawnSync('node', ['bin/cradle.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
/** `cradle infer` of the toy model on `input` into `out`, small and quiet, with `extra` flags. */
const inferToy = (input: string, out: string, ...extra: string[]) =>
  cradle(
    'infer',
    '--model',
    TOY_MODEL,
    '--input',
    input,
    '--out',
    out,
    '--samples',
    '4',
    '--steps',
    '2',
    '--workers',
    '1',
    '--quiet',
    ...extra,
  );

describe('cradle infer / models', () => {
  it('exports a finished run with `infer export` and lists the shipped models', async () => {
    const dir = tempDir('cli');
    const out = join(dir, 'run');
    await runInference({
      model: TOY_MODEL,
      input: writeToyCsv(dir, 20),
      out,
      samples: 8,
      steps: 2,
      workers: 1,
    });
    const exported = cradle('infer', 'export', out, join(dir, 'summary.csv'));
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ rows: 20 });
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(
      /^row,source_id,theta_0_mean,/,
    );
    const listed = cradle('models', 'list');
    expect(listed.status, listed.stderr).toBe(0);
    const names = (JSON.parse(listed.stdout) as { name: string }[]).map((m) => m.name);
    expect(names).toContain('toy-gaussian');
    // The package's default model comes first (cradle infer without --model takes it), then by name.
    expect(names[0]).toBe(defaultModelName());
    expect(
      ['zeta', 'alpha', 'cradle-small'].map((name) => ({ name })).sort(defaultFirst('cradle-small')),
    ).toEqual([{ name: 'cradle-small' }, { name: 'alpha' }, { name: 'zeta' }]);
  }, 60_000);

  it('says what is missing, on one line, with exit status 1', () => {
    const result = cradle('infer', '--out', join(tempDir('cli-bad'), 'run'));
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'cradle: infer needs --input FILE and --out DIR (see cradle infer --help)',
    );
  });

  it('says a models folder does not exist rather than listing none', () => {
    const result = cradle('models', 'list', '--dir', '/no/such/models');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('cradle: /no/such/models: no such folder');
  });

  it('refuses an export it cannot write before running', () => {
    const dir = tempDir('cli-export');
    const result = cradle(
      'infer',
      '--input',
      'x.csv',
      '--out',
      join(dir, 'run'),
      '--export',
      join(dir, 'x.txt'),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("x.txt: cannot tell the output format from '.txt'");
  });

  it('refuses more workers than a few per core, for infer and simulate', () => {
    // 100,000 workers ran Node out of memory (infer) or grew to 9.5 GB of threads (simulate).
    const most = mostWorkers();
    const dir = tempDir('cli-workers');
    const infer = cradle(
      'infer',
      '--input',
      'x.csv',
      '--out',
      join(dir, 'run'),
      '--workers',
      String(most + 1),
    );
    expect(infer.status).toBe(1);
    expect(infer.stderr).toContain(`--workers must be at most ${most} (${WORKERS_PER_CORE} per core)`);
    for (const stars of ['0x10', '1e3'])
      expect(
        cradle('simulate', '--preset', 'demo', '--out', join(dir, 'sim'), '--stars', stars).stderr.trim(),
      ).toBe(`cradle: simulate: --stars must be a non-negative integer, got '${stars}'`);
    const simulate = cradle('simulate', '--preset', 'demo', '--out', join(dir, 'sim'), '--workers', '100000');
    expect(simulate.status).toBe(1);
    expect(simulate.stderr.trim()).toBe(
      `cradle: simulate: --workers must be at most ${most} (${WORKERS_PER_CORE} per core), got 100000`,
    );
  });

  it('takes --given NAME=VALUE, and refuses a malformed or repeated one', () => {
    const dir = tempDir('cli-given');
    const input = writeToyCsv(dir, 12);
    const run = (...given: string[]) =>
      inferToy(input, join(dir, `run-${given.length}`), ...given.flatMap((g) => ['--given', g]));
    const ok = run('theta_1 = x_1 * 0.5');
    expect(ok.status, ok.stderr).toBe(0);
    const record = JSON.parse(readFileSync(join(dir, 'run-1', 'run.json'), 'utf8')) as {
      input: { given: unknown };
    };
    expect(record.input.given).toEqual({ theta_1: 'x_1 * 0.5' });
    const malformed = run('theta_0');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toMatch(
      /--given wants NAME=VALUE \(e\.g\. mh=0\.03 or mh=fe_h\), got 'theta_0'/,
    );
    const twice = run('theta_0=0.5', 'theta_0=1');
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/--given theta_0 is given twice/);
  }, 60_000);

  it('runs a part with --part K/N and joins the parts with `infer merge`', () => {
    const dir = tempDir('cli-part');
    const input = writeToyCsv(dir, 9);
    const part = (k: string) => inferToy(input, join(dir, `part-${k.replace('/', '-')}`), '--part', k);
    for (const k of ['1/2', '2/2']) expect(part(k).status).toBe(0);
    // merge's --input is its own, not infer's: the merged run records that path (a copy here).
    const copy = join(dir, 'copy.csv');
    copyFileSync(input, copy);
    const merged = cradle(
      'infer',
      'merge',
      join(dir, 'all'),
      join(dir, 'part-2-2'),
      join(dir, 'part-1-2'),
      '--input',
      copy,
    );
    expect(merged.status, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ parts: 2, stars: 9 });
    const record = JSON.parse(readFileSync(join(dir, 'all', 'run.json'), 'utf8')) as {
      input: { file: string };
    };
    expect(record.input.file).toBe(copy);
    const zero = part('0/2');
    expect(zero.status).toBe(1);
    expect(zero.stderr).toMatch(/--part wants K\/N with 1 ≤ K ≤ N \(e\.g\. 3\/10\), got '0\/2'/);
  }, 60_000);
});
