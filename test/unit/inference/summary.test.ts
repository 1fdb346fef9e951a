import { describe, expect, it } from 'vitest';
import { quantileSorted, summarise, YOUNG_COLUMN } from '../../../electron/inference/summary.ts';
import type { CardVariable } from '../../../electron/inference/card.ts';
import { normalAt } from '../../../electron/inference/random.ts';

describe('quantileSorted', () => {
  it('matches numpy.percentile(method="weibull") on the same data', () => {
    const q = [0.025, 0.16, 0.5, 0.84, 0.975];
    // numpy.percentile([1, 2, 3, 4, 10, 11], [2.5, 16, 50, 84, 97.5], method="weibull")
    const even = [1, 1.12, 3.5, 10.88, 11];
    q.forEach((p, i) =>
      expect(quantileSorted(Float64Array.of(1, 2, 3, 4, 10, 11), p)).toBeCloseTo(even[i]!, 12),
    );
    // numpy.percentile(numpy.arange(64.0) ** 1.5, [...], method="weibull"): interior positions
    const pow = [0.625, 28.84911064, 176.81001562, 392.42873265, 492.63542929];
    const sorted = Float64Array.from({ length: 64 }, (_, k) => k ** 1.5);
    q.forEach((p, i) => expect(quantileSorted(sorted, p)).toBeCloseTo(pow[i]!, 7));
  });

  it('gives 64-draw intervals that hold their nominal share of a calibrated posterior', () => {
    // Truth and 64 samples from the same N(0, 1), 20 000 times: the p2.5–p97.5 and p16–p84 intervals
    // must cover the truth 95% and 68% of the time within 0.01 (numpy's default rule gives 92.3% and
    // 66.2%; type 6 itself, interpolating, sits 0.003 above 95%; the binomial error here is 0.0015).
    const trials = 20_000;
    const S = 64;
    const sorted = new Float64Array(S);
    let in95 = 0;
    let in68 = 0;
    for (let t = 0; t < trials; t += 1) {
      for (let s = 0; s < S; s += 1) sorted[s] = normalAt(11, t, s, 0);
      sorted.sort();
      const truth = normalAt(11, t, S, 0);
      if (truth >= quantileSorted(sorted, 0.025) && truth <= quantileSorted(sorted, 0.975)) in95 += 1;
      if (truth >= quantileSorted(sorted, 0.16) && truth <= quantileSorted(sorted, 0.84)) in68 += 1;
    }
    expect(Math.abs(in95 / trials - 0.95)).toBeLessThan(0.01);
    expect(Math.abs(in68 / trials - 0.68)).toBeLessThan(0.01);
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
