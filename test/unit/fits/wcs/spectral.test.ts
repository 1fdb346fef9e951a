// Wavelength solutions of 1D spectra: the LAMOST/SDSS COEFF0/COEFF1 log10 convention, IRAF DC-FLAG, a
// linear IRAF header and the standard WAVE-LOG axis (Paper III eq. 5).
import { describe, expect, it } from 'vitest';
import { wavelengthArray, wavelengthSolution } from '../../../../electron/fits/wcs/spectral.ts';

const header = (cards: Record<string, string | number | boolean>) => new Map(Object.entries(cards));

describe('wavelengthSolution', () => {
  it('LAMOST spec-*.fits: log10 λ = COEFF0 + COEFF1·i (i 0-based), vacuum', () => {
    // Keywords of real-lamost/spec-55916-B5591606_sp01-001.fits.
    const cards = {
      COEFF0: 3.5682,
      COEFF1: 0.0001,
      CRVAL1: 3.5682,
      CD1_1: 0.0001,
      CRPIX1: 1,
      CTYPE1: 'LINEAR',
      'DC-FLAG': 1,
      VACUUM: true,
    };
    const solution = wavelengthSolution(header(cards));
    expect(solution.convention).toBe('COEFF0/COEFF1 log10');
    expect(solution.medium).toBe('vacuum');
    expect(solution.unit).toBe('Angstrom');
    const lambda = wavelengthArray(solution, 3909);
    expect(lambda[0]).toBeCloseTo(3699.9853117285957, 9);
    expect(lambda[1000]).toBeCloseTo(4658.005532200294, 9);
    expect(lambda[3908]).toBeCloseTo(9099.132726322518, 9);
  });

  it('IRAF DC-FLAG = 1 without COEFF keywords is the same log10 rule on CRVAL1/CD1_1', () => {
    const solution = wavelengthSolution(
      header({ CRVAL1: 3.5682, CD1_1: 0.0001, CRPIX1: 1, CTYPE1: 'LINEAR', 'DC-FLAG': 1 }),
    );
    expect(solution.convention).toBe('log10-linear (DC-FLAG=1 or LOG-LINEAR)');
    expect(solution.at(1001)).toBeCloseTo(4658.005532200294, 9);
  });

  it('APOGEE LOG-LINEAR: log10 λ = CRVAL1 + CDELT1·(p − CRPIX1)', () => {
    const solution = wavelengthSolution(
      header({ CTYPE1: 'LOG-LINEAR', CRVAL1: 4.179, CDELT1: 6e-6, CRPIX1: 1 }),
    );
    expect(solution.at(1)).toBeCloseTo(10 ** 4.179, 9);
    expect(solution.at(8575)).toBeCloseTo(10 ** (4.179 + 6e-6 * 8574), 9);
  });

  it('a linear IRAF spectrum (real-lamost/oe270005.fits) with units from WAT1_001', () => {
    const cards = {
      CTYPE1: 'LINEAR',
      CRVAL1: 6265.01713266358,
      CRPIX1: 1.0,
      CDELT1: 0.25670607904715,
      CD1_1: 0.25670607904715,
      'DC-FLAG': 0,
      WAT1_001: 'wtype=linear label=Wavelength units=angstroms',
    };
    const solution = wavelengthSolution(header(cards));
    expect(solution.convention).toBe('linear');
    expect(solution.unit).toBe('Angstrom');
    expect(solution.at(1001)).toBeCloseTo(6521.72321171073, 9);
    expect(solution.at(1997)).toBeCloseTo(6777.402466441691, 9);
  });

  it('WAVE-LOG: λ = CRVAL·exp(x/CRVAL)', () => {
    const solution = wavelengthSolution(
      header({ CTYPE1: 'WAVE-LOG', CUNIT1: 'nm', CRVAL1: 500, CRPIX1: 2, CDELT1: 0.5 }),
    );
    expect(solution.at(12)).toBeCloseTo(500 * Math.exp(5 / 500), 12);
    expect(solution.unit).toBe('nm');
    expect(solution.medium).toBe('vacuum');
  });

  it('refuses a header without any solution, naming the keyword', () => {
    expect(() => wavelengthSolution(header({ CTYPE1: 'WAVE' }))).toThrowError(
      /keyword CRVAL1: no wavelength solution/,
    );
  });
});
