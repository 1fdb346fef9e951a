// Synthetic photometry: the mean flux density of a spectrum through a passband, and Vega / AB magnitudes.
// Hand-written because the integral must run inside the engine on typed arrays (no JS library does this);
// it follows the definitions of Bessell & Murphy (2012, PASP 124, 140, eqs. 2-3):
//   photon-counting:  <F> = int F S l dl / int S l dl;   energy-counting: <F> = int F S dl / int S dl,
// with F and S both linear between their samples and the integral taken by the trapezoid rule on the union
// of the two wavelength grids (so neither a coarse spectrum nor a coarse curve loses the other's detail).
// Because <F> is linear in the spectrum's samples, `integrationWeights` turns a (grid, band) pair into one
// weight per sample: photometry of many spectra on a fixed grid is then a dot product.
import type { Passband, Spectrum } from './bands.ts';

const C_AA_PER_S = 2.99792458e18;
/** AB zero point: 3631 Jy (Oke & Gunn 1983) as F_nu in erg s-1 cm-2 Hz-1 */
const AB_FNU = 3631e-23;

export interface BandWeights {
  /** first sample index with a non-zero weight */
  readonly start: number;
  /** weights[i] multiplies flux[start + i] */
  readonly weights: Float64Array;
  /** int S l dl (photon) or int S dl (energy): the normalisation, Angstrom^2 or Angstrom */
  readonly norm: number;
}

function interp(x: number, xs: Float64Array, ys: Float64Array, hint: number): [number, number] {
  let j = hint;
  while (j < xs.length - 2 && (xs[j + 1] as number) < x) j++;
  const x0 = xs[j] as number;
  const x1 = xs[j + 1] as number;
  const t = x1 > x0 ? (x - x0) / (x1 - x0) : 0;
  return [(ys[j] as number) + t * ((ys[j + 1] as number) - (ys[j] as number)), j];
}

/**
 * Weights w_k over a spectrum grid so that  sum_k w_k F_k / norm  is the band's mean flux density.
 * Throws if the grid does not cover the band's non-zero response.
 */
export function integrationWeights(gridWave: Float64Array, band: Passband): BandWeights {
  const bw = band.wavelength;
  const br = band.response;
  const n = bw.length;
  let lo = 0;
  while (lo < n - 1 && (br[lo + 1] as number) === 0 && (br[lo] as number) === 0) lo++;
  let hi = n - 1;
  while (hi > 0 && (br[hi - 1] as number) === 0 && (br[hi] as number) === 0) hi--;
  const a = bw[lo] as number;
  const b = bw[hi] as number;
  const m = gridWave.length;
  if (m < 2 || (gridWave[0] as number) > a || (gridWave[m - 1] as number) < b) {
    throw new Error(
      `spectrum wavelength grid ${gridWave[0]}-${gridWave[m - 1]} A does not cover band ${band.name} (${a}-${b} A)`,
    );
  }
  // union of knots inside [a, b]
  const knots: number[] = [];
  let i = lo;
  let k = 0;
  while (k < m && (gridWave[k] as number) < a) k++;
  while (i <= hi || (k < m && (gridWave[k] as number) <= b)) {
    const xb = i <= hi ? (bw[i] as number) : Number.POSITIVE_INFINITY;
    const xg = k < m && (gridWave[k] as number) <= b ? (gridWave[k] as number) : Number.POSITIVE_INFINITY;
    if (xb < xg) {
      knots.push(xb);
      i++;
    } else if (xg < xb) {
      knots.push(xg);
      k++;
    } else {
      knots.push(xb);
      i++;
      k++;
    }
  }
  let start = 0;
  while (start < m - 1 && (gridWave[start + 1] as number) <= a) start++;
  let stop = m - 1;
  while (stop > 0 && (gridWave[stop - 1] as number) >= b) stop--;
  const weights = new Float64Array(stop - start + 1);
  const photon = band.weighting === 'photon';
  let norm = 0;
  let bh = lo;
  let gh = start;
  // g(x) = S(x) * (x or 1); F(x) = (1-t) F_j + t F_{j+1}
  const gAt = new Float64Array(knots.length);
  const jAt = new Int32Array(knots.length);
  const tAt = new Float64Array(knots.length);
  for (let q = 0; q < knots.length; q++) {
    const x = knots[q] as number;
    const [s, nbh] = interp(x, bw, br, bh);
    bh = nbh;
    gAt[q] = photon ? s * x : s;
    while (gh < m - 2 && (gridWave[gh + 1] as number) < x) gh++;
    const x0 = gridWave[gh] as number;
    const x1 = gridWave[gh + 1] as number;
    jAt[q] = gh;
    tAt[q] = (x - x0) / (x1 - x0);
  }
  for (let q = 0; q + 1 < knots.length; q++) {
    const h = 0.5 * ((knots[q + 1] as number) - (knots[q] as number));
    norm += h * ((gAt[q] as number) + (gAt[q + 1] as number));
    for (const p of [q, q + 1]) {
      const w = h * (gAt[p] as number);
      const j = (jAt[p] as number) - start;
      const t = tAt[p] as number;
      weights[j] = (weights[j] as number) + w * (1 - t);
      weights[j + 1] = (weights[j + 1] as number) + w * t;
    }
  }
  return { start, weights, norm };
}

/** Mean flux density through the band, erg s-1 cm-2 A-1. */
export function bandFlux(spectrum: Spectrum, band: Passband): number {
  const w = integrationWeights(spectrum.wavelength, band);
  return applyWeights(w, spectrum.flux);
}

export function applyWeights(w: BandWeights, flux: ArrayLike<number>, offset = 0): number {
  let s = 0;
  const ws = w.weights;
  const base = offset + w.start;
  for (let i = 0; i < ws.length; i++) s += (ws[i] as number) * (flux[base + i] as number);
  return s / w.norm;
}

/** Mean F_lambda of a source with constant F_nu = 3631 Jy through the band. */
export function abReferenceFlux(band: Passband): number {
  // F_lambda = F_nu c / l^2 on the band's own grid (exact for the reference spectrum's shape)
  const ref: Spectrum = {
    wavelength: band.wavelength,
    flux: band.wavelength.map((l) => (AB_FNU * C_AA_PER_S) / (l * l)),
  };
  return bandFlux(ref, band);
}

export function vegaMagnitude(spectrum: Spectrum, band: Passband, vega: Spectrum): number {
  return -2.5 * Math.log10(bandFlux(spectrum, band) / bandFlux(vega, band));
}

export function abMagnitude(spectrum: Spectrum, band: Passband): number {
  return -2.5 * Math.log10(bandFlux(spectrum, band) / abReferenceFlux(band));
}
