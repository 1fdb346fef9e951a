// The per-star flags: "outside the training ranges" (the card's per-variable training range when it has
// one, written at export; the 5σ test in network space for cards without it), the misspecification
// score (joint under the card's observables covariance), and the card sections they read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCard } from '../../../electron/inference/card.ts';
import type { CardVariable } from '../../../electron/inference/card.ts';
import { MISSPEC_LIMIT, misspecLimit, RANGE_SIGMA, starFlags } from '../../../electron/inference/flags.ts';
import type { StarBlock } from '../../../electron/inference/tokens.ts';
import { TOY_MODEL } from './helpers.ts';

const observable = (over: Partial<CardVariable>): CardVariable => ({
  name: 'x',
  role: 'observable',
  unit: 'mag',
  transform: { kind: 'identity', offset: 0 },
  mean: 10,
  std: 2,
  survey: 'toy',
  error_handling: 'none',
  ...over,
});

/** One star per network value z of a single observed variable. */
function block(z: number[]): StarBlock {
  return {
    start: 0,
    rows: z.length,
    width: 1,
    values: Float32Array.from(z),
    errors: new Float32Array(z.length),
    observed: new Uint8Array(z.length).fill(1),
  };
}

describe('outside_training flag', () => {
  it('uses the card range (physical units) when the variable has one', () => {
    // range [8, 11] mag with mean 10, std 2: z = (x − 10)/2, so x = 7.9 → z −1.05, x = 11.2 → z 0.6.
    const v = observable({ range: [8, 11] });
    const z = [-1.05, -1, 0, 0.5, 0.6];
    expect(Array.from(starFlags(block(z), [v]).outsideTraining)).toEqual([1, 0, 0, 0, 1]);
  });

  it(`falls back to |z| > ${RANGE_SIGMA} without a range`, () => {
    const z = [-RANGE_SIGMA - 0.01, -RANGE_SIGMA + 0.01, 0, RANGE_SIGMA - 0.01, RANGE_SIGMA + 0.01];
    expect(Array.from(starFlags(block(z), [observable({})]).outsideTraining)).toEqual([1, 0, 0, 0, 1]);
  });

  it('ignores inputs that are not observed', () => {
    const b = block([100]);
    b.observed[0] = 0;
    expect(starFlags(b, [observable({ range: [8, 11] })]).outsideTraining[0]).toBe(0);
  });
});

describe('card ranges', () => {
  const raw = JSON.parse(readFileSync(join(TOY_MODEL, 'card.json'), 'utf8')) as {
    variables: Record<string, unknown>[];
  };

  it('the shipped toy card carries a training range for every variable', () => {
    const card = parseCard(raw, 'toy card.json');
    for (const v of card.variables) {
      expect(v.range, v.name).toBeDefined();
      expect(v.range![0]).toBeLessThan(v.range![1]);
    }
  });

  it('loads a card written before ranges (no range: the 5σ fallback)', () => {
    const old = structuredClone(raw);
    for (const v of old.variables) delete v['range'];
    const card = parseCard(old, 'old card.json');
    expect(card.variables.every((v) => v.range === undefined)).toBe(true);
  });

  it('refuses a range whose min exceeds its max, naming the variable', () => {
    const bad = structuredClone(raw);
    bad.variables[2]!['range'] = [5, 1];
    expect(() => parseCard(bad, 'bad card.json')).toThrow(/bad card\.json: variables\.2\.range/);
  });
});

describe('card domain adaptation', () => {
  const raw = JSON.parse(readFileSync(join(TOY_MODEL, 'card.json'), 'utf8')) as Record<string, unknown>;

  it('reads whether the model was adapted, and loads cards written before the field', () => {
    expect(parseCard(raw, 'toy card.json').domain_adaptation).toMatchObject({ adapted: false, method: null });
    const adapted = { ...raw, domain_adaptation: { adapted: true, method: 'keypoint-guided OT + pairs' } };
    expect(parseCard(adapted, 'adapted card.json').domain_adaptation).toMatchObject({
      adapted: true,
      method: 'keypoint-guided OT + pairs',
      note: null,
    });
    const old = { ...raw };
    delete old['domain_adaptation'];
    expect(parseCard(old, 'old card.json').domain_adaptation).toBeUndefined();
  });

  it('refuses a section that does not say whether it was adapted', () => {
    const bad = { ...raw, domain_adaptation: { adapted: 'no' } };
    expect(() => parseCard(bad, 'bad card.json')).toThrow(/bad card\.json: domain_adaptation\.adapted/);
  });
});

