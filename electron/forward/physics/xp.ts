// Gaia XP-like sampled spectra: a model SED as Gaia's externally calibrated BP/RP spectra present it, on
// their 336-1020 nm grid in 2 nm steps (De Angeli et al. 2023; Montegriffo et al. 2023), in W m-2 nm-1.
//
// Line-spread approximation (documented, not Gaia's own): a Gaussian whose FWHM follows the prism
// dispersion D(lambda) of each instrument (Carrasco et al. 2021, A&A 652, A86, Fig. 2: BP ~3 nm/px at
// 330 nm to ~27 nm/px at 680 nm, RP ~7 nm/px at 640 nm to ~15 nm/px at 1050 nm), taken as power laws
// D_BP = 3 (l/330)^3.04 and D_RP = 7 (l/640)^1.54 nm/px, times 1.3 px (the LSF core width in pixels).
// That gives FWHM ~4-35 nm in BP and ~9-19 nm in RP (R ~ 80 down to 20 and 70-55), the resolution of the
// calibrated spectra to within a factor ~1.5. BP and RP are merged as the calibrated sampled spectra are
// (GaiaXPy's merge, the weights in assets/grids/gaia-xp): BP alone below 635 nm, RP alone above 643 nm, and
// w_BP = (643 - l) / 8 nm between, each instrument's spectrum with its own LSF. (An earlier version blended
// the two FWHMs over 640-680 nm, which smeared RP's 643-680 nm with BP's ~30 nm LSF.) Each output sample
// integrates the Gaussians over every bin of the atmosphere grid (erf), so the SED's bin averages are used
// exactly.
//
// Noise: sigma = sqrt(k(lambda) f), the photon-noise law with k calibrated on real DR3 XP spectra
// (assets/grids xp-noise; assets/make/xp.py), so relative errors scale as 10^(0.2 m) with magnitude.
import { defaultGridDir, loadGrid } from './grid-file.ts';
import { loadLibrary, type LibraryName, type SedLibrary } from './atmospheres.ts';
import { ExtinctionOnGrid, type ExtinctionLaw } from './extinction.ts';
import { observedSed, type Observation, type StarAtmosphere } from './star.ts';
import type { PhotometryBatch } from './bc-tables.ts';

export const XP_N = 343;
/** erg s-1 cm-2 A-1 -> W m-2 nm-1 */
const CGS_TO_SI = 1e-2;

export function xpWavelengthNm(): Float64Array {
  return Float64Array.from({ length: XP_N }, (_, i) => 336 + 2 * i);
}

/** FWHM (nm) of the XP line-spread approximation of one instrument at wavelength l (nm); module header. */
export function xpLsfFwhmNm(l: number, instrument: 'bp' | 'rp'): number {
  return instrument === 'bp' ? 1.3 * 3 * (l / 330) ** 3.04 : 1.3 * 7 * (l / 640) ** 1.54;
}

/** Weight of BP in the merged spectrum at wavelength l (nm): GaiaXPy's linear ramp over 635-643 nm. */
export function xpMergeWeightBp(l: number): number {
  return Math.min(1, Math.max(0, (643 - l) / 8));
}

/** erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7) */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}

/** Sparse (sample x atmosphere bin) LSF matrix for one library grid, and the noise law. */
export class XpModel {
  readonly wavelengthNm = xpWavelengthNm();
  readonly starts: Int32Array;
  readonly weights: Float64Array[];
  readonly noiseK: Float64Array;
  /** the rows of `weights` back to back (row i at rowOffset[i]..rowOffset[i+1]), for the hot loop */
  private readonly flat: Float64Array;
  private readonly rowOffset: Int32Array;

