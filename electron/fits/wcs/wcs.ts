// A FITS world coordinate system read from header keywords: pixel → world for linear axes, celestial
// TAN/SIN pairs and linear or logarithmic spectral axes (Papers I–III; see linear.ts, celestial.ts,
// spectral.ts for the equations). Distortions (SIP A_/B_ polynomials, D2IM/CPDIS lookup tables, DSS
// AMDX/AMDY plate solutions) are NOT applied: they are listed in `ignoredDistortions` so callers can
// say so; results then equal astropy's `wcs_pix2world` (core WCS), not `all_pix2world`.
//
// Pixel conventions: `pixelToWorld` takes FITS pixel coordinates in FITS axis order (axis 1 first),
// 1-based — the centre of the first pixel is (1, 1). `arrayIndexToWorld` takes 0-based array indices in
// numpy order (slowest axis first), i.e. index [j, i] of a 2-D image is FITS pixel (i + 1, j + 1).
// World coordinates come back in FITS axis order, in degrees for celestial axes and in the header's
// CUNIT for the others (astropy converts spectral axes to SI; Cradle keeps the header's unit).
//
// API:
//   interface Wcs { naxis; present; ctype: string[]; cunit: string[]; celestial: {lngAxis, latAxis, projection}
//     | undefined; ignoredDistortions: string[]; pixelToWorld(pixel): number[];
//     arrayIndexToWorld(index): number[]; worldToPixel(world): number[] }
//   readWcs(header: KeywordSource, options?: { alt?: string; naxis?: number }): Wcs
import { FitsError } from '../errors.ts';
import { describeValue, numericValue } from '../keyword-source.ts';
import type { KeywordSource } from '../keyword-source.ts';
import { celestialFromIntermediate, defaultLonpole, intermediateFromCelestial } from './celestial.ts';
import type { CelestialFrame, ZenithalProjection } from './celestial.ts';
import { intermediateWorld, pixelFromIntermediate, readLinearTransform } from './linear.ts';
import { checkSpectralUnit, spectralAlgorithm, spectralIntermediate, spectralWorld } from './spectral.ts';
import type { SpectralAlgorithm } from './spectral.ts';

export interface Wcs {
  /** WCS axes: WCSAXES, else NAXIS or the highest axis a WCS keyword names; 0 for a header without any. */
  naxis: number;
  /** Whether the header has any WCS keyword (CTYPE, CRVAL, CRPIX, CDELT, CUNIT, CD, PC) at all. */
  present: boolean;
  ctype: string[];
  cunit: string[];
  celestial: { lngAxis: number; latAxis: number; projection: ZenithalProjection } | undefined;
  ignoredDistortions: string[];
  pixelToWorld(pixel: readonly number[]): number[];
  arrayIndexToWorld(index: readonly number[]): number[];
  /** The inverse of pixelToWorld (1-based FITS pixels); NaN where a sky position cannot be projected. */
  worldToPixel(world: readonly number[]): number[];
}

const LONGITUDE = /^(RA|GLON|ELON|SLON|HLON|[A-Z]LON)$/;
const LATITUDE = /^(DEC|GLAT|ELAT|SLAT|HLAT|[A-Z]LAT)$/;

function text(header: KeywordSource, keyword: string): string {
  const raw = header.get(keyword);
  return typeof raw === 'string' ? raw.trim() : '';
}

function number(header: KeywordSource, keyword: string): number | undefined {
  const raw = header.get(keyword);
  if (raw === undefined) return undefined;
  const value = numericValue(raw);
  if (value === undefined || !Number.isFinite(value)) {
    throw new FitsError(`expected a number, got ${describeValue(raw)}`, { keyword });
  }
  return value;
}

/** Whether any WCS keyword names axis i (1-based). */
function mentionsAxis(header: KeywordSource, i: number, alt: string): boolean {
  return (
    ['CTYPE', 'CRVAL', 'CRPIX', 'CDELT', 'CUNIT'].some((k) => header.get(`${k}${i}${alt}`) !== undefined) ||
    [...Array(9).keys()].some(
      (j) =>
        header.get(`CD${i}_${j + 1}${alt}`) !== undefined ||
        header.get(`PC${i}_${j + 1}${alt}`) !== undefined ||
        header.get(`CD${j + 1}_${i}${alt}`) !== undefined ||
        header.get(`PC${j + 1}_${i}${alt}`) !== undefined,
    )
  );
}

/** WCSAXES, else the larger of NAXIS and the highest axis number any WCS keyword uses (as wcslib). */
function axisCount(header: KeywordSource, alt: string, requested: number | undefined): number {
  const declared = requested ?? number(header, `WCSAXES${alt}`);
  let count = declared ?? number(header, 'NAXIS') ?? 0;
  if (declared === undefined) {
    for (let i = 99; i > count; i--) {
      if (mentionsAxis(header, i, alt)) {
        count = i;
        break;
      }
    }
  }
  if (!Number.isInteger(count) || count < 0 || count > 99) {
    throw new FitsError(`the number of WCS axes must be 0..99, got ${count}`, { keyword: `WCSAXES${alt}` });
  }
  return count;
}

