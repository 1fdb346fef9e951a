// LAMOST-, BOSS- and APOGEE-like spectra of model stars, one at a time (the reference path) or in batches
// over typed-array columns (the simulator's path), with a noise model that scales with magnitude.
//
// Library: the BT-Settl CIFIST high-resolution windows in assets/grids (spectra-btsettl: 2000-7000 K,
// log g 2.5-5.5, solar, on the files' own 2 A / 5 A sample points in 3550-10500 A and 15000-17100 A;
// BT-Settl has no log g < 4 at Teff <= 4000 K, those nodes are filled from the nearest gravity and flagged). Outside 2000-7000 K there is no high-resolution library: the row is NaN
// and flagged SPEC_OUTSIDE.
//
// [M/H]: BT-Settl here is solar only. The metallicity dependence is the same differential the photometry
// uses (atmospheres.ts, library `btsettl`): log F(CK04, [M/H]) - log F(CK04, 0) at the star's Teff and
// log g, taken from the R = 200 (optical) / R = 50 (H band) atmosphere grid and interpolated in ln lambda
// onto the survey pixels. It carries the pseudo-continuum and band-averaged line blanketing that change
// with [M/H], not the depths of individual lines at R ~ 2000 (no library with resolved lines at several
// [M/H] is available offline; see the data README). Below 3500 K CK04 has no models and [M/H] is not
// followed (SPEC_MH_IGNORED, also while the 3500-3750 K fade is partial).
//
// Survey definitions (documented approximations):
// * LAMOST LRS: 3700-9000 A, log10-uniform pixels of 1e-4 dex (69 km/s), R ~ 1800 (Luo et al. 2015, RAA
//   15, 1095).
// * BOSS: 3600-10400 A, log10-uniform pixels of 1e-4 dex, R ~ 2000 (Smee et al. 2013, AJ 146, 32; 1560-2650
//   across the range, taken constant here).
// * APOGEE: 15140-16960 A, log10-uniform pixels of 6e-6 dex, R ~ 22500 (Wilson et al. 2019, PASP 131,
//   055001). The library itself has R ~ 3000 in H (5 A sampling), so APOGEE-like spectra are
//   library-limited: the 22500 LSF is applied on top, and lines are as broad as BT-Settl's sampling makes
//   them (effective R ~ 3000, not 22500). Chip gaps are not cut.
// Interpolation: bilinear in (Teff, log g) of F / (sigma Teff^4), linear in flux (not log flux) so that it
// commutes with the LSF convolution and keeps int F dlambda = sigma Teff^4 between nodes.
// LSF: a Gaussian of FWHM = lambda / R integrated exactly against the library's piecewise-linear
// interpolant (LsfMatrix). The batch path convolves every library node once (per survey) and then
// interpolates the convolved node spectra; the one-star path interpolates first and convolves after. They
// are the same up to the smooth factors (reddening, [M/H] differential at R = 200) being applied after the
// convolution instead of before (tested: < 0.5 % per pixel).
//
// Noise (NoiseLaw below): photon noise from the star plus a sky term, anchored on each survey's quoted
// design S/N at a reference magnitude, with a floor for flat-field/sky-subtraction systematics:
//   sigma^2(lambda) = (F(lambda) + F_sky) / kappa + (F(lambda) / snrMax)^2,
//   kappa = snrRef^2 (F_ref + F_sky) / F_ref^2,
// where F_ref and F_sky are the flux densities of magnitudes mRef and mSky at the centre of the reference
// window, so S/N = snrRef at m = mRef there. The star's magnitude is measured on its own noise-free spectrum
// (AB over the window; Vega for APOGEE's H via H_AB - H_Vega = 1.39, Blanton & Roweis 2007, AJ 133, 734).
// The sky is taken flat in F_lambda at its reference-window level across the range (no OH lines), and the
// throughput flat too: real LAMOST spectra lose S/N toward the blue end (in the two real files, S/N per
// pixel at 4100-4500 A is 20-40 % of its r-band value, more than photon noise of their flux explains),
// which this law leaves out; the two files disagree too much on the shape to calibrate one from them.
// Anchors (approximate design figures, not fits; `noise` overrides them per model):
// * LAMOST: S/N = 10 per pixel at r = 17.8, the LEGUE faint limit (Deng et al. 2012, RAA 12, 735; Luo et
//   al. 2015); sky r ~ 20.3 mag arcsec^-2 at Xinglong (Yao et al. 2012, RAA 12, 772) in a 3.3" fibre -> 18.0.
//   The two real LAMOST files in ../shared/data/fits/real-lamost (S/N_r 42.7 at r = 12.56, 8.05 at r = 9.2)
//   show how far single spectra scatter from any median law (weather, fibre throughput, bright-star
//   saturation): the law is a median, not a per-plate model.
// * BOSS: (S/N)^2 = 10 per pixel at i_fibre = 21.0, the survey's plate-completion threshold in the red camera
//   (Dawson et al. 2013, AJ 145, 10, Sect. 3.3); APO dark sky i ~ 20.3 mag arcsec^-2 in a 2" fibre -> 19.1.
// * APOGEE: S/N = 100 per pixel at H = 12.2 after the nominal three 1-h visits (Majewski et al. 2017, AJ
//   154, 94); H-band sky ~ 14.0 mag arcsec^-2 in a 2" fibre -> 12.8.
// * snrMax: 300 (LAMOST, BOSS) and 500 (APOGEE), i.e. 0.3 % / 0.2 % systematics (an assumption).
import { defaultGridDir, loadGrid } from './grid-file.ts';
import { ExtinctionOnGrid, type ExtinctionLaw } from './extinction.ts';
import { loadLibrary, locate, SED_MH_IGNORED, type SedLibrary } from './atmospheres.ts';
import type { PhotometryBatch } from './bc-tables.ts';

