// The posterior predictive's forward model: the batch path (isochrones → BC tables + distance modulus)
// agrees with the direct-integration reference (`cradle forward star`'s path) for the same stars, draws
// off the isochrones come back NaN, and pivot wavelengths match a top-hat band solved by hand and the
// Gaia DR3 G value the SVO Filter Profile Service lists.
import { describe, expect, it } from 'vitest';
import { BANDS } from '../../../electron/forward/physics/bands.ts';
import { forwardStar, starFromIsochrones } from '../../../electron/forward/physics/star.ts';
import {
  pivotWavelength,
  pivotWavelengths,
  predictMagnitudes,
} from '../../../electron/forward/predictive.ts';

describe('posterior predictive magnitudes', () => {
  it('match direct integration through the same isochrones, plus the distance modulus', () => {
    const stars = [
      { mass: 1, ageYr: 2e7, mh: 0, av: 0.5, distancePc: 200 },
      { mass: 0.6, ageYr: 5e6, mh: -0.2, av: 1.2, distancePc: 400 },
    ];
    const predicted = predictMagnitudes({
      massInit: Float64Array.from(stars, (s) => s.mass),
      logAge: Float64Array.from(stars, (s) => Math.log10(s.ageYr)),
      mh: Float64Array.from(stars, (s) => s.mh),
      av: Float64Array.from(stars, (s) => s.av),
      rv: Float64Array.from(stars, () => 3.1),
      distancePc: Float64Array.from(stars, (s) => s.distancePc),
    });
    expect(predicted.alive).toBe(2);
    stars.forEach((s, i) => {
      const atmosphere = starFromIsochrones(s.mass, s.ageYr, s.mh, 'parsec12');
      const direct = forwardStar(atmosphere, {
        distancePc: s.distancePc,
        av: s.av,
        rv: 3.1,
        library: 'kurucz',
        law: 'G23',
      });
      // BC tables vs direct integration: within 5 mmag (physics/bc-tables.ts; 1 mmag measured here).
      for (const band of BANDS)
        expect(Math.abs(predicted.mags[band][i]! - direct.mags[band])).toBeLessThan(0.005);
    });
  });

  it('gives NaN for a draw with no living star', () => {
    const predicted = predictMagnitudes({
      massInit: Float64Array.of(40),
      logAge: Float64Array.of(9.5),
      mh: Float64Array.of(0),
      av: Float64Array.of(0),
      rv: Float64Array.of(3.1),
      distancePc: Float64Array.of(100),
    });
    expect(predicted.alive).toBe(0);
    expect(Number.isNaN(predicted.mags['gaia.g'][0]!)).toBe(true);
  });
});

describe('pivot wavelengths', () => {
  it('solve a top-hat band exactly: λp² = (b² − a²) / (2 ln(b/a))', () => {
    const a = 4000;
    const b = 6000;
    const n = 20001;
    const wavelength = Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
    const band = {
      name: 'top-hat',
      wavelength,
      response: new Float64Array(n).fill(1),
      weighting: 'photon' as const,
    };
    expect(pivotWavelength(band)).toBeCloseTo(Math.sqrt((b * b - a * a) / (2 * Math.log(b / a))), 3);
  });

  it('put Gaia G at the SVO Filter Profile Service value (Gaia DR3 G: 6217.59 Å)', () => {
    expect(pivotWavelengths()['gaia.g']).toBeCloseTo(6217.59, 0);
  });
});
