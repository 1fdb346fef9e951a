// Spectral world coordinates (Greisen, Calabretta, Valdes & Allen 2006, A&A 446, 747, "Paper III") and
// the wavelength solutions of 1D spectra as surveys write them.
//
// Standard spectral axes (CTYPE like WAVE, AWAV, FREQ, VELO, with an optional algorithm code):
//   linear (no code):  S = S_r + x                                  (Paper III §3.1, eq. 4 with x = w)
//   '-LOG':            S = S_r · exp(x / S_r)                       (Paper III §3.2, eq. 5)
// where x is the intermediate world coordinate of the axis (see linear.ts) and S_r = CRVAL.
// Grism and non-linear conversions (F2W, V2W, TAB, …) are refused with an error naming CTYPE.
//
// Survey conventions for a spectrum's wavelength array (axis 1):
//   SDSS / LAMOST:  COEFF0, COEFF1 present → log10 λ = COEFF0 + COEFF1 · i, i the 0-based pixel index
//                   (SDSS DR spectro data model "spec" HDU 0; LAMOST DR1+ low-resolution spec-*.fits).
//   IRAF DC-FLAG=1: log10 λ = CRVAL1 + CD1_1 (or CDELT1) · (p − CRPIX1)   (IRAF onedspec "equispec" log;
//                   also CTYPE1 = 'LOG-LINEAR', as SDSS-IV APOGEE apStar/aspcapStar headers write it)
//   otherwise the standard rules above (CTYPE1 WAVE/AWAV/LINEAR or absent → linear; '-LOG' → exp).
// Units: CUNIT1, else IRAF's WAT1_001 "units=…", else Angstrom for the log10 survey conventions.
// Medium: CTYPE AWAV → air, WAVE → vacuum, else the VACUUM (T/F) keyword, else unknown.
//
// API:
//   type SpectralAlgorithm = 'linear' | 'log'
//   spectralAlgorithm(ctype: string): SpectralAlgorithm | undefined   (undefined: not a spectral CTYPE)
//   spectralWorld(algorithm: SpectralAlgorithm, crval: number, x: number): number
//   spectralIntermediate(algorithm, crval, world): number      the inverse (x = S_r ln(S/S_r) for -LOG)
//   checkSpectralUnit(ctype: string, cunit: string, keyword: string): void   throws on e.g. AWAV in Hz
//   interface WavelengthSolution { convention; unit; medium; at(pixel: number): number }  pixel 1-based
//   wavelengthSolution(header: KeywordSource): WavelengthSolution
//   wavelengthArray(solution: WavelengthSolution, length: number): Float64Array   element i ↔ pixel i+1
import { FitsError } from '../errors.ts';
import { describeValue, numericValue } from '../keyword-source.ts';
import type { KeywordSource } from '../keyword-source.ts';

export type SpectralAlgorithm = 'linear' | 'log';

/** Spectral CTYPE types of Paper III Table 1 (plus the 'LINEAR' of IRAF spectra). */
const SPECTRAL_TYPES = new Set([
  'FREQ',
  'ENER',
  'WAVN',
  'VRAD',
  'WAVE',
  'VOPT',
  'ZOPT',
  'AWAV',
  'VELO',
  'BETA',
]);

export function spectralAlgorithm(ctype: string): SpectralAlgorithm | undefined {
  const type = ctype.slice(0, 4).replace(/-+$/, '');
  if (!SPECTRAL_TYPES.has(type)) return undefined;
  const code = ctype.length > 5 ? ctype.slice(5).trim() : '';
  if (code === '') return 'linear';
  if (code === 'LOG') return 'log';
  throw new FitsError(`spectral algorithm '${code}' is not supported (only linear and -LOG)`, {
    keyword: 'CTYPE',
  });
}

// The physical kind each spectral type's CUNIT must have (Paper III Table 1), by unit spelling.
const UNIT_KINDS: [RegExp, string][] = [
  [/^(m|cm|mm|um|µm|nm|pm|km|angstrom|A|Å)$/i, 'length'],
  [/^(Hz|kHz|MHz|GHz|THz)$/i, 'frequency'],
  [/^(m\/s|km\/s|cm\/s|m s-1|km s-1)$/i, 'velocity'],
  [/^(J|eV|keV|MeV|erg)$/i, 'energy'],
  [/^(1\/m|m-1|\/m|1\/cm|cm-1)$/i, 'wavenumber'],
];
const TYPE_KINDS: Record<string, string> = {
  FREQ: 'frequency',
  ENER: 'energy',
  WAVN: 'wavenumber',
  VRAD: 'velocity',
  WAVE: 'length',
  VOPT: 'velocity',
  AWAV: 'length',
  VELO: 'velocity',
};

