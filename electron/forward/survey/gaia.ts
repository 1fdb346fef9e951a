// What Gaia DR3 would report for a star: G, BP, RP uncertainties from the official DPAC spline of the
// median log10 σ vs magnitude (Riello et al. 2021, A&A 649, A3; gaia-dpci/gaia-dr3-photometric-
// uncertainties, GAIA-C5-TN-UB-JMC-031), valid for 4 ≤ mag ≤ 21 at the reference numbers of
// observations N = 200 (G) and 20 (BP, RP) and scaled by √(N_ref/N) otherwise; the parallax uncertainty
// σ_ϖ = √(40 + 800z + 30z²) µas / 1.1 with z = 10^(0.4(max(G, 13) - 15)) (the Gaia (E)DR3 science-
// performance fit to Lindegren et al. 2021, A&A 649, A2, Table 4; as in PyGaia's 'dr3' release, which
// removes the 10% science margin), and proper motions with σ_µα* = 1.03 σ_ϖ, σ_µδ = 0.89 σ_ϖ (same source);
// the catalogue's faint limit (completeness falling through G ≈ 20.8, after the M10 maps of
// Cantat-Gaudin et al. 2023, A&A 669, A55, at high latitude); BP/RP photometry missing for a growing
// fraction of faint sources (Riello et al. 2021 Sect. 5: ~20% of DR3 sources lack BP/RP, nearly all at
// G > 20), modelled as a logistic with half-point G = 20.3 and width 0.25 mag; and XP spectra published
// only for G < 17.65 (De Angeli et al. 2023, A&A 674, A2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BSpline } from './bspline.ts';

export type GaiaBand = 'g' | 'bp' | 'rp';
export const GAIA_REFERENCE_NOBS: Readonly<Record<GaiaBand, number>> = { g: 200, bp: 20, rp: 20 };
export const XP_G_LIMIT = 17.65;
export const GAIA_FAINT_HALF = 20.8;
export const GAIA_FAINT_WIDTH = 0.2;
export const BPRP_FAINT_HALF = 20.3;
export const BPRP_FAINT_WIDTH = 0.25;
/** σ_µ / σ_ϖ for DR3 (Lindegren et al. 2021; PyGaia's scaling for 'dr3'). */
export const PM_SCALE = { ra: 1.03, dec: 0.89 } as const;

export interface GaiaSplines {
  g: BSpline;
  bp: BSpline;
  rp: BSpline;
}

/** Parses LogErrVsMagSpline.csv (columns knots_G, coeff_G, knots_BP, coeff_BP, knots_RP, coeff_RP). */
export function parseGaiaSplineCsv(text: string, file: string): GaiaSplines {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const column = (name: string): Float64Array => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`${file}: column '${name}' is missing (header: ${header.join(',')})`);
    const values: number[] = [];
    for (let row = 1; row < lines.length; row++) {
      const cell = ((lines[row] as string).split(',')[index] ?? '').trim();
      if (cell === '') continue;
      const value = Number(cell);
      if (!Number.isFinite(value))
        throw new Error(`${file}: row ${row + 1}, column '${name}': '${cell}' is not a number`);
      values.push(value);
    }
    return Float64Array.from(values);
  };
  const make = (suffix: string): BSpline => {
    const knots = column(`knots_${suffix}`);
    const coeffs = column(`coeff_${suffix}`);
    if (knots.length !== coeffs.length) {
      throw new Error(
        `${file}: knots_${suffix} has ${knots.length} values but coeff_${suffix} has ${coeffs.length}`,
      );
    }
    return new BSpline(knots, coeffs, 3);
  };
  return { g: make('G'), bp: make('BP'), rp: make('RP') };
}

export function gaiaSplineFile(sharedData: string): string {
  return join(sharedData, 'physics', 'gaia-dr3-photometric-uncertainties', 'LogErrVsMagSpline.csv');
}

export function loadGaiaSplines(file: string): GaiaSplines {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read the Gaia uncertainty spline (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseGaiaSplineCsv(text, file);
}

/**
 * Median magnitude uncertainty (mag) for `nObs` observations; magnitudes outside the spline's domain
 * (4.017–20.983) use the value at the nearest end (brighter stars are saturated and no better than at G = 4).
 */
export function gaiaMagnitudeError(
  splines: GaiaSplines,
  band: GaiaBand,
  mag: number,
  nObs = GAIA_REFERENCE_NOBS[band],
): number {
  return gaiaMagnitudeErrorAt(splines, band, nObs)(mag);
}

/** gaiaMagnitudeError for one band and number of observations, as a function of magnitude (the table
 * is looked up once, for loops over many stars). */
export function gaiaMagnitudeErrorAt(
  splines: GaiaSplines,
  band: GaiaBand,
  nObs = GAIA_REFERENCE_NOBS[band],
): (mag: number) => number {
  const { lo, hi, sigma } = sigmaTable(splines[band]);
  const scale = Math.sqrt(GAIA_REFERENCE_NOBS[band] / nObs);
  const last = sigma.length - 2;
  return (mag) => {
    const x = (Math.min(hi, Math.max(lo, mag)) - lo) / TABLE_STEP;
    const k = Math.min(last, Math.floor(x));
    const t = x - k;
    return ((1 - t) * (sigma[k] as number) + t * (sigma[k + 1] as number)) * scale;
  };
}

/** σ = 10^spline tabulated every 0.002 mag (linear interpolation differs from the spline by < 1e-5 relative). */
const TABLE_STEP = 0.002;
const tables = new WeakMap<BSpline, { lo: number; hi: number; sigma: Float64Array }>();

function sigmaTable(spline: BSpline): { lo: number; hi: number; sigma: Float64Array } {
  let table = tables.get(spline);
  if (table === undefined) {
    const [lo, hi] = spline.domain;
    const n = Math.ceil((hi - lo) / TABLE_STEP) + 1;
    const sigma = new Float64Array(n);
    for (let i = 0; i < n; i++) sigma[i] = 10 ** spline.evaluate(Math.min(hi, lo + i * TABLE_STEP));
    table = { lo, hi, sigma };
    tables.set(spline, table);
  }
  return table;
}

/** Parallax uncertainty (mas) vs G for DR3. */
export function gaiaParallaxError(g: number): number {
  const z = 10 ** (0.4 * (Math.max(g, 13) - 15));
  return Math.sqrt(40 + 800 * z + 30 * z * z) / 1.1 / 1000;
}

/** Probability that a source of magnitude G is in the DR3 catalogue at all. */
export function gaiaDetectionProbability(g: number): number {
  return 1 / (1 + Math.exp((g - GAIA_FAINT_HALF) / GAIA_FAINT_WIDTH));
}

/** Probability that a DR3 source of magnitude G has BP and RP photometry. */
export function bpRpProbability(g: number): number {
  return 1 / (1 + Math.exp((g - BPRP_FAINT_HALF) / BPRP_FAINT_WIDTH));
}
