import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bpRpProbability,
  gaiaMagnitudeError,
  gaiaParallaxError,
  loadGaiaSplines,
  parseGaiaSplineCsv,
} from '../../../../electron/forward/survey/gaia.ts';
import { HAS_SPLINE, SPLINE_FILE, loadReference } from '../reference.ts';

describe.skipIf(!HAS_SPLINE)('Gaia DR3 uncertainties (needs ../shared/data/physics)', () => {
  const ref = loadReference();
  const splines = HAS_SPLINE ? loadGaiaSplines(SPLINE_FILE) : null;

  it('evaluates the DPAC B-spline as scipy does', () => {
    for (const band of ['g', 'bp', 'rp'] as const) {
      ref.logSigmaSpline.mag.forEach((mag, i) => {
        expect(splines![band].evaluate(mag)).toBeCloseTo(ref.logSigmaSpline[band][i] as number, 10);
      });
    }
  });

  it('tabulates σ to within 1e-4 relative of the spline', () => {
    for (const band of ['g', 'bp', 'rp'] as const) {
      ref.logSigmaSpline.mag.forEach((mag, i) => {
        const exact = 10 ** (ref.logSigmaSpline[band][i] as number);
        expect(Math.abs(gaiaMagnitudeError(splines!, band, mag) / exact - 1)).toBeLessThan(1e-4);
      });
    }
  });

  it('scales σ with √(N_ref/N)', () => {
    expect(gaiaMagnitudeError(splines!, 'g', 15, 50) / gaiaMagnitudeError(splines!, 'g', 15)).toBeCloseTo(
      2,
      10,
    );
  });

  it('names the file and column of a broken spline table', () => {
    const text = readFileSync(SPLINE_FILE, 'utf8').replace('coeff_BP', 'coeff_XX');
    expect(() => parseGaiaSplineCsv(text, 'broken.csv')).toThrow(/broken\.csv: column 'coeff_BP' is missing/);
    expect(() => parseGaiaSplineCsv('knots_G,coeff_G\n1,abc\n', 'bad.csv')).toThrow(
      /bad\.csv: row 2, column 'coeff_G': 'abc' is not a number/,
    );
  });
});

describe('Gaia DR3 parallax uncertainty', () => {
  it('follows the DR3 formula (PyGaia) exactly and Lindegren et al. (2021) within 15%', () => {
    const ref = loadReference();
    ref.parallax.g.forEach((g, i) =>
      expect(gaiaParallaxError(g)).toBeCloseTo(ref.parallax.sigmaMas[i] as number, 10),
    );
    // Lindegren et al. 2021 Table 4 (median σ_ϖ, five-parameter solutions): G=15: 0.02–0.03 mas,
    // G=17: 0.07 mas, G=20: 0.5 mas, G=21: 1.3 mas (the formula is 12% above at G = 20).
    expect(gaiaParallaxError(15)).toBeGreaterThan(0.02);
    expect(gaiaParallaxError(15)).toBeLessThan(0.03);
    for (const [g, sigma] of [
      [17, 0.07],
      [20, 0.5],
      [21, 1.3],
    ] as const) {
      expect(Math.abs(gaiaParallaxError(g) / sigma - 1)).toBeLessThan(0.15);
    }
  });

  it('loses BP/RP only at the faint end', () => {
    expect(bpRpProbability(18)).toBeGreaterThan(0.99);
    expect(bpRpProbability(20.3)).toBeCloseTo(0.5, 6);
    expect(bpRpProbability(21)).toBeLessThan(0.1);
  });
});