function distortionsIn(header: KeywordSource): string[] {
  const found: string[] = [];
  if (header.get('A_ORDER') !== undefined || header.get('B_ORDER') !== undefined) found.push('SIP');
  if (header.get('D2IMDIS1') !== undefined || header.get('D2IMDIS2') !== undefined) found.push('D2IM');
  if (header.get('CPDIS1') !== undefined || header.get('CPDIS2') !== undefined) found.push('CPDIS');
  if (header.get('AMDX1') !== undefined) found.push('DSS plate solution');
  return found;
}

function projectionOf(ctype: string, keyword: string): ZenithalProjection {
  const code = ctype.slice(5, 8);
  if (code === 'TAN' || code === 'SIN') return code;
  throw new FitsError(`projection '${code}' is not supported (TAN and SIN are)`, { keyword });
}

export function readWcs(header: KeywordSource, options: { alt?: string; naxis?: number } = {}): Wcs {
  const alt = options.alt ?? '';
  const naxis = axisCount(header, alt, options.naxis);
  const axes = [...Array(naxis).keys()];
  const present = axes.some((i) => mentionsAxis(header, i + 1, alt));
  const ctype = axes.map((i) => text(header, `CTYPE${i + 1}${alt}`).toUpperCase());
  const cunit = axes.map((i) => text(header, `CUNIT${i + 1}${alt}`));
  const crval = axes.map((i) => number(header, `CRVAL${i + 1}${alt}`) ?? 0);
  const coordinateType = (c: string) => c.slice(0, 4).replace(/-+$/, '');
  const lngAxis = ctype.findIndex((c) => c.length >= 8 && LONGITUDE.test(coordinateType(c)));
  const latAxis = ctype.findIndex((c) => c.length >= 8 && LATITUDE.test(coordinateType(c)));
  if (lngAxis < 0 !== latAxis < 0) {
    throw new FitsError('a celestial longitude axis needs a latitude axis and vice versa', {
      keyword: `CTYPE${Math.max(lngAxis, latAxis) + 1}${alt}`,
    });
  }

  let frame: CelestialFrame | undefined;
  if (lngAxis >= 0) {
    const projection = projectionOf(ctype[lngAxis]!, `CTYPE${lngAxis + 1}${alt}`);
    if (projectionOf(ctype[latAxis]!, `CTYPE${latAxis + 1}${alt}`) !== projection) {
      throw new FitsError('longitude and latitude axes use different projections', {
        keyword: `CTYPE${alt}`,
      });
    }
    if (projection === 'SIN') {
      const xi = number(header, `PV${latAxis + 1}_1${alt}`) ?? 0;
      const eta = number(header, `PV${latAxis + 1}_2${alt}`) ?? 0;
      if (xi !== 0 || eta !== 0) {
        throw new FitsError('slant orthographic SIN (PV ξ, η ≠ 0) is not supported', {
          keyword: `PV${latAxis + 1}_1${alt}`,
        });
      }
    }
    const lat0 = crval[latAxis]!;
    const lonpole = number(header, `LONPOLE${alt}`) ?? number(header, `PV${lngAxis + 1}_3${alt}`);
    frame = { projection, lng0: crval[lngAxis]!, lat0, lonpole: lonpole ?? defaultLonpole(lat0) };
  }

  const spectral: (SpectralAlgorithm | undefined)[] = axes.map((i) =>
    i === lngAxis || i === latAxis ? undefined : spectralAlgorithm(ctype[i]!),
  );
  spectral.forEach((algorithm, i) => {
    if (algorithm !== undefined) checkSpectralUnit(ctype[i]!, cunit[i]!, `CUNIT${i + 1}${alt}`);
  });
  const linear = readLinearTransform(header, naxis, alt, lngAxis >= 0 ? [lngAxis, latAxis] : undefined);

  const pixelToWorld = (pixel: readonly number[]): number[] => {
    if (pixel.length !== naxis) throw new Error(`expected ${naxis} pixel coordinates, got ${pixel.length}`);
    const x = intermediateWorld(linear, pixel);
    const world = axes.map((i) => {
      const algorithm = spectral[i];
      return algorithm === undefined ? crval[i]! + x[i]! : spectralWorld(algorithm, crval[i]!, x[i]!);
    });
    if (frame !== undefined) {
      const [lng, lat] = celestialFromIntermediate(frame, x[lngAxis]!, x[latAxis]!);
      world[lngAxis] = lng;
      world[latAxis] = lat;
    }
    return world;
  };

  return {
    naxis,
    present,
    ctype,
    cunit: cunit.map((u, i) => (u === '' && (i === lngAxis || i === latAxis) ? 'deg' : u)),
    celestial: frame === undefined ? undefined : { lngAxis, latAxis, projection: frame.projection },
    ignoredDistortions: distortionsIn(header),
    pixelToWorld,
    arrayIndexToWorld: (index) => pixelToWorld([...index].reverse().map((i) => i + 1)),
    worldToPixel: (world) => {
      if (world.length !== naxis) throw new Error(`expected ${naxis} world coordinates, got ${world.length}`);
      const x = axes.map((i) => {
        const algorithm = spectral[i];
        return algorithm === undefined
          ? world[i]! - crval[i]!
          : spectralIntermediate(algorithm, crval[i]!, world[i]!);
      });
      if (frame !== undefined) {
        const [xl, yl] = intermediateFromCelestial(frame, world[lngAxis]!, world[latAxis]!);
        x[lngAxis] = xl;
        x[latAxis] = yl;
      }
      return pixelFromIntermediate(linear, x);
    },
  };
}
