import { describe, expect, it } from 'vitest';
import type { Passband } from '../../../../electron/forward/physics/bands.ts';
import { logLFromRadius } from '../../../../electron/forward/physics/bc-tables.ts';
import { observedSed } from '../../../../electron/forward/physics/star.ts';
import {
  SPEC_FILLED,
  SPEC_LOGG_CLAMPED,
  SPEC_MH_IGNORED,
  SPEC_OUTSIDE,
  SURVEYS,
  SurveySpectraModel,
  surveySpectrum,
  surveyWavelength,
  type SurveyBatch,
} from '../../../../electron/forward/physics/survey-spectra.ts';
import { bandFlux } from '../../../../electron/forward/physics/synthetic-photometry.ts';

const star = { teff: 5000, logg: 4.5, radius: 0.8, distancePc: 50, av: 0.4, rv: 3.1 };

function box(lo: number, hi: number): Passband {
  return {
    name: `box ${lo}-${hi} A`,
    wavelength: Float64Array.of(lo - 10, lo, hi, hi + 10),
    response: Float64Array.of(0, 1, 1, 0),
    weighting: 'photon',
  };
}

function batchOf(
  stars: readonly { teff: number; logg: number; mh: number; radius: number; d: number; av: number }[],
): SurveyBatch {
  const col = (f: (s: (typeof stars)[number]) => number): Float64Array => Float64Array.from(stars, f);
  return {
    teff: col((s) => s.teff),
    logg: col((s) => s.logg),
    mh: col((s) => s.mh),
    logL: col((s) => logLFromRadius(s.radius, s.teff)),
    av: col((s) => s.av),
    rv: col(() => 3.1),
    distancePc: col((s) => s.d),
  };
}

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
    expect(Math.abs(bandFlux(spec, box(4000, 9000)) / bandFlux(sed, box(4000, 9000)) - 1)).toBeLessThan(0.01);
  });

  it('follow [M/H] as the photometric library does (broad-band ratios within 0.5 %)', () => {
    const metalPoor = { ...star, mh: -1 };
    const spec = surveySpectrum('lamost', metalPoor);
    const solar = surveySpectrum('lamost', star);
    const obs = {
      distancePc: star.distancePc,
      av: star.av,
      rv: star.rv,
      library: 'btsettl',
      law: 'G23',
    } as const;
    const sedPoor = observedSed({ teff: star.teff, logg: star.logg, mh: -1, radius: star.radius }, obs);
    const sedSolar = observedSed({ teff: star.teff, logg: star.logg, mh: 0, radius: star.radius }, obs);
    for (const [lo, hi] of [
      [3800, 4500],
      [4500, 5500],
      [7500, 8900],
    ] as const) {
      const b = box(lo, hi);
      const specRatio = bandFlux(spec, b) / bandFlux(solar, b);
      const sedRatio = bandFlux(sedPoor, b) / bandFlux(sedSolar, b);
      expect(Math.abs(specRatio / sedRatio - 1)).toBeLessThan(0.005);
    }
    // metal-poor stars are bluer: less line blanketing below 4500 A
    expect(bandFlux(spec, box(3800, 4500)) / bandFlux(solar, box(3800, 4500))).toBeGreaterThan(1.05);
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

describe('survey spectra in batches', () => {
  const stars = [
    { teff: 5000, logg: 4.5, mh: 0, radius: 0.8, d: 200, av: 0.5 },
    { teff: 5777, logg: 4.44, mh: -1, radius: 1, d: 300, av: 0.1 },
    { teff: 4500, logg: 2.7, mh: -0.5, radius: 10, d: 2000, av: 1.5 },
    { teff: 3300, logg: 4.8, mh: 0.2, radius: 0.3, d: 40, av: 0 },
    { teff: 6500, logg: 4.2, mh: 0.3, radius: 1.3, d: 500, av: 2 },
  ];

  it('match the one-star reference path (< 0.5 % per pixel) in every survey', () => {
    for (const survey of ['lamost', 'boss', 'apogee'] as const) {
      const model = new SurveySpectraModel(survey);
      const flux = new Float32Array(stars.length * model.pixels);
      const flags = new Uint8Array(stars.length);
      model.run(batchOf(stars), { flux, flags });
      stars.forEach((s, k) => {
        const ref = surveySpectrum(survey, {
          teff: s.teff,
          logg: s.logg,
          mh: s.mh,
          radius: s.radius,
          distancePc: s.d,
          av: s.av,
          rv: 3.1,
        });
        let worst = 0;
        for (let i = 0; i < model.pixels; i++)
          worst = Math.max(worst, Math.abs(flux[k * model.pixels + i]! / ref.flux[i]! - 1));
        expect(worst, `${survey} star ${k}`).toBeLessThan(0.005);
      });
      // 3300 K: CK04 has no models, [M/H] is not followed; log g 4.8 at 3300 K is a BT-Settl node
      expect(flags[3]! & SPEC_MH_IGNORED).toBe(SPEC_MH_IGNORED);
      // the giant at 4500 K sits between nodes that exist; the 3300 K dwarf needs no filled gravity
      expect(flags[3]! & SPEC_FILLED).toBe(0);
    }
  });

  it('reach the survey S/N anchor at the reference magnitude and scale with brightness', () => {
    for (const survey of ['lamost', 'boss', 'apogee'] as const) {
      const model = new SurveySpectraModel(survey);
      const law = SURVEYS[survey].noise;
      const probe = { teff: 4800, logg: 4.5, mh: 0, radius: 0.8, d: 100, av: 0 };
      const mag = new Float32Array(1);
      model.run(batchOf([probe]), { flux: new Float32Array(model.pixels), mag });
      // distances that put the star at mRef and 2.5 mag brighter
      const dRef = probe.d * 10 ** (0.2 * (law.mRef - mag[0]!));
      const dBright = dRef * 10 ** (-0.2 * 2.5);
      const batch = batchOf([
        { ...probe, d: dRef },
        { ...probe, d: dBright },
      ]);
      const snr = new Float32Array(2);
      const mags = new Float32Array(2);
      model.run(batch, { flux: new Float32Array(2 * model.pixels), snr, mag: mags });
      expect(mags[0]!).toBeCloseTo(law.mRef, 3);
      // the systematics ceiling lowers the anchor slightly: 1/S^2 = 1/snrRef^2 + 1/snrMax^2
      const expected = 1 / Math.sqrt(1 / law.snrRef ** 2 + 1 / law.snrMax ** 2);
      expect(Math.abs(snr[0]! / expected - 1), survey).toBeLessThan(0.1);
      // 10x the flux: between sqrt(10) (photon-limited) and 10 (sky-limited) times the S/N, below the ceiling
      expect(snr[1]! / snr[0]!).toBeGreaterThan(Math.sqrt(10) * 0.8);
      expect(snr[1]! / snr[0]!).toBeLessThan(10);
      expect(snr[1]!).toBeLessThan(law.snrMax);
    }
  });

  it('draw noise with the stated errors (chi^2 per pixel ~ 1) from the given random source', () => {
    const model = new SurveySpectraModel('lamost');
    const np = model.pixels;
    const flux = new Float32Array(2 * np);
    const error = new Float32Array(2 * np);
    const noisy = new Float32Array(2 * np);
    let seed = 7;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    model.run(batchOf(stars.slice(0, 2)), { flux, error, noisy }, random);
    let chi2 = 0;
    for (let i = 0; i < 2 * np; i++) chi2 += ((noisy[i]! - flux[i]!) / error[i]!) ** 2;
    expect(chi2 / (2 * np)).toBeGreaterThan(0.93);
    expect(chi2 / (2 * np)).toBeLessThan(1.07);
    expect(() => model.run(batchOf(stars.slice(0, 1)), { flux, noisy })).toThrow(/random source/);
  });

  it('give NaN rows with SPEC_OUTSIDE outside the library, and flag clamped gravities', () => {
    const model = new SurveySpectraModel('boss');
    const np = model.pixels;
    const flux = new Float32Array(3 * np);
    const flags = new Uint8Array(3);
    const snr = new Float32Array(3);
    model.run(
      batchOf([
        { teff: 9000, logg: 4, mh: 0, radius: 2, d: 100, av: 0 },
        { teff: 4800, logg: 1.5, mh: 0, radius: 20, d: 1000, av: 0 },
        { teff: 3000, logg: 4, mh: 0, radius: 0.3, d: 100, av: 0 },
      ]),
      { flux, flags, snr },
    );
    expect(flags[0]).toBe(SPEC_OUTSIDE);
    expect(Number.isNaN(flux[0]!) && Number.isNaN(flux[np - 1]!) && Number.isNaN(snr[0]!)).toBe(true);
    expect(flags[1]! & SPEC_LOGG_CLAMPED).toBe(SPEC_LOGG_CLAMPED);
    expect(Number.isFinite(flux[np]!)).toBe(true);
    expect(() => model.run(batchOf([stars[0]!]), { flux: new Float32Array(10) })).toThrow(/'flux' needs/);
    // a non-finite [M/H] is bad input, not a NaN spectrum without a flag
    const one = new Uint8Array(1);
    model.run(batchOf([{ ...stars[0]!, mh: Number.NaN }]), { flux: new Float32Array(np), flags: one });
    expect(one[0]).toBe(SPEC_OUTSIDE);
  });
});
