import { describe, expect, it } from 'vitest';
import { quantileSorted, summarise } from '../../../electron/inference/summary.ts';
import type { CardVariable } from '../../../electron/inference/card.ts';

describe('quantileSorted', () => {
  it('matches numpy.percentile (linear) on the same data', () => {
    // numpy.percentile([1, 2, 3, 4, 10], [2.5, 16, 50, 84, 97.5]) = [1.1, 1.64, 3., 6.16, 9.4]
    const sorted = Float64Array.of(1, 2, 3, 4, 10);
    const expected = [1.1, 1.64, 3, 6.16, 9.4];
    [0.025, 0.16, 0.5, 0.84, 0.975].forEach((q, i) =>
      expect(quantileSorted(sorted, q)).toBeCloseTo(expected[i]!, 12),
    );
  });
});

describe('summarise', () => {
  it('names columns canonically and applies the inverse transform before summarising', () => {
    const variable: CardVariable = {
      name: 'mass_init',
      role: 'parameter',
      unit: 'Msun',
      transform: { kind: 'log10', offset: 0 },
      mean: 0,
      std: 1,
      survey: null,
      error_handling: 'none',
    };
    // One star, four samples at log10 mass −1, 0, 0, 1 → masses 0.1, 1, 1, 10.
    const s = summarise({ rows: 1, samples: 4, parameters: 1, values: Float32Array.of(-1, 0, 0, 1) }, [
      variable,
    ]);
    expect(s.names).toEqual([
      'mass_init_mean',
      'mass_init_median',
      'mass_init_std',
      'mass_init_p2_5',
      'mass_init_p16',
      'mass_init_p84',
      'mass_init_p97_5',
    ]);
    const get = (name: string): number => s.columns[s.names.indexOf(name)]![0]!;
    expect(get('mass_init_mean')).toBeCloseTo(3.025, 6);
    expect(get('mass_init_median')).toBeCloseTo(1, 6);
    const mean = 3.025;
    const std = Math.sqrt(((0.1 - mean) ** 2 + 2 * (1 - mean) ** 2 + (10 - mean) ** 2) / 4);
    expect(get('mass_init_std')).toBeCloseTo(std, 6);
  });
});
