// The Infer/Models/Star views' methods through Host.dispatch: model cards as listed (cost breakdown,
// calibration, plots), a catalogue's recognition with a saved mapping, and a finished run read back
// as windows of summary rows and one star's posterior (summary quantiles, samples, inputs), exported;
// an infer job cancelled and resumed as the Infer view drives it.
import { existsSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../electron/api/events.ts';
import type { MethodName, MethodResult } from '../../../electron/api/methods.ts';
import { Host } from '../../../electron/host/host.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { TOY_MODEL, tempDir, writeToyCsv } from '../inference/helpers.ts';

let work: string;
let host: Host;
let csv: string;
let runDir: string;

async function call<M extends MethodName>(method: M, params: unknown): Promise<MethodResult<M>> {
  const reply = await host.dispatch(method, params);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result as MethodResult<M>;
}

beforeAll(async () => {
  work = tempDir('host-infer');
  process.env['CRADLE_HOME'] = join(work, 'settings');
  host = new Host({ settingsDir: join(work, 'settings'), transport: 'browser', jobConcurrency: 1 });
  csv = writeToyCsv(work, 40);
  runDir = join(work, 'run');
  await runInference({
    model: TOY_MODEL,
    input: csv,
    out: runDir,
    samples: 32,
    steps: 4,
    workers: 1,
    keepSamples: true,
  });
}, 120_000);

afterAll(async () => {
  await host.dispose();
  delete process.env['CRADLE_HOME'];
  await rm(work, { recursive: true, force: true });
});

describe('models', () => {
  it('lists the shipped toy model with its card, cost breakdown and plots', async () => {
    const list = await call('models.list', {});
    const toy = list.models.find((m) => m.name === 'toy-gaussian');
    expect(toy).toBeDefined();
    expect(toy!.variables.filter((v) => v.role === 'parameter').map((v) => v.name)).toEqual([
      'theta_0',
      'theta_1',
    ]);
    // The card's FLOPs per star is 2 × (context + velocity × evaluations × samples) of its own breakdown.
    const { contextMultiplyAdds, velocityMultiplyAddsPerEvaluation } = toy!.costBreakdown!;
    const perStep = toy!.evaluationsPerStep[toy!.sampler.solver]!;
    const perSample = toy!.sampler.steps * perStep - (toy!.sampler.finalEuler ? perStep - 1 : 0);
    const evaluations = perSample * toy!.sampler.samplesPerStar;
    expect(2 * (contextMultiplyAdds + velocityMultiplyAddsPerEvaluation * evaluations)).toBe(
      toy!.flopsPerStar,
    );
    // The card says the model was not adapted to real data (cradle_models.export.card NOT_ADAPTED).
    expect(toy!.domainAdaptation).toMatchObject({ adapted: false, method: null });
    expect(toy!.domainAdaptation!.note).toContain('simulations only');
    expect(toy!.plots).toContain('tarp_all.png');
    const plot = await call('models.plot', { model: toy!.dir, file: 'tarp_all.png' });
    expect(Array.from(plot.png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    expect(await host.dispatch('models.plot', { model: toy!.dir, file: '../card.json' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-params' },
    });
  });
});

describe('an adapted shipped model', () => {
  it('lists real-da-kpg with its encoder, its adaptation and no [M/H]', async () => {
    const list = await call('models.list', {});
    const da = list.models.find((m) => m.name === 'real-da-kpg');
    expect(da).toBeDefined();
    expect(da!.domainAdaptation).toMatchObject({ adapted: true, method: 'kpg' });
    // Photometry only: its inputs are its encoder's variables, one by one, each with its survey.
    expect(da!.inputs.map((i) => i.name)).toEqual(da!.encoders![0]!.variables);
    expect(da!.inputs.find((i) => i.name === 'tmass.ks')?.survey).toBe('tmass');
    expect(da!.encoders).toEqual([
      {
        name: 'photometry',
        variables: [
          'gaia.g',
          'gaia.bp',
          'gaia.rp',
          'tmass.j',
          'tmass.h',
          'tmass.ks',
          'wise.w1',
          'wise.w2',
          'gaia.parallax',
        ],
        tokens: 2,
        spectrum: null,
      },
    ]);
    expect(da!.variables.filter((v) => v.role === 'parameter').map((v) => v.name)).toEqual([
      'log_age',
      'mass_init',
      'distance_pc',
      'av',
    ]);
    expect(list.models.find((m) => m.name === 'toy-gaussian')!.encoders).toBeNull();
  });
});

describe('catalog', () => {
  it('counts observed stars per quantity and applies a saved mapping', async () => {
    const before = await call('catalog.inspect', { path: csv });
    expect(before.rows).toBe(40);
    await call('catalog.saveMapping', { path: csv, quantities: { 'gaia.g': { expression: 'x_0 + 15' } } });
    const after = await call('catalog.inspect', { path: csv });
    expect(after.mapping).toEqual({ 'gaia.g': { expression: 'x_0 + 15' } });
    const withModel = await call('catalog.inspect', { path: csv, model: 'toy-gaussian' });
    // Every 5th star lacks x_1 and every 7th x_2 (helpers.ts): 40 − 8 and 40 − 6 stars have them.
    expect(withModel.modelInputs).toEqual([
      { name: 'x_0', source: 'x_0', observed: 40 },
      { name: 'x_1', source: 'x_1', observed: 32 },
      { name: 'x_2', source: 'x_2', observed: 34 },
    ]);
    const g = after.quantities.find((q) => q.name === 'gaia.g');
    expect(g).toMatchObject({ expression: 'x_0 + 15', via: 'override', observed: 40 });
  });

  it('says where the demo sky goes and that it is not there yet', async () => {
    const demo = await call('demo.sky', {});
    expect(demo).toEqual({
      dir: join(work, 'settings', 'demo-sky'),
      catalog: join(work, 'settings', 'demo-sky', 'catalog.parquet'),
      exists: false,
    });
  });
});

describe('runs', () => {
  it('reads a finished run in windows and one star with its samples', async () => {
    const info = await call('runs.info', { runDir });
    expect(info).toMatchObject({
      status: 'complete',
      model: 'toy-gaussian',
      rows: 40,
      hasSamples: true,
    });
    expect(info.parameters.length).toBeGreaterThan(0);
    const window = await call('runs.summaryWindow', { runDir, start: 30, count: 50 });
    expect(window.total).toBe(40);
    expect(window.rows).toHaveLength(10);
    expect(window.rows[0]![window.columns.indexOf('row')]).toBe('30');
    const star = await call('runs.star', { runDir, row: 35 });
    expect(star.sourceId).toBe(String(4_000_000_000_000 + 35 * 13));
    // Every 5th star lacks x_1 and every 7th x_2 (helpers.ts): row 35 has only x_0.
    expect(star.inputs.map((i) => i.value === null)).toEqual([false, true, true]);
    const p = star.parameters[0]!;
    expect(p.samples).toHaveLength(32);
    const sorted = Array.from(p.samples!).sort((a, b) => a - b);
    expect(p.median).toBeCloseTo((sorted[15]! + sorted[16]!) / 2, 5);
    await expect(call('runs.star', { runDir, row: 40 })).rejects.toThrow(/row 40 is past the 40 rows/);
    const bySource = await call('runs.star', { runDir, sourceId: String(4_000_000_000_000 + 35 * 13) });
    expect(bySource.row).toBe(35);
    await expect(call('runs.star', { runDir, sourceId: '12' })).rejects.toThrow(/no star with source_id 12/);
    await expect(call('runs.star', { runDir })).rejects.toThrow(/exactly one of row and sourceId/);
  });

  it('exports the summary and refuses a folder that is not a run', async () => {
    const target = join(work, 'out.csv');
    expect(await call('runs.export', { runDir, target })).toEqual({ file: target, rows: 40 });
    expect(existsSync(target)).toBe(true);
    await expect(call('runs.info', { runDir: work })).rejects.toThrow(/not a run folder/);
  });
});

describe('infer job', () => {
  it('is cancelled through jobs.cancel and resumed from its finished chunks', async () => {
    mkdirSync(join(work, 'big'));
    const input = writeToyCsv(join(work, 'big'), 600);
    const out = join(work, 'run-cancel');
    const events: ApiEvent[] = [];
    const stop = host.subscribe((event) => events.push(event));
    const params = { model: TOY_MODEL, input, out, samples: 16, steps: 2, chunkRows: 50, workers: 1 };
    const first = await call('jobs.start', { kind: 'infer', params });
    await expect
      .poll(() => events.some((e) => e.type === 'job.progress' && e.id === first.id && e.progress.done > 0), {
        timeout: 60_000,
      })
      .toBe(true);
    expect(await call('jobs.cancel', { id: first.id })).toEqual({ cancelled: true });
    await expect
      .poll(() => events.find((e) => 'id' in e && e.id === first.id && e.type === 'job.cancelled'), {
        timeout: 60_000,
      })
      .toBeDefined();
    expect((await call('runs.info', { runDir: out })).status).toBe('cancelled');

    const second = await call('jobs.start', { kind: 'infer', params: { ...params, resume: true } });
    await expect
      .poll(() => events.find((e) => e.type === 'job.done' && e.id === second.id), { timeout: 60_000 })
      .toBeDefined();
    stop();
    const done = events.find((e) => e.type === 'job.done' && e.id === second.id);
    expect(
      done?.type === 'job.done' && done.result.kind === 'infer' ? done.result.value : null,
    ).toMatchObject({
      status: 'complete',
      stars: 600,
    });
    const resumed =
      done?.type === 'job.done' && done.result.kind === 'infer' ? done.result.value.resumedChunks : 0;
    expect(resumed).toBeGreaterThanOrEqual(1);
    expect((await call('runs.info', { runDir: out })).rows).toBe(600);
  }, 150_000);
});