export interface NoiseLaw {
  /** reference window (Angstrom) where the S/N is quoted and the magnitude measured */
  readonly window: readonly [number, number];
  /** the magnitude system of mRef/mSky: AB, or Vega through a fixed AB - Vega offset */
  readonly abMinusVega: number;
  readonly mRef: number;
  /** S/N per pixel at mRef */
  readonly snrRef: number;
  /** sky within the fibre, as a magnitude in the same band */
  readonly mSky: number;
  /** systematics ceiling on S/N per pixel */
  readonly snrMax: number;
}

export interface SurveyDefinition {
  readonly start: number;
  readonly end: number;
  readonly dlog10: number;
  readonly resolution: number;
  readonly noise: NoiseLaw;
}

/** Module header gives the sources of every number here. */
export const SURVEYS: Readonly<Record<'lamost' | 'boss' | 'apogee', SurveyDefinition>> = {
  lamost: {
    start: 3700,
    end: 9000,
    dlog10: 1e-4,
    resolution: 1800,
    noise: { window: [5500, 6900], abMinusVega: 0, mRef: 17.8, snrRef: 10, mSky: 18.0, snrMax: 300 },
  },
  boss: {
    start: 3600,
    end: 10400,
    dlog10: 1e-4,
    resolution: 2000,
    noise: {
      window: [6900, 8400],
      abMinusVega: 0,
      mRef: 21.0,
      snrRef: Math.sqrt(10),
      mSky: 19.1,
      snrMax: 300,
    },
  },
  apogee: {
    start: 15140,
    end: 16960,
    dlog10: 6e-6,
    resolution: 22500,
    noise: { window: [15140, 16960], abMinusVega: 1.39, mRef: 12.2, snrRef: 100, mSky: 12.8, snrMax: 500 },
  },
};
export type SurveyName = keyof typeof SURVEYS;

/** Row flags of the batch path (bits). */
export const SPEC_OUTSIDE = 1;
export const SPEC_LOGG_CLAMPED = 2;
export const SPEC_MH_IGNORED = 4;
export const SPEC_FILLED = 8;

