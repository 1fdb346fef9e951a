import { describe, expect, it } from 'vitest';
import type { Passband } from '../../../../electron/forward/physics/bands.ts';
import { observedSed } from '../../../../electron/forward/physics/star.ts';
import {
  SURVEYS,
  surveySpectrum,
  surveyWavelength,
} from '../../../../electron/forward/physics/survey-spectra.ts';
import { bandFlux } from '../../../../electron/forward/physics/synthetic-photometry.ts';

const star = { teff: 5000, logg: 4.5, radius: 0.8, distancePc: 50, av: 0.4, rv: 3.1 };

describe('survey-like spectra', () => {
  it('use each survey pixel grid', () => {
    for (const name of ['lamost', 'boss', 'apogee'] as const) {
      const w = surveyWavelength(name);
      expect(w[0]).toBe(SURVEYS[name].start);
      expect(w[w.length - 1]!).toBeLessThanOrEqual(SURVEYS[name].end);
      expect(Math.log10(w[1]! / w[0]!)).toBeCloseTo(SURVEYS[name].dlog10, 9);
    }
  });

  it('carry the same flux as the photometric model (mean over 4000-9000 A within 1 %)', () => {
    const spec = surveySpectrum('boss', star);
    const sed = observedSed(
      { teff: star.teff, logg: star.logg, mh: 0, radius: star.radius },
      { distancePc: star.distancePc, av: star.av, rv: star.rv, library: 'btsettl', law: 'G23' },
    );
    const box: Passband = {
      name: 'box 4000-9000 A',
      wavelength: Float64Array.of(3990, 4000, 9000, 9010),
      response: Float64Array.of(0, 1, 1, 0),
      weighting: 'photon',
    };
    expect(Math.abs(bandFlux(spec, box) / bandFlux(sed, box) - 1)).toBeLessThan(0.01);
  });

  it('are smoother at lower resolution (LAMOST R 1800 vs the same pixels at APOGEE-like R)', () => {
    const spec = surveySpectrum('lamost', star);
    // pixel-to-pixel scatter relative to the local mean, over 5000-6000 A
    let s = 0;
    let n = 0;
    for (let i = 1; i + 1 < spec.flux.length; i++) {
      const l = spec.wavelength[i]!;
      if (l < 5000 || l > 6000) continue;
      const mean = 0.5 * (spec.flux[i - 1]! + spec.flux[i + 1]!);
      s += ((spec.flux[i]! - mean) / mean) ** 2;
      n++;
    }
    const rms = Math.sqrt(s / n);
    expect(rms).toBeGreaterThan(0);
    // a Gaussian LSF of FWHM ~ 2.4 px leaves little pixel-scale structure
    expect(rms).toBeLessThan(0.05);
  });
});
