// The prior's support on posterior samples: samples outside the card's parameter ranges are marked and
// counted in prior_leakage (support.ts).
import { describe, expect, it } from 'vitest';
import type { CardVariable } from '../../../electron/inference/card.ts';
import { insidePrior, priorLeakage } from '../../../electron/inference/support.ts';

function parameter(name: string, range?: [number, number]): CardVariable {
  return {
    name,
    role: 'parameter',
    unit: '',
    transform: { kind: 'identity', offset: 0 },
    mean: 0,
    std: 1,
    survey: null,
    error_handling: 'none',
    ...(range === undefined ? {} : { range }),
  };
}

describe('prior support', () => {
  const av = parameter('av', [0, 8.3]);
  const age = parameter('log_age', [6, 10.1]);

  it('marks a sample outside when any parameter leaves its range, and counts the share per star', () => {
    // Two stars × three samples × (av, log_age).
    const physical = Float64Array.of(
      ...[0.5, 7, 2480, 7, 0.4, 5.9], // star 0: the second sample's A_V and the third's age are outside
      ...[0, 6, 8.3, 10.1, 1, 8], // star 1: the range ends are inside
    );
    const shape = { rows: 2, samples: 3, parameters: 2 };
    const inside = insidePrior(physical, shape, [av, age]);
    expect(Array.from(inside)).toEqual([1, 0, 0, 1, 1, 1]);
    expect(Array.from(priorLeakage(inside, 2, 3))).toEqual([2 / 3, 0]);
  });

  it('does not restrict a parameter without a range, or one the user gave', () => {
    const physical = Float64Array.of(50, 12, 50, 13);
    const shape = { rows: 1, samples: 2, parameters: 2 };
    expect(Array.from(insidePrior(physical, shape, [parameter('mh'), age]))).toEqual([0, 0]);
    expect(Array.from(insidePrior(physical, shape, [av, parameter('mh')]))).toEqual([0, 0]);
    // log_age given as 12 (outside its range): only A_V decides, and 50 mag is outside.
    expect(
      Array.from(insidePrior(physical, shape, [parameter('mh'), age], Float64Array.of(NaN, 12))),
    ).toEqual([1, 1]);
  });
});