describe('card prior marginals', () => {
  const raw = JSON.parse(readFileSync(join(TOY_MODEL, 'card.json'), 'utf8')) as Record<string, unknown>;

  it("reads each parameter's training histogram, and loads cards written before it", () => {
    const marginals = parseCard(raw, 'toy card.json').prior_marginals;
    expect(marginals).toBeDefined();
    for (const histogram of Object.values(marginals!))
      expect(histogram.edges).toHaveLength(histogram.density.length + 1);
    const old = { ...raw };
    delete old['prior_marginals'];
    expect(parseCard(old, 'old card.json').prior_marginals).toBeUndefined();
  });

  it('refuses a histogram with as many edges as densities, naming it', () => {
    const bad = { ...raw, prior_marginals: { log_age: { edges: [6, 7], density: [1, 2] } } };
    expect(() => parseCard(bad, 'bad card.json')).toThrow(/bad card\.json: prior_marginals\.log_age/);
  });
});

describe('misspecification score', () => {
  /** Stars of three observed inputs a, b, c (network values), optionally with c missing. */
  function stars(rows: [number, number, number, boolean][]): StarBlock {
    return {
      start: 0,
      rows: rows.length,
      width: 3,
      values: Float32Array.from(rows.flatMap(([a, b, c]) => [a, b, c])),
      errors: new Float32Array(3 * rows.length),
      observed: Uint8Array.from(rows.flatMap(([, , , hasC]) => [1, 1, hasC ? 1 : 0])),
    };
  }
  const vars = ['a', 'b', 'c'].map((name) => observable({ name }));
  const rho = 0.95;
  const correlated = {
    variables: ['a', 'b'],
    covariance: [
      [1, rho],
      [rho, 1],
    ],
  };

  it('is the standardised chi-square of independent inputs without a covariance', () => {
    const flags = starFlags(stars([[3, 3, 1, true]]), vars);
    expect(flags.misspecScore[0]).toBeCloseTo((9 + 9 + 1 - 3) / Math.sqrt(6), 6);
  });

  it('scores correlated inputs jointly: a shift along the correlation is typical, against it is not', () => {
    // d² = zᵀ Σ⁻¹ z: (3, 3) → 18 / (1 + ρ) = 9.23; (3, −3) → 18 / (1 − ρ) = 360; c (not in the
    // covariance) adds z² = 1 when observed.
    const flags = starFlags(
      stars([
        [3, 3, 1, true],
        [3, -3, 1, true],
        [3, 3, 0, false],
      ]),
      vars,
      correlated,
    );
    expect(flags.misspecScore[0]).toBeCloseTo((18 / (1 + rho) + 1 - 3) / Math.sqrt(6), 4);
    expect(flags.misspecScore[1]).toBeCloseTo((18 / (1 - rho) + 1 - 3) / Math.sqrt(6), 4);
    expect(flags.misspecScore[2]).toBeCloseTo((18 / (1 + rho) - 2) / 2, 4);
    expect(Array.from(flags.misspecified)).toEqual([0, 1, 0]);
    // Without the covariance the first star (bright in both correlated inputs) would be flagged.
    expect(starFlags(stars([[3, 3, 1, true]]), vars).misspecified[0]).toBe(1);
  });

  it("flags above the card's limit when it gives one, else above MISSPEC_LIMIT", () => {
    // The second star's score is (360 + 1 − 3)/√6 ≈ 146.
    const block = stars([
      [3, 3, 1, true],
      [3, -3, 1, true],
    ]);
    expect(misspecLimit(correlated)).toBe(MISSPEC_LIMIT);
    expect(Array.from(starFlags(block, vars, { ...correlated, limit: 100 }).misspecified)).toEqual([0, 1]);
    expect(Array.from(starFlags(block, vars, { ...correlated, limit: 200 }).misspecified)).toEqual([0, 0]);
  });

  it('the shipped toy card carries a square, symmetric covariance of its observables', () => {
    const raw = JSON.parse(readFileSync(join(TOY_MODEL, 'card.json'), 'utf8')) as unknown;
    const card = parseCard(raw, 'toy card.json');
    const { variables, covariance } = card.observables!;
    expect(variables).toEqual(card.variables.filter((v) => v.role === 'observable').map((v) => v.name));
    covariance.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(covariance[j]![i]!, 12)));
    expect(card.observables!.limit).toBeGreaterThan(0);
    const bad = {
      ...(raw as Record<string, unknown>),
      observables: { variables: ['x_0'], covariance: [[1, 0]] },
    };
    expect(() => parseCard(bad, 'bad card.json')).toThrow(/bad card\.json: observables/);
  });
});