/** Refuse a CUNIT of the wrong kind for the spectral type (as wcslib does, e.g. AWAV in Hz). */
export function checkSpectralUnit(ctype: string, cunit: string, keyword: string): void {
  const expected = TYPE_KINDS[ctype.slice(0, 4)];
  if (expected === undefined || cunit === '') return;
  const kind = UNIT_KINDS.find(([pattern]) => pattern.test(cunit))?.[1];
  if (kind !== undefined && kind !== expected) {
    throw new FitsError(`unit '${cunit}' is a ${kind}, but ${ctype.slice(0, 4)} needs a ${expected}`, {
      keyword,
    });
  }
}

export function spectralWorld(algorithm: SpectralAlgorithm, crval: number, x: number): number {
  return algorithm === 'linear' ? crval + x : crval * Math.exp(x / crval);
}

export function spectralIntermediate(algorithm: SpectralAlgorithm, crval: number, world: number): number {
  return algorithm === 'linear' ? world - crval : crval * Math.log(world / crval);
}

export interface WavelengthSolution {
  /** Which rule produced the solution, for provenance in the UI and in error messages. */
  convention: 'COEFF0/COEFF1 log10' | 'log10-linear (DC-FLAG=1 or LOG-LINEAR)' | 'linear' | 'WAVE-LOG';
  unit: string;
  medium: 'vacuum' | 'air' | undefined;
  /** Wavelength at 1-based pixel coordinate p. */
  at(pixel: number): number;
}

function num(header: KeywordSource, keyword: string): number | undefined {
  const raw = header.get(keyword);
  if (raw === undefined) return undefined;
  const value = numericValue(raw);
  if (value === undefined || !Number.isFinite(value)) {
    throw new FitsError(`expected a number, got ${describeValue(raw)}`, { keyword });
  }
  return value;
}

function stringValue(header: KeywordSource, keyword: string): string | undefined {
  const raw = header.get(keyword);
  return typeof raw === 'string' ? raw.trim() : undefined;
}

function unitOf(header: KeywordSource, fallback: string): string {
  const cunit = stringValue(header, 'CUNIT1');
  if (cunit) return cunit;
  const wat = stringValue(header, 'WAT1_001');
  const match = wat === undefined ? null : /units=(\S+)/i.exec(wat);
  if (match) return /^angstroms?$/i.test(match[1]!) ? 'Angstrom' : match[1]!;
  return fallback;
}

function mediumOf(header: KeywordSource, ctype: string): 'vacuum' | 'air' | undefined {
  if (ctype.startsWith('AWAV')) return 'air';
  if (ctype.startsWith('WAVE')) return 'vacuum';
  const vacuum = header.get('VACUUM');
  return typeof vacuum === 'boolean' ? (vacuum ? 'vacuum' : 'air') : undefined;
}

export function wavelengthSolution(header: KeywordSource): WavelengthSolution {
  const ctype = (stringValue(header, 'CTYPE1') ?? '').toUpperCase();
  const medium = mediumOf(header, ctype);
  const coeff0 = num(header, 'COEFF0');
  const coeff1 = num(header, 'COEFF1');
  if (coeff0 !== undefined && coeff1 !== undefined) {
    return {
      convention: 'COEFF0/COEFF1 log10',
      unit: unitOf(header, 'Angstrom'),
      medium,
      at: (p) => 10 ** (coeff0 + coeff1 * (p - 1)),
    };
  }
  const crval = num(header, 'CRVAL1');
  if (crval === undefined)
    throw new FitsError('no wavelength solution (need CRVAL1 or COEFF0/COEFF1)', { keyword: 'CRVAL1' });
  const crpix = num(header, 'CRPIX1') ?? 1;
  const step = num(header, 'CD1_1') ?? num(header, 'CDELT1') ?? 1;
  if (num(header, 'DC-FLAG') === 1 || ctype === 'LOG-LINEAR') {
    return {
      convention: 'log10-linear (DC-FLAG=1 or LOG-LINEAR)',
      unit: unitOf(header, 'Angstrom'),
      medium,
      at: (p) => 10 ** (crval + step * (p - crpix)),
    };
  }
  const algorithm = ctype === '' || ctype === 'LINEAR' ? 'linear' : spectralAlgorithm(ctype);
  if (algorithm === undefined) {
    throw new FitsError(`'${ctype}' is not a spectral axis type`, { keyword: 'CTYPE1' });
  }
  return {
    convention: algorithm === 'log' ? 'WAVE-LOG' : 'linear',
    unit: unitOf(header, ''),
    medium,
    at: (p) => spectralWorld(algorithm, crval, step * (p - crpix)),
  };
}

export function wavelengthArray(solution: WavelengthSolution, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = solution.at(i + 1);
  return out;
}