const RSUN_CM = 6.957e10;
const PC_CM = 3.085677581491367e18;
const SIGMA_SB = 5.670374419e-5;
const LOG_SIGMA = Math.log10(SIGMA_SB);
const C_AA_S = 2.99792458e18;
const LN10 = Math.LN10;
const RSUN_PER_PC_SQ = (RSUN_CM / PC_CM) ** 2;
const FWHM_PER_SIGMA = 2.3548200450309493;
/** library steps are <= ~6 A; anything wider is the gap between its two windows */
const MAX_LIBRARY_STEP = 50;

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

/** The high-resolution library: F / (sigma Teff^4) per (Teff, log g) node, missing nodes filled. */
class HiresLibrary {
  readonly wave: Float64Array;
  readonly teff: Float64Array;
  readonly logg: Float64Array;
  /** [teff][logg][wave], per Angstrom */
  readonly norm: Float32Array;
  /** 1 where the node was filled from the nearest gravity */
  readonly filled: Uint8Array;

  constructor(dir: string) {
    const g = loadGrid('spectra-btsettl', dir);
    this.wave = g.float64('wavelength');
    this.teff = g.axis('teff');
    this.logg = g.axis('logg');
    const raw = g.float64('log_flux');
    const mask = g.float64('mask');
    const nw = this.wave.length;
    const nt = this.teff.length;
    const ng = this.logg.length;
    if (raw.length !== nt * ng * nw || mask.length !== nt * ng) {
      throw new Error(`spectra-btsettl: log_flux/mask sizes do not match the axes ${nt}x${ng}x${nw}`);
    }
    this.norm = new Float32Array(raw.length);
    this.filled = new Uint8Array(nt * ng);
    for (let t = 0; t < nt; t++) {
      const have: number[] = [];
      for (let k = 0; k < ng; k++) if ((mask[t * ng + k] as number) > 0) have.push(k);
      if (have.length === 0) throw new Error(`spectra-btsettl: no model at Teff ${this.teff[t]} K`);
      const shift = LOG_SIGMA + 4 * Math.log10(this.teff[t] as number);
      for (let k = 0; k < ng; k++) {
        let src = k;
        if (!((mask[t * ng + k] as number) > 0)) {
          src = have.reduce((b, h) => (Math.abs(h - k) < Math.abs(b - k) ? h : b), have[0] as number);
          this.filled[t * ng + k] = 1;
        }
        const from = (t * ng + src) * nw;
        const to = (t * ng + k) * nw;
        for (let w = 0; w < nw; w++) this.norm[to + w] = 10 ** ((raw[from + w] as number) - shift);
      }
    }
  }
}

const hiresCache = new Map<string, HiresLibrary>();

function hires(dir: string): HiresLibrary {
  let l = hiresCache.get(dir);
  if (!l) {
    l = new HiresLibrary(dir);
    hiresCache.set(dir, l);
  }
  return l;
}

/**
 * Sparse Gaussian-LSF matrix from library samples to survey pixels: the exact integral of the Gaussian
 * times the library's piecewise-linear interpolant, so spectra stay smooth where the LSF is narrower than
 * the library sampling (APOGEE) and jagged molecular bands are not turned into steps. Over one interval
 * [a, b] of width h, with P = Phi(b) - Phi(a) and M = int (x - mu) G = -sigma^2 (phi(b) - phi(a)), the
 * weight of the right-hand sample is (M + (mu - a) P) / h and that of the left-hand one P minus it.
 */
class LsfMatrix {
  readonly starts: Int32Array;
  readonly weights: Float64Array[];

