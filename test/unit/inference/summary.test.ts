import { describe, expect, it } from 'vitest';
import { quantileSorted, summarise, YOUNG_COLUMN } from '../../../electron/inference/summary.ts';
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

describe('young-star probability', () => {
  it('is the fraction of log_age samples below 50 Myr, and only for models with log_age', () => {
    const logAge: CardVariable = {
      name: 'log_age',
      role: 'parameter',
      unit: 'dex',
      transform: { kind: 'identity', offset: 0 },
      mean: 0,
      std: 1,
      survey: null,
      error_handling: 'none',
    };
    // Two stars × five samples: ages 1, 10, 49, 51, 1000 Myr, then all 5 Gyr.
    const ages = [1e6, 1e7, 4.9e7, 5.1e7, 1e9, 5e9, 5e9, 5e9, 5e9, 5e9].map(Math.log10);
    const s = summarise({ rows: 2, samples: 5, parameters: 1, values: Float32Array.from(ages) }, [logAge]);
    const young = s.columns[s.names.indexOf(YOUNG_COLUMN)]!;
    expect(Array.from(young)).toEqual([0.6, 0]);
    const other = summarise({ rows: 1, samples: 1, parameters: 1, values: Float32Array.of(0) }, [
      { ...logAge, name: 'theta_0' },
    ]);
    expect(other.names).not.toContain(YOUNG_COLUMN);
  });
});
