// The "outside the training ranges" flag: the card's per-variable training range when it has one
// (written at export), the 5σ test in network space for cards without it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCard } from '../../../electron/inference/card.ts';
import type { CardVariable } from '../../../electron/inference/card.ts';
import { RANGE_SIGMA, starFlags } from '../../../electron/inference/flags.ts';
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