  constructor(library: LibraryName, dir = defaultGridDir()) {
    const lib = loadLibrary(library, dir);
    const edges = loadGrid('atmos-kurucz', dir).float64('bin_edges');
    if (edges.length !== lib.wavelength.length + 1)
      throw new Error('atmos-kurucz: bin_edges do not match its wavelength grid');
    this.starts = new Int32Array(XP_N);
    this.weights = [];
    const nb = lib.wavelength.length;
    /** the normalised Gaussian of FWHM fwhmNm at mu (A) over the grid bins, added with weight `weight` */
    const addGaussian = (mu: number, fwhmNm: number, weight: number, row: Map<number, number>): void => {
      const sigma = (fwhmNm * 10) / 2.3548200450309493;
      let a = 0;
      while (a < nb - 1 && (edges[a + 1] as number) < mu - 4 * sigma) a++;
      let b = a;
      while (b < nb - 1 && (edges[b] as number) < mu + 4 * sigma) b++;
      const w = new Float64Array(b - a + 1);
      let sum = 0;
      for (let k = a; k <= b; k++) {
        const c0 = erf(((edges[k] as number) - mu) / (Math.SQRT2 * sigma));
        const c1 = erf(((edges[k + 1] as number) - mu) / (Math.SQRT2 * sigma));
        w[k - a] = 0.5 * (c1 - c0);
        sum += w[k - a] as number;
      }
      for (let k = a; k <= b; k++) row.set(k, (row.get(k) ?? 0) + (weight * (w[k - a] as number)) / sum);
    };
    for (let i = 0; i < XP_N; i++) {
      const l = this.wavelengthNm[i] as number;
      const wBp = xpMergeWeightBp(l);
      const row = new Map<number, number>();
      if (wBp > 0) addGaussian(l * 10, xpLsfFwhmNm(l, 'bp'), wBp, row);
      if (wBp < 1) addGaussian(l * 10, xpLsfFwhmNm(l, 'rp'), 1 - wBp, row);
      const keys = [...row.keys()];
      const a = Math.min(...keys);
      const b = Math.max(...keys);
      const w = new Float64Array(b - a + 1);
      for (const [k, v] of row) w[k - a] = v;
      this.starts[i] = a;
      this.weights.push(w);
    }
    this.rowOffset = new Int32Array(XP_N + 1);
    for (let i = 0; i < XP_N; i++)
      this.rowOffset[i + 1] = (this.rowOffset[i] as number) + (this.weights[i] as Float64Array).length;
    this.flat = new Float64Array(this.rowOffset[XP_N] as number);
    this.weights.forEach((w, i) => this.flat.set(w, this.rowOffset[i]));
    const noise = loadGrid('xp-noise', dir);
    this.noiseK = noise.float64('k');
    if (this.noiseK.length !== XP_N)
      throw new Error(`xp-noise: k has ${this.noiseK.length} samples, expected ${XP_N}`);
  }

  /** XP samples (W m-2 nm-1) of an observed SED given on the library grid (erg s-1 cm-2 A-1) into out. */
  apply(sed: Float64Array, out: Float64Array | Float32Array, offset = 0): void {
    const flat = this.flat;
    const rows = this.rowOffset;
    const starts = this.starts;
    for (let i = 0; i < XP_N; i++) {
      const r0 = rows[i] as number;
      const r1 = rows[i + 1] as number;
      const shift = (starts[i] as number) - r0;
      let s = 0;
      for (let j = r0; j < r1; j++) s += (flat[j] as number) * (sed[shift + j] as number);
      out[offset + i] = s * CGS_TO_SI;
    }
  }

  /** 1-sigma errors for XP fluxes (W m-2 nm-1) from the calibrated noise law */
  errors(flux: ArrayLike<number>, out: Float64Array | Float32Array, offset = 0): void {
    for (let i = 0; i < XP_N; i++)
      out[offset + i] = Math.sqrt((this.noiseK[i] as number) * Math.max(0, flux[offset + i] as number));
  }
}

/** Stars in, by column: the same columns as the photometry batch. */
export type XpBatch = PhotometryBatch;

const RSUN_PER_PC_SQ = (6.957e10 / 3.085677581491367e18) ** 2;
const SIGMA_SB = 5.670374419e-5;

