// The age of a cluster from its members' posteriors, taking the members as coeval.
//
// With a run's summaries and the model's training prior (the card's `prior_marginals.log_age`), each
// member's posterior is divided by the prior it was computed under, so that the product over members
// counts the prior once instead of once per member (Hogg, Myers & Bovy 2010, ApJ 725, 2166, §2: the
// interim-prior reweighting; the same combination as cradle_models.adaptation.real_clusters). A member
// whose posterior is the prior — a main-sequence star whose photometry says little about its age —
// then contributes a flat likelihood instead of pulling the cluster towards the prior's old ages. The
// summary holds five quantiles per star, so each member's likelihood is taken as constant between
// them: 2.5% of the posterior between the prior's lower edge and the 2.5th percentile over the prior's
// mass there, and so on (a posterior that is the prior then gives a flat likelihood exactly). Each
// member's likelihood is mixed with a 5% flat outlier term (field stars among the members, failed
// fits), the combined posterior takes a flat prior in log age over the model's range, and its 1σ is
// the larger of half its 16–84% width and the spread of its median over a bootstrap of the members
// (which the product alone understates: it treats the members' likelihoods as exact).
//
// Without a prior (simulated truth, a catalogue's ages) the members' log ages are combined as
// Gaussians (median, σ = half the 16–84% width): the inverse-variance weighted mean with
// σ = (Σ σᵢ⁻²)^−½, widened to the standard error of the members' scatter (1.4826·MAD/√n) when the
// members disagree more than their errors allow; members without a width reduce to the median ± that
// standard error.
import { philox4x32 } from '../inference/random.ts';

/** A parameter's training-split histogram as the card gives it (density per unit of the parameter). */
export interface PriorHistogram {
  edges: number[];
  density: number[];
}

export interface CombinedAge {
  logAge: number;
  sigma: number;
}

/** A run's summary quantiles of a parameter, and their levels. */
export const QUANTILE_STATS = ['p2_5', 'p16', 'median', 'p84', 'p97_5'] as const;
export const SUMMARY_LEVELS = [0.025, 0.16, 0.5, 0.84, 0.975] as const;

const OUTLIER_FRACTION = 0.05;
const GRID_STEP = 0.01;
const BOOTSTRAP = 64;
const BOOTSTRAP_KEY = 0xc1a5;
/** Where the prior histogram is empty, its density is floored at this fraction of its peak. */
const PRIOR_FLOOR = 1e-3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}

/** Coeval members' log ages as Gaussians (see the module header). */
export function combineAges(logAges: number[], sigmas: number[]): CombinedAge {
  const centre = median(logAges);
  const mad = 1.4826 * median(logAges.map((x) => Math.abs(x - centre)));
  const scatterError = mad / Math.sqrt(logAges.length);
  const weighted = sigmas.every((s) => s > 0);
  if (!weighted) return { logAge: centre, sigma: scatterError };
  let sw = 0;
  let swx = 0;
  logAges.forEach((x, i) => {
    const w = 1 / sigmas[i]! ** 2;
    sw += w;
    swx += w * x;
  });
  return { logAge: swx / sw, sigma: Math.max(1 / Math.sqrt(sw), scatterError) };
}

/** A check of the card's histogram, naming what is wrong. */
export function checkPrior(prior: PriorHistogram, where: string): void {
  const { edges, density } = prior;
  if (edges.length < 2 || density.length !== edges.length - 1)
    throw new Error(`${where}: ${edges.length} edges for ${density.length} bins`);
  for (let i = 1; i < edges.length; i++)
    if (!(edges[i]! > edges[i - 1]!)) throw new Error(`${where}: edges must increase (at ${i})`);
  if (!density.every((d) => Number.isFinite(d) && d >= 0) || !density.some((d) => d > 0))
    throw new Error(`${where}: densities must be finite, non-negative and not all zero`);
}

function gridMedian(logPosterior: Float64Array, grid: Float64Array, level = 0.5): number {
  let peak = Number.NEGATIVE_INFINITY;
  for (const v of logPosterior) peak = Math.max(peak, v);
  const weights = logPosterior.map((v) => Math.exp(v - peak));
  const total = weights.reduce((s, w) => s + w, 0);
  let cumulative = 0;
  for (let g = 0; g < grid.length; g++) {
    const next = cumulative + weights[g]! / total;
    if (next >= level) {
      const fraction = weights[g]! > 0 ? (level - cumulative) / (weights[g]! / total) : 0.5;
      return grid[g]! + (fraction - 0.5) * (grid[1]! - grid[0]!);
    }
    cumulative = next;
  }
  return grid[grid.length - 1]!;
}

