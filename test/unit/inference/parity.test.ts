// The engine against native-models' parity fixture (models/toy-gaussian/parity.json, written by
// cradle_models.export.parity from the Python reference sampler): the same tokens, masks and noise
// must give the reference velocities and samples within the fixture's relative tolerance (1e-5).
// Each case is one star: per-star arrays have one row, noise and samples are [1, samples, n_latent].
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../electron/inference/card.ts';
import type { Solver } from '../../../electron/inference/card.ts';
import { parameterIndices } from '../../../electron/inference/sampler.ts';
import { openSessions } from '../../../electron/inference/sessions.ts';
import type { ModelSessions } from '../../../electron/inference/sessions.ts';
import { cardSchedule, integrate } from '../../../electron/inference/solver.ts';
import { contextMask, groupStars, latentMask } from '../../../electron/inference/tokens.ts';

const MODEL = fileURLToPath(new URL('../../../native-models/models/toy-gaussian', import.meta.url));

interface Case {
  label: string;
  present: boolean[];
  observed: boolean[];
  groups: number[];
  values: number[];
  errors: number[];
  context_ids: number[][];
  context_values: number[][];
  context_errors: number[][];
  context_mask: number[][][];
  latent_ids: number[][];
  latent_errors: number[][];
  latent_mask: number[][][];
  noise: number[][][];
  velocity_at_noise: Record<string, number[][][]>;
  samples: Record<Solver, number[][][]>;
}

interface Fixture {
  steps: number;
  /** The card's time grid and last-step rule; fixtures written before them sampled on the uniform grid. */
  time_grid?: { kind: 'uniform' } | { kind: 'power'; exponent: number };
  final_euler?: boolean;
  tolerance_relative: number;
  cases: Case[];
}

const present = existsSync(`${MODEL}/parity.json`);
const fixture: Fixture | null = present
  ? (JSON.parse(readFileSync(`${MODEL}/parity.json`, 'utf8')) as Fixture)
  : null;

const f32 = (rows: number[][] | number[][][]): Float32Array => Float32Array.from(rows.flat(2));
const i64 = (rows: number[][]): BigInt64Array => BigInt64Array.from(rows.flat().map(BigInt));

function relative(got: Float32Array, want: number[]): number {
  let diff = 0;
  let scale = 1e-12;
  want.forEach((w, i) => {
    diff = Math.max(diff, Math.abs(got[i]! - w));
    scale = Math.max(scale, Math.abs(w));
  });
  return diff / scale;
}

describe.skipIf(!present)('parity with the Python reference sampler (parity.json)', () => {
  let sessions: ModelSessions;
  beforeAll(async () => {
    sessions = await openSessions(loadModel(MODEL), { provider: 'cpu', threads: 1 });
  });
  afterAll(async () => sessions.release());

  async function velocityFn(c: Case): Promise<(x: Float32Array, t: number) => Promise<Float32Array>> {
    const b = c.context_ids.length;
    const nc = c.context_ids[0]!.length;
    const nl = c.latent_ids[0]!.length;
    const samples = c.noise[0]!.length;
    const kv = (
      await sessions.context.run({
        context_ids: new ort.Tensor('int64', i64(c.context_ids), [b, nc]),
        context_values: new ort.Tensor('float32', f32(c.context_values), [b, nc]),
        context_errors: new ort.Tensor('float32', f32(c.context_errors), [b, nc]),
        context_mask: new ort.Tensor('float32', f32(c.context_mask), [b, nc, nc]),
      })
    )['context_kv']!;
    return async (x, t) => {
      const out = await sessions.velocity.run({
        latent_ids: new ort.Tensor('int64', i64(c.latent_ids), [b, nl]),
        latent_values: new ort.Tensor('float32', x, [b, samples, nl]),
        latent_errors: new ort.Tensor('float32', f32(c.latent_errors), [b, nl]),
        t: new ort.Tensor('float32', new Float32Array(b).fill(t), [b]),
        context_kv: kv,
        latent_mask: new ort.Tensor('float32', f32(c.latent_mask), [b, nl, nl + nc]),
      });
      return out['velocity']!.data as Float32Array;
    };
  }

  const schedule = cardSchedule({
    time_grid: fixture?.time_grid ?? { kind: 'uniform' },
    final_euler: fixture?.final_euler ?? false,
  });
  for (const c of fixture?.cases ?? []) {
    it(`${c.label}: velocities and samples for every solver`, async () => {
      const velocity = await velocityFn(c);
      const noise = f32(c.noise);
      for (const [t, want] of Object.entries(c.velocity_at_noise)) {
        expect(relative(await velocity(noise, Number(t)), want.flat(2))).toBeLessThanOrEqual(
          fixture!.tolerance_relative,
        );
      }
      for (const solver of ['euler', 'heun', 'midpoint'] as const) {
        const x = await integrate(velocity, noise, fixture!.steps, solver, schedule);
        expect(relative(x, c.samples[solver].flat(2)), solver).toBeLessThanOrEqual(
          fixture!.tolerance_relative,
        );
      }
    });
  }

  it('builds the same tokens and masks as the reference for posterior conditions', () => {
    const card = loadModel(MODEL).card;
    const width = card.variables.length;
    let checked = 0;
    for (const c of fixture!.cases.filter(
      (k) =>
        k.groups.every((g) => g === 0) &&
        // a posterior: every present observable observed, no parameter observed
        card.variables.every((v, j) => !k.present[j] || k.observed[j] === (v.role === 'observable')),
    )) {
      const observed = Uint8Array.from(c.observed.map((o, j) => (o && c.present[j] ? 1 : 0)));
      const block = {
        start: 0,
        rows: 1,
        width,
        values: Float32Array.from(c.values.map((v) => v ?? 0)),
        errors: Float32Array.from(c.errors),
        observed,
      };
      const latent = parameterIndices(card).filter((j) => c.present[j]);
      const [group] = groupStars(block, latent);
      const contextIds = group!.contextIds.length > 0 ? group!.contextIds : [0]; // the padding token
      expect(contextIds, c.label).toEqual(c.context_ids[0]);
      expect(group!.latentIds, c.label).toEqual(c.latent_ids[0]);
      expect(Array.from(contextMask(group!)), c.label).toEqual(c.context_mask[0]!.flat());
      expect(Array.from(latentMask(group!, card.attention_mask.blocked)), c.label).toEqual(
        c.latent_mask[0]!.flat(),
      );
      checked += 1;
    }
    expect(checked).toBe(2); // posterior, missing observables
  });
});