/**
 * XP-like spectra for a batch: row s of `flux` (n x 343, W m-2 nm-1) and of `error` (1 sigma). Per star:
 * the SED interpolated over the bins the LSF reaches, reddened, scaled by (R/d)^2 and put through the LSF
 * matrix. Stars outside the library get NaN rows.
 */
export class XpBatchModel {
  readonly model: XpModel;
  private readonly lib: SedLibrary;
  private readonly ext: ExtinctionOnGrid;
  private readonly lo: number;
  private readonly hi: number;
  private readonly logF: Float64Array;
  private readonly curve: Float64Array;
  private readonly sed: Float64Array;

  constructor(library: LibraryName, law: ExtinctionLaw = 'G23', dir = defaultGridDir()) {
    this.model = xpModel(library, dir);
    this.lib = loadLibrary(library, dir);
    this.ext = new ExtinctionOnGrid(law, this.lib.wavelength);
    const m = this.model;
    this.lo = m.starts[0] as number;
    this.hi = (m.starts[XP_N - 1] as number) + (m.weights[XP_N - 1] as Float64Array).length - 1;
    const nw = this.lib.wavelength.length;
    this.logF = new Float64Array(nw);
    this.curve = new Float64Array(nw);
    this.sed = new Float64Array(nw);
  }

  run(batch: XpBatch, flux: Float32Array, error?: Float32Array): void {
    const n = batch.teff.length;
    if (flux.length < n * XP_N || (error && error.length < n * XP_N)) {
      throw new Error(`XP batch: output arrays need ${n} x ${XP_N} values`);
    }
    for (let s = 0; s < n; s++) {
      const teff = batch.teff[s] as number;
      const off = s * XP_N;
      if (!(teff >= this.lib.teffRange[0] && teff <= this.lib.teffRange[1])) {
        flux.fill(Number.NaN, off, off + XP_N);
        if (error) error.fill(Number.NaN, off, off + XP_N);
        continue;
      }
      this.lib.logNormalised(
        teff,
        batch.logg[s] as number,
        batch.mh[s] as number,
        this.logF,
        this.lo,
        this.hi + 1,
      );
      this.ext.curveInto(batch.rv[s] as number, this.curve);
      // F = sigma T^4 * 10^logNorm ; at the observer x (R/d)^2, R^2 = L / (4 pi sigma T^4) in Rsun units
      const rOverD2 =
        (10 ** (batch.logL[s] as number) * (5772 / teff) ** 4 * RSUN_PER_PC_SQ) /
        (batch.distancePc[s] as number) ** 2;
      const scale = Math.log10(SIGMA_SB * teff ** 4 * rOverD2);
      const av = -0.4 * (batch.av[s] as number);
      const logF = this.logF;
      const curve = this.curve;
      const sed = this.sed;
      for (let k = this.lo; k <= this.hi; k++)
        sed[k] = Math.exp(Math.LN10 * ((logF[k] as number) + scale + av * (curve[k] as number)));
      this.model.apply(this.sed, flux, off);
      if (error) this.model.errors(flux, error, off);
    }
  }
}

const models = new Map<string, XpModel>();

export function xpModel(library: LibraryName, dir = defaultGridDir()): XpModel {
  const key = `${dir}\0${library}`;
  let m = models.get(key);
  if (!m) {
    m = new XpModel(library, dir);
    models.set(key, m);
  }
  return m;
}

export interface XpSpectrum {
  readonly wavelength: number[];
  readonly flux: number[];
  readonly flux_error: number[];
  readonly unit: 'W m-2 nm-1';
}

/** The XP-like spectrum of one star (noise-free flux and its calibrated 1-sigma error). */
export function xpSpectrum(star: StarAtmosphere, obs: Observation): XpSpectrum {
  const sed = observedSed(star, obs);
  const model = xpModel(obs.library);
  const flux = new Float64Array(XP_N);
  const err = new Float64Array(XP_N);
  model.apply(sed.flux, flux);
  model.errors(flux, err);
  return {
    wavelength: Array.from(model.wavelengthNm),
    flux: Array.from(flux),
    flux_error: Array.from(err),
    unit: 'W m-2 nm-1',
  };
}
