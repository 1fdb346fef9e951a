// LAMOST-, BOSS- and APOGEE-like spectra of a model star: the BT-Settl CIFIST high-resolution windows in
// assets/grids (spectra-btsettl: 3000-7000 K, log g 4.0-5.0, solar) reddened, scaled by (R/d)^2, and
// convolved with a Gaussian line-spread function onto each survey's own pixel grid.
//
// Survey definitions (documented approximations):
// * LAMOST LRS: 3700-9000 A, log10-uniform pixels of 1e-4 dex (69 km/s), R ~ 1800 (Luo et al. 2015).
// * BOSS: 3600-10400 A, log10-uniform pixels of 1e-4 dex, R ~ 2000 (Smee et al. 2013; 1560-2650 across
//   the range, taken constant here).
// * APOGEE: 15140-16960 A, log10-uniform pixels of 6e-6 dex, R ~ 22500 (Wilson et al. 2019). The library
//   itself has R ~ 3000 in H (5 A sampling), so APOGEE-like spectra are library-limited: the 22500 LSF is
//   applied on top, and lines are as broad as BT-Settl's sampling makes them.
// The LSF is a Gaussian of FWHM = lambda / R integrated over each library interval (library treated as
// piecewise constant between midpoints). Noise is left to the caller (survey S/N models live with the
// simulator). [M/H] is not followed (solar library); the output says so.
import { defaultGridDir, loadGrid } from './grid-file.ts';
import { extinctionForSed, type ExtinctionLaw } from './extinction.ts';

export const SURVEYS = {
  lamost: { start: 3700, end: 9000, dlog10: 1e-4, resolution: 1800 },
  boss: { start: 3600, end: 10400, dlog10: 1e-4, resolution: 2000 },
  apogee: { start: 15140, end: 16960, dlog10: 6e-6, resolution: 22500 },
} as const;
export type SurveyName = keyof typeof SURVEYS;

const RSUN_CM = 6.957e10;
const PC_CM = 3.085677581491367e18;

export interface SurveyStar {
  readonly teff: number;
  readonly logg: number;
  /** Rsun */
  readonly radius: number;
  readonly distancePc: number;
  readonly av: number;
  readonly rv: number;
  readonly law?: ExtinctionLaw;
}

export interface SurveySpectrum {
  /** Angstrom (vacuum as in the library) */
  readonly wavelength: Float64Array;
  /** F_lambda at the observer, erg s-1 cm-2 A-1 */
  readonly flux: Float64Array;
  readonly resolution: number;
  readonly warnings: string[];
}

export function isSurveyName(name: string): name is SurveyName {
  return Object.hasOwn(SURVEYS, name);
}

export function surveyWavelength(survey: SurveyName): Float64Array {
  const s = SURVEYS[survey];
  const n = Math.floor(Math.log10(s.end / s.start) / s.dlog10) + 1;
  return Float64Array.from({ length: n }, (_, i) => s.start * 10 ** (i * s.dlog10));
}

/** erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7) */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  return (
    s *
    (1 -
      ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
        t *
        Math.exp(-a * a))
  );
}

class HiresLibrary {
  readonly wave: Float64Array;
  readonly teff: Float64Array;
  readonly logg: Float64Array;
  readonly logF: Float64Array;
  /** interval edges (midpoints between samples) */
  readonly edges: Float64Array;

  constructor(dir: string) {
    const g = loadGrid('spectra-btsettl', dir);
    this.wave = g.float64('wavelength');
    this.teff = g.axis('teff');
    this.logg = g.axis('logg');
    this.logF = g.float64('log_flux');
    const n = this.wave.length;
    this.edges = new Float64Array(n + 1);
    for (let k = 1; k < n; k++)
      this.edges[k] = 0.5 * ((this.wave[k - 1] as number) + (this.wave[k] as number));
    this.edges[0] = (this.wave[0] as number) - 0.5 * ((this.wave[1] as number) - (this.wave[0] as number));
    this.edges[n] =
      (this.wave[n - 1] as number) + 0.5 * ((this.wave[n - 1] as number) - (this.wave[n - 2] as number));
  }