/**
 * Coeval members' posteriors, given as quantile rows (SUMMARY_LEVELS, 5 values per member), with the
 * prior they were computed under divided out (see the module header). Rows with a non-finite
 * quantile are skipped; null when none is left.
 */
export function combineAgePosteriors(
  quantiles: ArrayLike<number>,
  prior: PriorHistogram,
): CombinedAge | null {
  const lo = prior.edges[0]!;
  const hi = prior.edges[prior.edges.length - 1]!;
  const cells = Math.max(2, Math.round((hi - lo) / GRID_STEP));
  const step = (hi - lo) / cells;
  const grid = Float64Array.from({ length: cells }, (_, g) => lo + (g + 0.5) * step);
  let peak = 0;
  for (const d of prior.density) peak = Math.max(peak, d);
  const levels = [0, ...SUMMARY_LEVELS, 1];
  // The prior's cumulative mass at each edge, for the prior mass between two knots.
  const cumulative = [0];
  prior.density.forEach((d, i) =>
    cumulative.push(
      cumulative[i]! + Math.max(d, PRIOR_FLOOR * peak) * (prior.edges[i + 1]! - prior.edges[i]!),
    ),
  );
  const priorCdf = (x: number): number => {
    let bin = 0;
    while (bin < prior.density.length - 1 && x >= prior.edges[bin + 1]!) bin++;
    const width = prior.edges[bin + 1]! - prior.edges[bin]!;
    const within = Math.min(1, Math.max(0, (x - prior.edges[bin]!) / width));
    return cumulative[bin]! + within * (cumulative[bin + 1]! - cumulative[bin]!);
  };
  const members: Float64Array[] = [];
  for (let m = 0; 5 * m < quantiles.length; m++) {
    const row = Array.from({ length: 5 }, (_, k) => quantiles[5 * m + k]!);
    if (!row.every(Number.isFinite)) continue;
    // Knots: the prior's edges and the member's quantiles, clipped to the range, in order and at least
    // one grid cell apart (quantiles of a few dozen samples can coincide, e.g. at the range's edge).
    const knots = [lo, ...row.map((q) => Math.min(hi, Math.max(lo, q))), hi];
    for (let k = 1; k < knots.length - 1; k++) knots[k] = Math.max(knots[k]!, knots[k - 1]! + step);
    for (let k = knots.length - 2; k > 0; k--) knots[k] = Math.min(knots[k]!, knots[k + 1]! - step);
    // Between consecutive quantiles the posterior is taken to follow the prior, i.e. the likelihood is
    // constant there: the segment's share of the posterior over its share of the prior. A posterior
    // equal to the prior gives a flat likelihood, whatever the prior's shape.
    const ratio = levels.slice(1).map((share, k) => {
      const mass = priorCdf(knots[k + 1]!) - priorCdf(knots[k]!);
      return mass > 0 ? (share - levels[k]!) / mass : 0;
    });
    const likelihood = new Float64Array(cells);
    let segment = 0;
    for (let g = 0; g < cells; g++) {
      while (segment < ratio.length - 1 && grid[g]! >= knots[segment + 1]!) segment++;
      likelihood[g] = ratio[segment]!;
    }
    const norm = likelihood.reduce((s, v) => s + v, 0) * step;
    const logLikelihood = likelihood.map((v) =>
      Math.log(((1 - OUTLIER_FRACTION) * v) / norm + OUTLIER_FRACTION / (hi - lo)),
    );
    members.push(logLikelihood);
  }
  if (members.length === 0) return null;
  const all = new Float64Array(cells);
  for (const row of members) for (let g = 0; g < cells; g++) all[g]! += row[g]!;
  const logAge = gridMedian(all, grid);
  const halfWidth = 0.5 * (gridMedian(all, grid, 0.84) - gridMedian(all, grid, 0.16));
  // Bootstrap over members (Efron 1979): draw b, position r picks member ⌊u·n⌋ with u from the
  // counter-based Philox stream (inference/random.ts), so a cluster's σ is the same on every run.
  const n = members.length;
  const word = new Uint32Array(4);
  const medians = Array.from({ length: BOOTSTRAP }, (_, b) => {
    const total = new Float64Array(cells);
    for (let r = 0; r < n; r++) {
      philox4x32(b, r, 0, 0, BOOTSTRAP_KEY, 0, word);
      const row = members[Math.floor((word[0]! / 4294967296) * n)]!;
      for (let g = 0; g < cells; g++) total[g]! += row[g]!;
    }
    return gridMedian(total, grid);
  });
  const mean = medians.reduce((s, v) => s + v, 0) / BOOTSTRAP;
  const spread = Math.sqrt(medians.reduce((s, v) => s + (v - mean) ** 2, 0) / (BOOTSTRAP - 1));
  return { logAge, sigma: Math.max(halfWidth, spread) };
}