  constructor(survey: SurveyName, lib: HiresLibrary, wave: Float64Array) {
    const s = SURVEYS[survey];
    const x = lib.wave;
    const nl = x.length;
    this.starts = new Int32Array(wave.length);
    this.weights = [];
    let lo = 0;
    for (let i = 0; i < wave.length; i++) {
      const mu = wave[i] as number;
      const sigma = mu / s.resolution / FWHM_PER_SIGMA;
      while (lo < nl - 1 && (x[lo + 1] as number) < mu - 5 * sigma) lo++;
      let hi = lo;
      while (hi < nl - 1 && (x[hi] as number) < mu + 5 * sigma) hi++;
      const w = new Float64Array(hi - lo + 1);
      const cdf = (v: number): number => 0.5 * (1 + erf((v - mu) / (Math.SQRT2 * sigma)));
      const pdf = (v: number): number =>
        Math.exp(-0.5 * ((v - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
      let norm = 0;
      for (let k = lo; k < hi; k++) {
        const xa = x[k] as number;
        const xb = x[k + 1] as number;
        const h = xb - xa;
        // the gap between the optical and H windows is not library data
        if (h > MAX_LIBRARY_STEP) continue;
        const p = cdf(xb) - cdf(xa);
        const m = -sigma * sigma * (pdf(xb) - pdf(xa));
        const right = (m + (mu - xa) * p) / h;
        w[k - lo] = (w[k - lo] as number) + p - right;
        w[k + 1 - lo] = (w[k + 1 - lo] as number) + right;
        norm += p;
      }
      if (norm < 0.99) {
        throw new Error(
          `survey spectrum ${survey}: pixel at ${mu.toFixed(1)} A is outside the library windows`,
        );
      }
      for (let k = 0; k < w.length; k++) w[k] = (w[k] as number) / norm;
      this.starts[i] = lo;
      this.weights.push(w);
    }
  }

  apply(src: ArrayLike<number>, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) {
      const w = this.weights[i] as Float64Array;
      const a = this.starts[i] as number;
      let s = 0;
      for (let k = 0; k < w.length; k++) s += (w[k] as number) * (src[a + k] as number);
      out[i] = s;
    }
  }
}

/**
 * The [M/H] differential of the `btsettl` SED library (module header) on an arbitrary wavelength grid:
 * linear interpolation in ln lambda between the atmosphere grid's bin centres.
 */
class MetallicityDifferential {
  private readonly lib: SedLibrary;
  private readonly idx: Int32Array;
  private readonly frac: Float64Array;
  private readonly k0: number;
  private readonly k1: number;
  private readonly withMh: Float64Array;
  private readonly solar: Float64Array;

  constructor(wave: ArrayLike<number>, dir: string) {
    this.lib = loadLibrary('btsettl', dir);
    const lw = this.lib.wavelength;
    const lnl = Float64Array.from(lw, (x) => Math.log(x));
    this.idx = new Int32Array(wave.length);
    this.frac = new Float64Array(wave.length);
    for (let i = 0; i < wave.length; i++) {
      const [j, f] = locate(lnl, Math.log(wave[i] as number));
      this.idx[i] = j;
      this.frac[i] = f;
    }
    this.k0 = this.idx[0] as number;
    this.k1 = (this.idx[wave.length - 1] as number) + 2;
    this.withMh = new Float64Array(lw.length);
    this.solar = new Float64Array(lw.length);
  }

  /** dex added to log F at each wavelength for [M/H] = mh; returns the SED library's flags */
  into(teff: number, logg: number, mh: number, out: Float64Array): number {
    if (mh === 0) {
      out.fill(0);
      return 0;
    }
    const flags = this.lib.logNormalised(teff, logg, mh, this.withMh, this.k0, this.k1);
    this.lib.logNormalised(teff, logg, 0, this.solar, this.k0, this.k1);
    for (let i = 0; i < out.length; i++) {
      const j = this.idx[i] as number;
      const f = this.frac[i] as number;
      const d0 = (this.withMh[j] as number) - (this.solar[j] as number);
      const d1 = (this.withMh[j + 1] as number) - (this.solar[j + 1] as number);
      out[i] = d0 + f * (d1 - d0);
    }
    return flags;
  }
}

/** Noise law of one survey on its pixel grid: sigma from the noise-free flux (module header). */
export class SurveyNoise {
  readonly law: NoiseLaw;
  /** pixel range [w0, w1) of the reference window */
  readonly w0: number;
  readonly w1: number;
  private readonly fSky: number;
  private readonly invKappa: number;
  private readonly lambdaC: number;

  constructor(law: NoiseLaw, wave: Float64Array) {
    this.law = law;
    let w0 = 0;
    while (w0 < wave.length && (wave[w0] as number) < law.window[0]) w0++;
    let w1 = w0;
    while (w1 < wave.length && (wave[w1] as number) <= law.window[1]) w1++;
    if (w1 - w0 < 2)
      throw new Error(`survey noise: reference window ${law.window.join('-')} A has no pixels`);
    this.w0 = w0;
    this.w1 = w1;
    this.lambdaC = Math.sqrt(law.window[0] * law.window[1]);
    const fRef = this.fluxOfMag(law.mRef);
    this.fSky = this.fluxOfMag(law.mSky);
    const kappa = (law.snrRef * law.snrRef * (fRef + this.fSky)) / (fRef * fRef);
    this.invKappa = 1 / kappa;
  }

  /** F_lambda (erg s-1 cm-2 A-1) of magnitude m at the window centre */
  private fluxOfMag(m: number): number {
    const fnu = 10 ** (-0.4 * (m + this.law.abMinusVega + 48.6));
    return (fnu * C_AA_S) / (this.lambdaC * this.lambdaC);
  }

  /** the star's magnitude in the reference window, from its noise-free flux (row at offset) */
  magnitude(flux: ArrayLike<number>, wave: Float64Array, offset = 0): number {
    let s = 0;
    for (let i = this.w0; i < this.w1; i++) {
      const l = wave[i] as number;
      s += ((flux[offset + i] as number) * l * l) / C_AA_S;
    }
    return -2.5 * Math.log10(s / (this.w1 - this.w0)) - 48.6 - this.law.abMinusVega;
  }

  /**
   * 1-sigma errors for the row of noise-free flux at flux[fluxOffset..+n) into out[outOffset..+n); returns
   * the median S/N per pixel over the reference window.
   */
  errors(
    flux: ArrayLike<number>,
    fluxOffset: number,
    out: Float32Array | Float64Array,
    outOffset: number,
    n: number,
    scratch: Float64Array = new Float64Array(this.w1 - this.w0),
  ): number {
    const sys = 1 / (this.law.snrMax * this.law.snrMax);
    for (let i = 0; i < n; i++) {
      const f = Math.max(0, flux[fluxOffset + i] as number);
      out[outOffset + i] = Math.sqrt((f + this.fSky) * this.invKappa + f * f * sys);
    }
    for (let i = this.w0; i < this.w1; i++)
      scratch[i - this.w0] = (flux[fluxOffset + i] as number) / (out[outOffset + i] as number);
    scratch.sort();
    return scratch[scratch.length >> 1] as number;
  }
}

export interface SurveyStar {
  readonly teff: number;
  readonly logg: number;
  /** [M/H], dex (default 0) */
  readonly mh?: number;
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
  /** 1-sigma error of the survey's noise law */
  readonly error: Float64Array;
  /** median S/N per pixel over the reference window */
  readonly snr: number;
  readonly resolution: number;
  readonly warnings: string[];
}

/** The survey-like spectrum of one star, by interpolating the library and then convolving (reference path). */
export function surveySpectrum(survey: SurveyName, star: SurveyStar, dir = defaultGridDir()): SurveySpectrum {
  if (!(star.radius > 0 && star.distancePc > 0 && star.av >= 0)) {
    throw new Error(
      `survey spectrum: radius and distance must be > 0 and A_V >= 0 (got ${JSON.stringify(star)})`,
    );
  }
  const lib = hires(dir);
  const warnings: string[] = [];
  const t0 = lib.teff[0] as number;
  const t1 = lib.teff[lib.teff.length - 1] as number;
  if (!(star.teff >= t0 && star.teff <= t1)) {
    throw new Error(
      `survey spectrum: Teff ${star.teff} K is outside the high-resolution library (${t0}-${t1} K)`,
    );
  }
  const g0 = lib.logg[0] as number;
  const g1 = lib.logg[lib.logg.length - 1] as number;
  if (star.logg < g0 || star.logg > g1)
    warnings.push(`log g ${star.logg} outside the high-resolution library (${g0}-${g1}); clamped`);
  const mh = star.mh ?? 0;
  const [it, ft] = locate(lib.teff, star.teff);
  const [ig, fg] = locate(lib.logg, Math.min(g1, Math.max(g0, star.logg)));
  const nw = lib.wave.length;
  const ng = lib.logg.length;
  const lin = new Float64Array(nw);
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      const w = (a ? ft : 1 - ft) * (b ? fg : 1 - fg);
      if (w === 0) continue;
      const node = (it + a) * ng + ig + b;
      if (lib.filled[node])
        warnings.push(
          `library node ${lib.teff[it + a]} K / log g ${lib.logg[ig + b]} filled from the nearest gravity`,
        );
      const off = node * nw;
      for (let k = 0; k < nw; k++) lin[k] = (lin[k] as number) + w * (lib.norm[off + k] as number);
    }
  }
  const dmh = new Float64Array(nw);
  const mhFlags = new MetallicityDifferential(lib.wave, dir).into(star.teff, star.logg, mh, dmh);
  if (mhFlags & SED_MH_IGNORED)
    warnings.push('[M/H] not (fully) followed below 3750 K: CK04 has no models below 3500 K');
  const ext = new ExtinctionOnGrid(star.law ?? 'G23', lib.wave);
  const a = new Float64Array(nw);
  ext.curveInto(star.rv, a);
  const scale =
    LOG_SIGMA +
    4 * Math.log10(star.teff) +
    2 * Math.log10((star.radius * RSUN_CM) / (star.distancePc * PC_CM));
  const obs = new Float64Array(nw);
  for (let k = 0; k < nw; k++)
    obs[k] = (lin[k] as number) * 10 ** ((dmh[k] as number) + scale - 0.4 * star.av * (a[k] as number));
  const wave = surveyWavelength(survey);
  const flux = new Float64Array(wave.length);
  lsfMatrix(survey, dir).apply(obs, flux);
  const noise = new SurveyNoise(SURVEYS[survey].noise, wave);
  const error = new Float64Array(wave.length);
  const snr = noise.errors(flux, 0, error, 0, wave.length);
  return { wavelength: wave, flux, error, snr, resolution: SURVEYS[survey].resolution, warnings };
}

