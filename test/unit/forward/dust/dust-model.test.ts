import { describe, expect, it } from 'vitest';
import { DEFAULT_DUST, DustModel, drawRv } from '../../../../electron/forward/dust/dust-model.ts';
import { SUN_Z_PC } from '../../../../electron/forward/population/frame.ts';
import { Random } from '../../../../electron/forward/simulate/random.ts';

describe('dust model', () => {
  const smooth = new DustModel({ ...DEFAULT_DUST, clumpMagPerKpc: 0 }, 1);

  it('integrates the smooth disc exactly towards the pole', () => {
    // At b = 90° R is constant: A_V(d) = κ0 hz (exp(-z☉/hz) - exp(-(z☉+d)/hz)).
    const { kappa0MagPerKpc: k, scaleHeightPc: hz } = DEFAULT_DUST;
    for (const d of [50, 200, 1000, 5000]) {
      const expected = (k / 1000) * hz * (Math.exp(-SUN_Z_PC / hz) - Math.exp(-(SUN_Z_PC + d) / hz));
      expect(smooth.extinction(0, 90, d)).toBeCloseTo(expected, 8);
    }
  });

  it('crosses the plane correctly towards the south pole', () => {
    const { kappa0MagPerKpc: k, scaleHeightPc: hz } = DEFAULT_DUST;
    const d = 1000;
    const expected = (k / 1000) * hz * (1 - Math.exp(-SUN_Z_PC / hz) + 1 - Math.exp(-(d - SUN_Z_PC) / hz));
    expect(smooth.extinction(0, -90, d)).toBeCloseTo(expected, 8);
  });

  it('matches a fine numerical integral of the smooth disc within 1% of A_V on any line of sight', () => {
    const { kappa0MagPerKpc: k, scaleHeightPc: hz, scaleLengthPc: hR } = DEFAULT_DUST;
    const deg = Math.PI / 180;
    for (const [l, b, d] of [
      [0, 0, 3000],
      [30, 2, 1500],
      [180, -5, 4000],
      [90, 20, 800],
      [300, 45, 2500],
      [10, 0.5, 8000],
    ] as const) {
      const steps = 20000;
      const ds = d / steps;
      let reference = 0;
      for (let i = 0; i < steps; i++) {
        const s = (i + 0.5) * ds;
        const x = 8500 - s * Math.cos(b * deg) * Math.cos(l * deg);
        const y = s * Math.cos(b * deg) * Math.sin(l * deg);
        const z = SUN_Z_PC + s * Math.sin(b * deg);
        reference +=
          (k / 1000) * Math.exp(-(Math.hypot(x, y) - 8500) / hR) * Math.exp(-Math.abs(z) / hz) * ds;
      }
      const got = smooth.extinction(l, b, d);
      expect(Math.abs(got - reference) / reference).toBeLessThan(1e-2);
    }
  });

  it('grows along a line of sight and is larger in the plane than out of it', () => {
    let prev = 0;
    for (let d = 100; d <= 4000; d += 100) {
      const a = smooth.extinction(30, 0, d);
      expect(a).toBeGreaterThan(prev);
      prev = a;
    }
    expect(smooth.extinction(30, 0, 1000)).toBeCloseTo(0.7 * 0.99, 0);
    expect(smooth.extinction(30, 30, 1000)).toBeLessThan(0.25);
  });

  it('adds clumps on average as configured, drawn from the seed', () => {
    const clumpy = new DustModel(DEFAULT_DUST, 5);
    const again = new DustModel(DEFAULT_DUST, 5);
    expect(clumpy.clumpCount).toBeGreaterThan(1000);
    expect(again.extinction(123, 0.5, 1500)).toBe(clumpy.extinction(123, 0.5, 1500));
    // Mean extra A_V from clumps over many in-plane sight lines to 2 kpc ≈ 0.5 mag/kpc × (2 - 0.08) kpc,
    // lowered by the clumps' finite scale height seen from z☉ (the sight line stays within |z| < 15 pc).
    const rng = new Random(4);
    let extra = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const l = 360 * rng.uniform();
      extra += clumpy.extinction(l, 0, 2000) - smooth.extinction(l, 0, 2000);
    }
    const mean = extra / n;
    expect(mean).toBeGreaterThan(0.5);
    expect(mean).toBeLessThan(1.3);
  });

  it('draws R_V about its mean with the Schlafly et al. (2016) scatter', () => {
    const rng = new Random(8);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const rv = drawRv(rng, 3.1);
      s += rv;
      s2 += rv * rv;
    }
    expect(s / n).toBeCloseTo(3.1, 2);
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).toBeCloseTo(0.18, 2);
  });
});
