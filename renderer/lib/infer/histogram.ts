// Posterior marginals for the Star view: histograms of samples (density-normalised, so bars from
// different stars compare), 2-D histograms for the corner plot, and — when a run kept no samples —
// the step density implied by its summary quantiles (2.5/16/50/84/97.5 %), which says no more than
// the quantiles do.

export interface Histogram {
  /** Bin edges, length bins + 1. */
  edges: Float64Array;
  /** Probability density per bin (integrates to 1 over the finite values). */
  density: Float64Array;
}

/** The finite range of the values, widened when they are all equal. */
export function finiteRange(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return null;
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

export function histogram(
  values: ArrayLike<number>,
  bins: number,
  range = finiteRange(values),
): Histogram | null {
  if (range === null || bins < 1) return null;
  const [lo, hi] = range;
  const width = (hi - lo) / bins;
  const counts = new Float64Array(bins);
  let n = 0;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
    n += 1;
  }
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b += 1) edges[b] = lo + b * width;
  const density = counts.map((c) => (n === 0 ? 0 : c / (n * width)));
  return { edges, density };
}

/** Counts on a bins × bins grid (row-major, y outer) over the two ranges; pairs with a non-finite value are skipped. */
export function histogram2d(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  bins: number,
  xRange: [number, number],
  yRange: [number, number],
): Float64Array {
  const grid = new Float64Array(bins * bins);
  const wx = (xRange[1] - xRange[0]) / bins;
  const wy = (yRange[1] - yRange[0]) / bins;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i += 1) {
    const a = x[i]!;
    const b = y[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < xRange[0] || a > xRange[1] || b < yRange[0] || b > yRange[1]) continue;
    const ix = Math.min(bins - 1, Math.floor((a - xRange[0]) / wx));
    const iy = Math.min(bins - 1, Math.floor((b - yRange[0]) / wy));
    grid[iy * bins + ix]! += 1;
  }
  return grid;
}

export interface Quantiles {
  p2_5: number | null;
  p16: number | null;
  median: number | null;
  p84: number | null;
  p97_5: number | null;
}

/**
 * The piecewise-constant density that puts 2.5 %, 13.5 %, 34 %, 34 %, 13.5 % and 2.5 % of the mass
 * between consecutive quantiles (the outer 2.5 % tails are left out: nothing bounds them). Null when
 * a quantile is missing or the quantiles are not increasing.
 */
export function quantileDensity(q: Quantiles): Histogram | null {
  const points = [q.p2_5, q.p16, q.median, q.p84, q.p97_5];
  if (points.some((p) => p === null || !Number.isFinite(p))) return null;
  const edges = Float64Array.from(points as number[]);
  for (let i = 1; i < edges.length; i += 1) if (!(edges[i]! > edges[i - 1]!)) return null;
  const mass = [0.135, 0.34, 0.34, 0.135];
  const density = Float64Array.from(mass, (m, i) => m / (edges[i + 1]! - edges[i]!));
  return { edges, density };
}
