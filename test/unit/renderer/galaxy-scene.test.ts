// The Galaxy scene's pure rules: the filter test a CPU selection applies (the shader's rule, including
// stars without a young-star probability), and the ring spacing the guides use.
import { describe, expect, it } from 'vitest';
import { keeps, ringStepPc, type GalaxyFilter } from '../../../renderer/views/galaxy/scene.ts';

const filter: GalaxyFilter = {
  logAgeMin: 6,
  logAgeMax: 8,
  logAgeErrorMax: 0.3,
  distanceMinPc: 100,
  distanceMaxPc: 1000,
  pYoungMin: 0.5,
};

describe('galaxy filter', () => {
  it('keeps a star only inside every range', () => {
    expect(keeps(filter, 7, 0.1, 500, 0.9)).toBe(true);
    expect(keeps(filter, 8.5, 0.1, 500, 0.9)).toBe(false);
    expect(keeps(filter, 7, 0.5, 500, 0.9)).toBe(false);
    expect(keeps(filter, 7, 0.1, 50, 0.9)).toBe(false);
    expect(keeps(filter, 7, 0.1, 500, 0.2)).toBe(false);
    expect(keeps(filter, Number.NaN, 0.1, 500, 0.9)).toBe(false);
  });

  it('drops stars without a young-star probability (−1) only when a minimum is set', () => {
    expect(keeps(filter, 7, 0.1, 500, -1)).toBe(false);
    expect(keeps({ ...filter, pYoungMin: -1 }, 7, 0.1, 500, -1)).toBe(true);
  });
});

describe('distance rings', () => {
  it('are 500 pc apart out to 5 kpc, then a round step giving about ten rings', () => {
    expect(ringStepPc(800)).toBe(500);
    expect(ringStepPc(5000)).toBe(500);
    expect(ringStepPc(12_000)).toBe(2000);
    expect(ringStepPc(30_000)).toBe(5000);
    expect(ringStepPc(90_000)).toBe(10_000);
  });
});
