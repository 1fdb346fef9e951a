// Pixel → world against astropy.wcs (wcs_pix2world, origin 1) on TAN, SIN, CROTA2, CD, LONPOLE and a
// logarithmic spectral axis; the pixel conventions; and the refusals.
import { describe, expect, it } from 'vitest';
import { readWcs } from '../../../../electron/fits/wcs/wcs.ts';
import { references } from '../compression/references.ts';

const header = (cards: Record<string, string | number | boolean>) => new Map(Object.entries(cards));

describe('pixelToWorld matches astropy', () => {
  references.wcs.forEach((entry, n) => {
    it(`header ${n + 1} (${String(entry.header.CTYPE1)})`, () => {
      const wcs = readWcs(header(entry.header));
      entry.pixels.forEach((pixel, k) => {
        const got = wcs.pixelToWorld(pixel);
        const want = entry.world[k]!;
        if (wcs.celestial) {
          const dLng = Math.abs(got[wcs.celestial.lngAxis]! - want[wcs.celestial.lngAxis]!);
          expect(Math.min(dLng, 360 - dLng)).toBeLessThan(1e-9);
          expect(Math.abs(got[wcs.celestial.latAxis]! - want[wcs.celestial.latAxis]!)).toBeLessThan(1e-9);
        } else {
          expect(Math.abs(got[0]! / want[0]! - 1)).toBeLessThan(1e-12);
        }
      });
    });
  });
});

describe('pixel conventions', () => {
  const wcs = readWcs(
    header({
      NAXIS: 2,
      CTYPE1: 'RA---TAN',
      CTYPE2: 'DEC--TAN',
      CRVAL1: 10,
      CRVAL2: 20,
      CRPIX1: 3,
      CRPIX2: 5,
      CDELT1: -0.1,
      CDELT2: 0.1,
    }),
  );
  it('the reference pixel (1-based) maps to CRVAL', () => {
    const [ra, dec] = wcs.pixelToWorld([3, 5]);
    expect(ra).toBeCloseTo(10, 12);
    expect(dec).toBeCloseTo(20, 12);
  });
  it('array index [j, i] (0-based, slowest first) is FITS pixel (i + 1, j + 1)', () => {
    expect(wcs.arrayIndexToWorld([4, 2])).toEqual(wcs.pixelToWorld([3, 5]));
    expect(wcs.arrayIndexToWorld([0, 7])).toEqual(wcs.pixelToWorld([8, 1]));
  });
});

describe('what is not supported is said, not approximated', () => {
  it('lists SIP coefficients as ignored distortions', () => {
    const wcs = readWcs(
      header({ NAXIS: 2, CTYPE1: 'RA---TAN-SIP', CTYPE2: 'DEC--TAN-SIP', A_ORDER: 2, B_ORDER: 2 }),
    );
    expect(wcs.ignoredDistortions).toEqual(['SIP']);
  });
  it('refuses other projections, naming the keyword', () => {
    expect(() => readWcs(header({ NAXIS: 2, CTYPE1: 'RA---AIT', CTYPE2: 'DEC--AIT' }))).toThrowError(
      /keyword CTYPE1: projection 'AIT' is not supported/,
    );
  });
  it('refuses slant SIN', () => {
    expect(() =>
      readWcs(header({ NAXIS: 2, CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', PV2_1: 0.1 })),
    ).toThrowError(/keyword PV2_1: slant orthographic SIN/);
  });
  it('refuses a spectral unit of the wrong kind', () => {
    expect(() => readWcs(header({ NAXIS: 1, CTYPE1: 'AWAV', CUNIT1: 'Hz' }))).toThrowError(
      /keyword CUNIT1: unit 'Hz' is a frequency, but AWAV needs a length/,
    );
  });
});

describe('bad keyword values', () => {
  it('names the keyword that is not a number', () => {
    expect(() => readWcs(header({ NAXIS: 1, CTYPE1: 'WAVE', CRVAL1: 'blue' }))).toThrowError(
      /keyword CRVAL1: expected a number, got blue/,
    );
    expect(() => readWcs(header({ NAXIS: 1, CDELT1: 0 }))).toThrowError(
      /keyword CDELTn: CDELT must not be zero/,
    );
  });
  it('a longitude axis without a latitude axis is refused', () => {
    expect(() => readWcs(header({ NAXIS: 2, CTYPE1: 'RA---TAN', CTYPE2: 'WAVE' }))).toThrowError(
      /a celestial longitude axis needs a latitude axis/,
    );
  });
});

describe('headers without a WCS', () => {
  it('give an empty, absent WCS rather than an error', () => {
    const wcs = readWcs(header({ NAXIS: 0 }));
    expect([wcs.naxis, wcs.present]).toEqual([0, false]);
    expect(wcs.pixelToWorld([])).toEqual([]);
  });
  it('a plain image without WCS keywords: world = pixel (CRPIX and CRVAL default to 0)', () => {
    const wcs = readWcs(header({ NAXIS: 2, NAXIS1: 10, NAXIS2: 5 }));
    expect(wcs.present).toBe(false);
    expect(wcs.pixelToWorld([3, 4])).toEqual([3, 4]);
  });
  it('counts axes from the keywords when NAXIS is 0 (as wcslib)', () => {
    const wcs = readWcs(header({ NAXIS: 0, CTYPE3: 'WAVE', CRVAL3: 5000, CDELT3: 2, CRPIX3: 1 }));
    expect([wcs.naxis, wcs.present]).toEqual([3, true]);
    expect(wcs.pixelToWorld([1, 1, 11])[2]).toBe(5020);
  });
});

describe('worldToPixel', () => {
  references.wcs.forEach((entry, n) => {
    it(`inverts pixelToWorld for header ${n + 1} (${String(entry.header.CTYPE1)})`, () => {
      const wcs = readWcs(header(entry.header));
      entry.pixels.forEach((pixel, k) => {
        const back = wcs.worldToPixel(entry.world[k]!);
        back.forEach((p, i) => expect(Math.abs(p - pixel[i]!)).toBeLessThan(1e-7));
      });
    });
  });

  it('gives NaN for a sky position TAN cannot project (the far hemisphere)', () => {
    const wcs = readWcs(
      header({
        NAXIS: 2,
        CTYPE1: 'RA---TAN',
        CTYPE2: 'DEC--TAN',
        CRVAL1: 0,
        CRVAL2: 0,
        CDELT1: -1,
        CDELT2: 1,
      }),
    );
    expect(wcs.worldToPixel([180, 0]).every(Number.isNaN)).toBe(true);
  });

  it('refuses a singular matrix, naming the keywords', () => {
    const wcs = readWcs(header({ NAXIS: 2, CD1_1: 1, CD1_2: 2, CD2_1: 2, CD2_2: 4 }));
    expect(() => wcs.worldToPixel([1, 1])).toThrowError(
      /keyword PCi_j\/CDi_j: the PC\/CD matrix is singular/,
    );
  });
});