  /** surface F_lambda at (teff, logg): bilinear in log flux (Teff, log g clamped to the grid with a warning) */
  surface(teff: number, logg: number, warnings: string[]): Float64Array {
    const clampTo = (x: number, a: Float64Array, name: string): number => {
      const lo = a[0] as number;
      const hi = a[a.length - 1] as number;
      if (x < lo || x > hi)
        warnings.push(`${name} ${x} outside the high-resolution library (${lo}-${hi}); clamped`);
      return Math.min(hi, Math.max(lo, x));
    };
    const t = clampTo(teff, this.teff, 'Teff');
    const g = clampTo(logg, this.logg, 'log g');
    const cell = (a: Float64Array, x: number): [number, number] => {
      let i = 0;
      while (i < a.length - 2 && (a[i + 1] as number) < x) i++;
      return [i, (x - (a[i] as number)) / ((a[i + 1] as number) - (a[i] as number))];
    };
    const [it, ft] = cell(this.teff, t);
    const [ig, fg] = cell(this.logg, g);
    const nw = this.wave.length;
    const ng = this.logg.length;
    const out = new Float64Array(nw);
    const shift = 4 * Math.log10(teff / t); // keep sigma Teff^4 when Teff was clamped
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        const w = (a ? ft : 1 - ft) * (b ? fg : 1 - fg);
        if (w === 0) continue;
        const off = ((it + a) * ng + ig + b) * nw;
        for (let k = 0; k < nw; k++) out[k] = (out[k] as number) + w * (this.logF[off + k] as number);
      }
    }
    for (let k = 0; k < nw; k++) out[k] = 10 ** ((out[k] as number) + shift);
    return out;
  }
}

const libs = new Map<string, HiresLibrary>();

function hires(dir: string): HiresLibrary {
  let l = libs.get(dir);
  if (!l) {
    l = new HiresLibrary(dir);
    libs.set(dir, l);
  }
  return l;
}

/** The survey-like spectrum of one star. */
export function surveySpectrum(survey: SurveyName, star: SurveyStar, dir = defaultGridDir()): SurveySpectrum {
  if (!(star.radius > 0 && star.distancePc > 0 && star.av >= 0)) {
    throw new Error(
      `survey spectrum: radius and distance must be > 0 and A_V >= 0 (got ${JSON.stringify(star)})`,
    );
  }
  const lib = hires(dir);
  const warnings = ['[M/H] not followed: the high-resolution library is solar BT-Settl'];
  const surf = lib.surface(star.teff, star.logg, warnings);
  const a = extinctionForSed(star.law ?? 'G23', lib.wave, star.rv);
  const dil = ((star.radius * RSUN_CM) / (star.distancePc * PC_CM)) ** 2;
  const obs = new Float64Array(surf.length);
  for (let k = 0; k < surf.length; k++)
    obs[k] = (surf[k] as number) * dil * 10 ** (-0.4 * star.av * (a[k] as number));
  const s = SURVEYS[survey];
  const wave = surveyWavelength(survey);
  const flux = new Float64Array(wave.length);
  const e = lib.edges;
  let lo = 0;
  for (let i = 0; i < wave.length; i++) {
    const mu = wave[i] as number;
    const sigma = mu / s.resolution / 2.3548200450309493;
    while (lo < lib.wave.length - 1 && (e[lo + 1] as number) < mu - 5 * sigma) lo++;
    let sum = 0;
    let norm = 0;
    for (let k = lo; k < lib.wave.length && (e[k] as number) < mu + 5 * sigma; k++) {
      const w =
        0.5 *
        (erf(((e[k + 1] as number) - mu) / (Math.SQRT2 * sigma)) -
          erf(((e[k] as number) - mu) / (Math.SQRT2 * sigma)));
      sum += w * (obs[k] as number);
      norm += w;
    }
    if (norm < 0.99)
      throw new Error(
        `survey spectrum ${survey}: pixel at ${mu.toFixed(1)} A is outside the library windows`,
      );
    flux[i] = sum / norm;
  }
  return { wavelength: wave, flux, resolution: s.resolution, warnings };
}