const lsfCache = new Map<string, LsfMatrix>();

function lsfMatrix(survey: SurveyName, dir: string): LsfMatrix {
  const key = `${dir}\0${survey}`;
  let m = lsfCache.get(key);
  if (!m) {
    m = new LsfMatrix(survey, hires(dir), surveyWavelength(survey));
    lsfCache.set(key, m);
  }
  return m;
}

/** Stars in, by column: the same columns as the photometry batch. */
export type SurveyBatch = PhotometryBatch;

/** Outputs, caller-allocated: rows of `pixels` values per star, row s at s * pixels. */
export interface SurveyOutputs {
  /** noise-free F_lambda, erg s-1 cm-2 A-1 */
  readonly flux: Float32Array;
  /** 1-sigma errors of the noise law */
  readonly error?: Float32Array;
  /** flux + error x N(0, 1) (needs `random`) */
  readonly noisy?: Float32Array;
  /** per star: median S/N per pixel over the reference window */
  readonly snr?: Float32Array;
  /** per star: the magnitude the noise law used (AB; Vega H for APOGEE) */
  readonly mag?: Float32Array;
  /** per star: SPEC_* bits */
  readonly flags?: Uint8Array;
}

export interface SurveyModelOptions {
  readonly law?: ExtinctionLaw;
  /** replaces parts of the survey's noise law (e.g. a longer exposure: a higher snrRef) */
  readonly noise?: Partial<NoiseLaw>;
  readonly dir?: string;
}

