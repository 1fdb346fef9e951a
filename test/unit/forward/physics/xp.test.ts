import { describe, expect, it } from 'vitest';
import {
  XP_N,
  XpBatchModel,
  XpModel,
  xpLsfFwhmNm,
  xpMergeWeightBp,
  xpSpectrum,
} from '../../../../electron/forward/physics/xp.ts';

describe('XP-like spectra', () => {
  const star = { teff: 5772, logg: 4.44, mh: 0, radius: 1 };
  const obs = { distancePc: 100, av: 0.5, rv: 3.1, library: 'kurucz' as const, law: 'G23' as const };

  it('sample 336-1020 nm in 2 nm steps with a resolution between R~15 and ~80', () => {
    const s = xpSpectrum(star, obs);
    expect(s.wavelength.length).toBe(XP_N);
    expect(s.wavelength[0]).toBe(336);
    expect(s.wavelength[XP_N - 1]).toBe(1020);
    for (const l of [340, 500, 640]) {
      const r = l / xpLsfFwhmNm(l, 'bp');
      expect(r).toBeGreaterThan(14);
      expect(r).toBeLessThan(90);
    }
    for (const l of [640, 800, 1000]) {
      const r = l / xpLsfFwhmNm(l, 'rp');
      expect(r).toBeGreaterThan(50);
      expect(r).toBeLessThan(80);
    }
  });

  it('merge BP and RP as the calibrated spectra do: BP below 635 nm, RP above 643 nm, a ramp between', () => {
    expect(xpMergeWeightBp(634)).toBe(1);
    expect(xpMergeWeightBp(639)).toBeCloseTo(0.5, 12);
    expect(xpMergeWeightBp(644)).toBe(0);
    // a row's reach: how many atmosphere-grid bins its LSF weights cover
    const model = new XpModel('kurucz');
    const width = (i: number): number => (model.weights[i] as Float64Array).length;
    const at = (l: number): number => (l - 336) / 2;
    // RP just past the merge is as narrow as RP elsewhere nearby, not blended with BP's ~30 nm
    expect(width(at(650))).toBeLessThan(width(at(630)));
    // inside the ramp both instruments contribute: the row spans the wider (BP) Gaussian
    expect(width(at(640))).toBeGreaterThan(width(at(630)));
  });

  it('give the same spectrum from the batch path and the one-star path', () => {
    const single = xpSpectrum(star, obs);
    const logL = 0; // 1 Rsun at 5772 K
    const batch = new XpBatchModel('kurucz', 'G23');
    const flux = new Float32Array(XP_N);
    const err = new Float32Array(XP_N);
    const col = (x: number): Float64Array => Float64Array.of(x);
    batch.run(
      {
        teff: col(5772),
        logg: col(4.44),
        mh: col(0),
        logL: col(logL),
        av: col(0.5),
        rv: col(3.1),
        distancePc: col(100),
      },
      flux,
      err,
    );
    for (let i = 0; i < XP_N; i += 17) {
      expect(Math.abs((flux[i] as number) / (single.flux[i] as number) - 1)).toBeLessThan(1e-4);
      expect(Math.abs((err[i] as number) / (single.flux_error[i] as number) - 1)).toBeLessThan(1e-4);
    }
  });

  it('have noise that grows like photon noise with distance', () => {
    const near = xpSpectrum(star, obs);
    const far = xpSpectrum(star, { ...obs, distancePc: 1000 });
    const i = 150;
    const relNear = (near.flux_error[i] as number) / (near.flux[i] as number);
    const relFar = (far.flux_error[i] as number) / (far.flux[i] as number);
    // 5 mag fainter: relative error x 10^(0.2*5) = 10
    expect(relFar / relNear).toBeCloseTo(10, 6);
  });
});
