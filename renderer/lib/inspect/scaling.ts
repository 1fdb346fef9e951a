// Display scaling for the image view: limits (min/max, central percentiles, zscale) and the
// stretches that map a value between the limits to [0, 1]. The stretch formulas and constants are
// astropy.visualization's (LogStretch a = 1000, AsinhStretch a = 0.1, PowerDistStretch a = 1000 —
// the same as DS9's "log", "asinh" and "pow" scales), so a scaled image matches what astropy and
// DS9 show. Histogram equalisation maps through the cumulative distribution of the shown values.
import { zscale } from './zscale.ts';

export const stretches = ['linear', 'sqrt', 'log', 'asinh', 'power', 'histeq'] as const;
export type Stretch = (typeof stretches)[number];

export const limitModes = ['minmax', '99.5', '99', '95', 'zscale'] as const;
export type LimitMode = (typeof limitModes)[number];

export const LOG_A = 1000;
export const ASINH_A = 0.1;
export const POWER_A = 1000;

/** A stretch of x ∈ [0, 1] (histogram equalisation is not pointwise; see equalisation()). */
export function stretch(kind: Exclude<Stretch, 'histeq'>, x: number): number {
  switch (kind) {
    case 'linear':
      return x;
    case 'sqrt':
      return Math.sqrt(x);
    case 'log':
      return Math.log(LOG_A * x + 1) / Math.log(LOG_A + 1);
    case 'asinh':
      return Math.asinh(x / ASINH_A) / Math.asinh(1 / ASINH_A);
    case 'power':
      return (POWER_A ** x - 1) / (POWER_A - 1);
  }
}

function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** numpy.percentile with linear interpolation, on sorted values. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const weight = position - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * weight;
}

/** Display limits [vmin, vmax]; a percentile mode keeps that central fraction (astropy PercentileInterval). */
export function limits(values: ArrayLike<number>, mode: LimitMode): [number, number] {
  if (mode === 'zscale') return zscale(values);
  if (mode === 'minmax') {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    return low <= high ? [low, high] : [0, 1];
  }
  const sorted = finiteSorted(values);
  if (sorted.length === 0) return [0, 1];
  const kept = Number(mode);
  const tail = (100 - kept) / 2;
  return [percentile(sorted, tail), percentile(sorted, 100 - tail)];
}

/**
 * Histogram equalisation: for `bins` equal steps of x = (v − vmin)/(vmax − vmin), the fraction of
 * the finite values at or below that step — the lookup that spreads the shown values evenly.
 */
export function equalisation(
  values: ArrayLike<number>,
  vmin: number,
  vmax: number,
  bins = 1024,
): Float32Array {
  const counts = new Float64Array(bins);
  const span = vmax > vmin ? vmax - vmin : 1;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const x = Math.min(1, Math.max(0, (v - vmin) / span));
    counts[Math.min(bins - 1, Math.floor(x * bins))]! += 1;
    total++;
  }
  const lookup = new Float32Array(bins);
  let running = 0;
  for (let i = 0; i < bins; i++) {
    running += counts[i]!;
    lookup[i] = total === 0 ? i / (bins - 1) : running / total;
  }
  return lookup;
}

/** Where value v lands on the colormap, in [0, 1] (NaN for non-finite v). */
export function displayPosition(
  v: number,
  vmin: number,
  vmax: number,
  kind: Stretch,
  lookup?: Float32Array,
): number {
  if (!Number.isFinite(v)) return NaN;
  const span = vmax > vmin ? vmax - vmin : 1;
  const x = Math.min(1, Math.max(0, (v - vmin) / span));
  if (kind === 'histeq') {
    if (lookup === undefined) return x;
    return lookup[Math.min(lookup.length - 1, Math.floor(x * lookup.length))]!;
  }
  return stretch(kind, x);
}