/**
 * Survey-like spectra for batches of stars. Built once per survey (the library nodes are convolved with the
 * LSF onto the survey pixels here, ~0.5 s); run() then costs four node rows, the [M/H] differential, the
 * reddening and the noise per star, with no allocation per star.
 */
export class SurveySpectraModel {
  readonly survey: SurveyName;
  readonly wavelength: Float64Array;
  readonly pixels: number;
  readonly resolution: number;
  readonly noise: SurveyNoise;
  private readonly lib: HiresLibrary;
  /** [teff][logg][pixel] LSF-convolved F / (sigma Teff^4) */
  private readonly nodes: Float32Array;
  private readonly mhDiff: MetallicityDifferential;
  private readonly ext: ExtinctionOnGrid;
  private readonly dmh: Float64Array;
  private readonly curve: Float64Array;
  private readonly snrScratch: Float64Array;

  constructor(survey: SurveyName, options: SurveyModelOptions = {}) {
    const dir = options.dir ?? defaultGridDir();
    this.survey = survey;
    this.wavelength = surveyWavelength(survey);
    this.pixels = this.wavelength.length;
    this.resolution = SURVEYS[survey].resolution;
    this.noise = new SurveyNoise({ ...SURVEYS[survey].noise, ...options.noise }, this.wavelength);
    this.lib = hires(dir);
    const lsf = lsfMatrix(survey, dir);
    const lib = this.lib;
    const nw = lib.wave.length;
    const nn = lib.teff.length * lib.logg.length;
    const np = this.pixels;
    this.nodes = new Float32Array(nn * np);
    const conv = new Float64Array(np);
    for (let node = 0; node < nn; node++) {
      lsf.apply(lib.norm.subarray(node * nw, (node + 1) * nw), conv);
      this.nodes.set(conv, node * np);
    }
    this.mhDiff = new MetallicityDifferential(this.wavelength, dir);
    this.ext = new ExtinctionOnGrid(options.law ?? 'G23', this.wavelength);
    this.snrScratch = new Float64Array(this.noise.w1 - this.noise.w0);
    this.dmh = new Float64Array(np);
    this.curve = new Float64Array(np);
  }

