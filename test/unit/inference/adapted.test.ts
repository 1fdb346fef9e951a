// An adapted model (modality encoders before the Simformer) through the engine: the committed toy
// (test/fixtures/inference/adapted-toy, written with its parity fixture by
// `python -m cradle_models.adaptation.app_model --toy DIR`) must give the PyTorch reference's samples
// from the same noise, run end to end from a catalog, and its card must be checked on the way in.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { loadModel, parseCard } from '../../../electron/inference/card.ts';
import { blockOf, prepareInputs } from '../../../electron/inference/inputs.ts';
import { openSessions } from '../../../electron/inference/sessions.ts';
import type { ModelSessions } from '../../../electron/inference/sessions.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { expectReferenceSamples, inputEffect, runToy } from './adapted-helpers.ts';
import type { ParityFixture } from './adapted-helpers.ts';
import { tempDir } from './helpers.ts';

const MODEL = fileURLToPath(new URL('../../fixtures/inference/adapted-toy', import.meta.url));

const fixture = JSON.parse(readFileSync(join(MODEL, 'parity.json'), 'utf8')) as ParityFixture;
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
    await expectReferenceSamples(
      sessions,
      model.card,
      { start: 0, rows, width, values, errors, observed },
      fixture,
    );
    // From the same noise the cases differ: the encoders' tokens move the posterior.
    expect(inputEffect(fixture, 0, 1)).toBeGreaterThan(0.1);
    expect(inputEffect(fixture, 0, 2)).toBeGreaterThan(0.1);
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
    const { summary: table, run } = await runToy(MODEL, input, join(dir, 'out'));
    expect(table.numRows).toBe(30);
    expect(run['model']).toMatchObject({ name: 'adapted-toy', adapted: true, adaptation_method: 'test' });
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
