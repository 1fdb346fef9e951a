import { describe, expect, it } from 'vitest';
import { Imf } from '../../../../electron/forward/population/imf.ts';
import { Random } from '../../../../electron/forward/simulate/random.ts';

describe('Kroupa (2001) IMF', () => {
  const imf = new Imf();

  it('is continuous at its breaks (eq. 2)', () => {
    // Number in a thin interval on either side of 0.5 M☉: ξ(0.5⁻) = ξ(0.5⁺).
    const eps = 1e-6;
    const below = imf.moment(0.5 - eps, 0.5, 0) / eps;
    const above = imf.moment(0.5, 0.5 + eps, 0) / eps;
    expect(above / below).toBeCloseTo(1, 4);
  });

  it('matches the hand-integrated share of stars below 0.5 M☉ in 0.08–120 M☉', () => {
    // ξ = m^-1.3 on 0.08–0.5 and 0.5·m^-2.3 above: N1 = (0.08^-0.3 − 0.5^-0.3)/0.3, N2 = 0.5·(0.5^-1.3 − 120^-1.3)/1.3.
    const n1 = (0.08 ** -0.3 - 0.5 ** -0.3) / 0.3;
    const n2 = (0.5 * (0.5 ** -1.3 - 120 ** -1.3)) / 1.3;
    expect(1 - imf.fractionAbove(0.5, 0.08, 120)).toBeCloseTo(n1 / (n1 + n2), 10);
  });

  it('samples by inversion with the analytic distribution', () => {
    const r = new Random(9);
    const n = 100000;
    let below = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const m = imf.quantile(r.uniform(), 0.08, 120);
      expect(m).toBeGreaterThanOrEqual(0.08);
      expect(m).toBeLessThanOrEqual(120);
      if (m < 0.5) below++;
      sum += m;
    }
    expect(below / n).toBeCloseTo(1 - imf.fractionAbove(0.5, 0.08, 120), 2);
    expect(sum / n).toBeCloseTo(imf.meanMass(0.08, 120), 1);
  });

  it('samples a truncated range', () => {
    const r = new Random(2);
    for (let i = 0; i < 2000; i++) {
      const m = imf.quantile(r.uniform(), 0.7, 2);
      expect(m).toBeGreaterThanOrEqual(0.7);
      expect(m).toBeLessThanOrEqual(2);
    }
  });
});
