// An adapted model (modality encoders before the Simformer) through the engine: the committed toy
// (test/fixtures/inference/adapted-toy, written with its parity fixture by
// `python -m cradle_models.adaptation.app_model --toy DIR`) must give the PyTorch reference's samples
// from the same noise, run end to end from a catalog, and its card must be checked on the way in.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { loadModel, parseCard } from '../../../electron/inference/card.ts';
import { blockOf, prepareInputs } from '../../../electron/inference/inputs.ts';
import { PosteriorSampler } from '../../../electron/inference/sampler.ts';
import { openSessions } from '../../../electron/inference/sessions.ts';
import type { ModelSessions } from '../../../electron/inference/sessions.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { UNIFORM } from '../../../electron/inference/solver.ts';
import { tempDir } from './helpers.ts';

const MODEL = fileURLToPath(new URL('../../fixtures/inference/adapted-toy', import.meta.url));

interface Case {
  label: string;
  values: number[];
  errors: number[];
  observed: boolean[];
  noise: number[][][];
  samples: number[][][];
}

const fixture = JSON.parse(readFileSync(join(MODEL, 'parity.json'), 'utf8')) as {
  steps: number;
  tolerance: number;
  cases: Case[];
};
type Modalities = { modalities: { variables: string[] }[] };
const rawCard = JSON.parse(readFileSync(join(MODEL, 'card.json'), 'utf8')) as Record<string, unknown>;

describe('an adapted model: encoders, then the Simformer', () => {
  let sessions: ModelSessions;
  beforeAll(async () => {
    sessions = await openSessions(loadModel(MODEL), { provider: 'cpu', threads: 1 });
  });
  afterAll(async () => sessions.release());

  it('gives the PyTorch reference samples from the same noise (all inputs, half missing, none)', async () => {
    const model = loadModel(MODEL);
    const P = model.card.architecture.n_variables;
    const width = model.card.variables.length;
    const rows = fixture.cases.length;
    const values = new Float32Array(rows * width);
    const errors = new Float32Array(rows * width);
    const observed = new Uint8Array(rows * width);
    fixture.cases.forEach((c, r) => {
      c.observed.forEach((o, k) => {
        values[r * width + P + k] = c.values[k]!;
        errors[r * width + P + k] = c.errors[k]!;
        observed[r * width + P + k] = o ? 1 : 0;
      });
    });
    const samples = fixture.cases[0]!.noise[0]!.length;
    const sampler = new PosteriorSampler(sessions, model.card, {
      samples,
      steps: fixture.steps,
      solver: 'heun',
      schedule: UNIFORM,
      seed: 0,
      maxBatchRows: 8192,
      noise: (row, s, j) => fixture.cases[row]!.noise[0]![s]![j]!,
    });
    const got = await sampler.sampleBlock({ start: 0, rows, width, values, errors, observed });
    fixture.cases.forEach((c, r) => {
      let worst = 0;
      for (let s = 0; s < samples; s += 1)
        for (let p = 0; p < P; p += 1)
          worst = Math.max(worst, Math.abs(got.values[(r * samples + s) * P + p]! - c.samples[0]![s]![p]!));
      expect(worst, c.label).toBeLessThan(fixture.tolerance);
    });
    // The cases differ: the encoders' tokens move the posterior.
    expect(fixture.cases[0]!.samples[0]![0]![0]).not.toBeCloseTo(fixture.cases[2]!.samples[0]![0]![0]!, 3);
  });

  it('runs from a catalog: every parameter inferred, a missing uncertainty taken from the card', async () => {
    const dir = tempDir('adapted');
    const lines = ['source_id,phot_g_mean_mag,phot_bp_mean_mag,phot_rp_mean_mag,parallax,parallax_error'];
    for (let r = 0; r < 30; r += 1) {
      const g = 9 + (r % 8);
      lines.push(`${1000 + r},${g},${g + 0.9},${g - 0.7},${r % 5 === 0 ? '' : 1 + (r % 4)},0.05`);
    }
    const input = join(dir, 'stars.csv');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'out');
    await runInference({
      model: MODEL,
      input,
      out,
      samples: 8,
      steps: 4,
      solver: 'heun',
      seed: 1,
      workers: 1,
    });
    const { table } = await readParquet(join(out, 'summary.parquet'));
    expect(table.numRows).toBe(30);
    for (const name of ['log_age_median', 'mass_init_median', 'distance_pc_median', 'av_p84'])
      expect(([...table.getChild(name)!] as number[]).every(Number.isFinite), name).toBe(true);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      model: { name: string; adapted: boolean; adaptation_method: string | null };
    };
    expect(run.model).toMatchObject({ name: 'adapted-toy', adapted: true, adaptation_method: 'test' });
    // G has no uncertainty column: the encoder gets the card's typical one; parallax keeps its own.
    const model = loadModel(MODEL);
    const { table: stars } = await readCatalog(input);
    const block = blockOf(prepareInputs(stars, model.card, input), model.card, 0, 30);
    const at = (name: string): number => model.card.variables.findIndex((v) => v.name === name);
    const g = model.card.variables[at('gaia.g')]!;
    const plx = model.card.variables[at('gaia.parallax')]!;
    expect(block.errors[at('gaia.g')]).toBeCloseTo(g.typical_error! / g.std, 6);
    expect(block.errors[block.width + at('gaia.parallax')]).toBeCloseTo(0.05 / plx.std, 6);
    await expect(
      runInference({ model: MODEL, input, out: join(dir, 'given'), given: { log_age: '7' }, workers: 1 }),
    ).rejects.toThrow(/modality encoders/);
  }, 60_000);

  it('checks an adapted card: parameters first, each observable read by exactly one encoder', () => {
    expect(() => parseCard(rawCard, 'card.json')).not.toThrow();
    const variables = rawCard['variables'] as { name: string; role: string }[];
    const edit = (change: (card: Record<string, unknown>) => void): Record<string, unknown> => {
      const card = structuredClone(rawCard);
      change(card);
      return card;
    };
    expect(() =>
      parseCard(
        edit((c) => {
          (c['encoders'] as Modalities).modalities[0]!.variables.push('log_age');
        }),
        'card.json',
      ),
    ).toThrow(/reads 'log_age', which is not an observable/);
    expect(() =>
      parseCard(
        edit((c) => {
          (c['encoders'] as Modalities).modalities[0]!.variables.pop();
        }),
        'card.json',
      ),
    ).toThrow(/no encoder reads the observable 'gaia.parallax'/);
    expect(() =>
      parseCard(
        edit((c) => {
          c['variables'] = [...variables.slice(4), ...variables.slice(0, 4)];
        }),
        'card.json',
      ),
    ).toThrow(/parameters first/);
    expect(() =>
      parseCard(
        edit((c) => {
          (c['graphs'] as { context: { inputs: { name: string }[] } }).context.inputs.pop();
        }),
        'card.json',
      ),
    ).toThrow(/graphs.context lacks the input 'token_valid'/);
  });
});
