// Shared by the adapted-model tests (adapted.test.ts, adapted-xp.test.ts): the committed toys' parity
// fixtures (cradle_models.adaptation.app_model) and a short run end to end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { expect } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import type { ModelCard } from '../../../electron/inference/card.ts';
import { runInference } from '../../../electron/inference/run.ts';
import { PosteriorSampler } from '../../../electron/inference/sampler.ts';
import type { ModelSessions } from '../../../electron/inference/sessions.ts';
import { UNIFORM } from '../../../electron/inference/solver.ts';
import type { StarBlock } from '../../../electron/inference/tokens.ts';

/** A star of a parity fixture: network-space inputs, its initial noise and the reference's samples. */
export interface ParityCase {
  label: string;
  values: number[];
  errors: number[];
  observed: boolean[];
  noise: number[][][];
  samples: number[][][];
}

export interface ParityFixture<C extends ParityCase = ParityCase> {
  steps: number;
  tolerance: number;
  cases: C[];
}

/** Samples `block` (one row per case) from the fixture's noise with Heun on the uniform grid, as the
 * reference did, and expects every case's samples within the fixture's tolerance. */
export async function expectReferenceSamples(
  sessions: ModelSessions,
  card: ModelCard,
  block: StarBlock,
  fixture: ParityFixture,
): Promise<void> {
  const P = card.architecture.n_variables;
  const samples = fixture.cases[0]!.noise[0]!.length;
  const sampler = new PosteriorSampler(sessions, card, {
    samples,
    steps: fixture.steps,
    solver: 'heun',
    schedule: UNIFORM,
    seed: 0,
    maxBatchRows: 8192,
    noise: (row, s, j) => fixture.cases[row]!.noise[0]![s]![j]!,
  });
  const got = await sampler.sampleBlock(block);
  fixture.cases.forEach((c, r) => {
    let worst = 0;
    for (let s = 0; s < samples; s += 1)
      for (let p = 0; p < P; p += 1)
        worst = Math.max(worst, Math.abs(got.values[(r * samples + s) * P + p]! - c.samples[0]![s]![p]!));
    expect(worst, c.label).toBeLessThan(fixture.tolerance);
  });
}

/** A toy's run of `input` into `out` (8 samples, Heun 4, one worker): its summary, whose every star has
 * finite posterior medians, and its run.json. */
export async function runToy(
  model: string,
  input: string,
  out: string,
): Promise<{ summary: Table; run: Record<string, unknown> }> {
  await runInference({ model, input, out, samples: 8, steps: 4, solver: 'heun', seed: 1, workers: 1 });
  const { table: summary } = await readParquet(join(out, 'summary.parquet'));
  for (const name of ['log_age_median', 'mass_init_median', 'distance_pc_median', 'av_p84'])
    expect(([...summary.getChild(name)!] as number[]).every(Number.isFinite), name).toBe(true);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
  return { summary, run };
}

/** The largest difference between two cases' reference samples: the fixture draws one noise for all
 * cases, so a difference is the inputs' doing (a model whose inputs had no effect would give 0). */
export function inputEffect(fixture: ParityFixture, a: number, b: number): number {
  const first = fixture.cases[a]!;
  const second = fixture.cases[b]!;
  expect(second.noise).toEqual(first.noise);
  let worst = 0;
  first.samples[0]!.forEach((sample, s) =>
    sample.forEach((x, p) => (worst = Math.max(worst, Math.abs(x - second.samples[0]![s]![p]!)))),
  );
  return worst;
}