  /**
   * Fills the outputs for every star of the batch. `random` (uniform in [0, 1), e.g. the simulator's seeded
   * generator) is needed when `noisy` is asked for. Stars outside the library (or with a non-finite [M/H],
   * log L or log g, distance <= 0, A_V < 0, R_V outside 2.3-5.6) get NaN rows and SPEC_OUTSIDE.
   */
  run(batch: SurveyBatch, out: SurveyOutputs, random?: () => number): void {
    const n = batch.teff.length;
    const np = this.pixels;
    for (const [name, arr, per] of [
      ['flux', out.flux, np],
      ['error', out.error, np],
      ['noisy', out.noisy, np],
      ['snr', out.snr, 1],
      ['mag', out.mag, 1],
      ['flags', out.flags, 1],
    ] as const) {
      if (arr && arr.length < n * per)
        throw new Error(`survey spectra ${this.survey}: '${name}' needs ${n * per} values`);
    }
    if (out.noisy && !random)
      throw new Error(`survey spectra ${this.survey}: noisy spectra need a random source`);
    const lib = this.lib;
    const ng = lib.logg.length;
    const t0 = lib.teff[0] as number;
    const t1 = lib.teff[lib.teff.length - 1] as number;
    const g0 = lib.logg[0] as number;
    const g1 = lib.logg[ng - 1] as number;
    const err = out.error ?? new Float32Array(np);
    const dmh = this.dmh;
    const curve = this.curve;
    let spare = Number.NaN;
    const gauss = (): number => {
      if (!Number.isNaN(spare)) {
        const v = spare;
        spare = Number.NaN;
        return v;
      }
      const u = 1 - (random as () => number)();
      const v = (random as () => number)();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    };
    for (let s = 0; s < n; s++) {
      const teff = batch.teff[s] as number;
      const logg = batch.logg[s] as number;
      const off = s * np;
      const eoff = out.error ? off : 0;
      const distance = batch.distancePc[s] as number;
      const av = batch.av[s] as number;
      const rv = batch.rv[s] as number;
      if (!(
        teff >= t0 &&
        teff <= t1 &&
        distance > 0 &&
        av >= 0 &&
        rv >= 2.3 &&
        rv <= 5.6 &&
        Number.isFinite(logg) &&
        Number.isFinite(batch.mh[s]) &&
        Number.isFinite(batch.logL[s])
      )) {
        out.flux.fill(Number.NaN, off, off + np);
        out.error?.fill(Number.NaN, off, off + np);
        out.noisy?.fill(Number.NaN, off, off + np);
        if (out.snr) out.snr[s] = Number.NaN;
        if (out.mag) out.mag[s] = Number.NaN;
        if (out.flags) out.flags[s] = SPEC_OUTSIDE;
        continue;
      }
      let flags = 0;
      const gc = Math.min(g1, Math.max(g0, logg));
      if (gc !== logg) flags |= SPEC_LOGG_CLAMPED;
      const [it, ft] = locate(lib.teff, teff);
      const [ig, fg] = locate(lib.logg, gc);
      // bilinear in (Teff, log g) of the convolved node rows, in one pass
      const n00 = it * ng + ig;
      const n10 = n00 + ng;
      const w00 = (1 - ft) * (1 - fg);
      const w01 = (1 - ft) * fg;
      const w10 = ft * (1 - fg);
      const w11 = ft * fg;
      if (
        (w00 > 0 && lib.filled[n00]) ||
        (w01 > 0 && lib.filled[n00 + 1]) ||
        (w10 > 0 && lib.filled[n10]) ||
        (w11 > 0 && lib.filled[n10 + 1])
      )
        flags |= SPEC_FILLED;
      const nodes = this.nodes;
      const b00 = n00 * np;
      const b01 = b00 + np;
      const b10 = n10 * np;
      const b11 = b10 + np;
      if (this.mhDiff.into(teff, logg, batch.mh[s] as number, dmh) & SED_MH_IGNORED) flags |= SPEC_MH_IGNORED;
      this.ext.curveInto(rv, curve);
      // F = sigma T^4 (F / sigma T^4) (R/d)^2, R^2 = L / (4 pi sigma T^4) in solar units (as xp.ts)
      const rOverD2 =
        (10 ** (batch.logL[s] as number) * (5772 / teff) ** 4 * RSUN_PER_PC_SQ) / (distance * distance);
      const scale = LOG_SIGMA + 4 * Math.log10(teff) + Math.log10(rOverD2);
      const k = -0.4 * av;
      const flux = out.flux;
      for (let i = 0; i < np; i++) {
        const f =
          w00 * (nodes[b00 + i] as number) +
          w01 * (nodes[b01 + i] as number) +
          w10 * (nodes[b10 + i] as number) +
          w11 * (nodes[b11 + i] as number);
        flux[off + i] = f * Math.exp(LN10 * ((dmh[i] as number) + scale + k * (curve[i] as number)));
      }
      const snr = this.noise.errors(out.flux, off, err, eoff, np, this.snrScratch);
      if (out.noisy) {
        const noisy = out.noisy;
        for (let i = 0; i < np; i++)
          noisy[off + i] = (out.flux[off + i] as number) + (err[eoff + i] as number) * gauss();
      }
      if (out.snr) out.snr[s] = snr;
      if (out.mag) out.mag[s] = this.noise.magnitude(out.flux, this.wavelength, off);
      if (out.flags) out.flags[s] = flags;
    }
  }
}
