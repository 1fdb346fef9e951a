// Per-star posterior summaries in physical units: mean, median, standard deviation (population,
// numpy's default ddof = 0) and the 2.5/16/84/97.5 percentiles, under the canonical column names of
// the architecture doc (`<name>_mean`, `<name>_median`, `<name>_std`, `<name>_p2_5`, `<name>_p16`,
// `<name>_p84`, `<name>_p97_5`). A model with `log_age` also gets `p_age_lt_50myr`, the fraction of
// samples younger than 50 Myr: the young-star probability of SPYGLASS (Kerr et al. 2021, ApJ 917, 23,
// §3: P_Age<50Myr), which quantiles cannot give exactly.
//
// Percentiles follow Hyndman & Fan (1996, Am. Stat. 50, 361) type 6 (numpy's method="weibull"): the
// k-th of S sorted samples sits at probability k / (S + 1), the expected posterior mass below it, so
// the p2.5–p97.5 interval of S draws holds 95% of the posterior on average (0.953 with S = 64, the
// interpolation's small excess). numpy's default (type 7, k − 1 over S − 1) is too narrow for small S:
// from 64 draws of a calibrated posterior its p2.5–p97.5 interval covers the truth 92.3% of the time.
import type { CardVariable } from './card.ts';
import type { BlockSamples } from './sampler.ts';
import { toPhysical } from './transforms.ts';

export const STATISTICS = ['mean', 'median', 'std', 'p2_5', 'p16', 'p84', 'p97_5'] as const;
export type Statistic = (typeof STATISTICS)[number];

const QUANTILES: Partial<Record<Statistic, number>> = {
  median: 0.5,
  p2_5: 0.025,
  p16: 0.16,
  p84: 0.84,
  p97_5: 0.975,
};

/** The young-star probability column and its age limit (Kerr et al. 2021: 50 Myr). */
export const YOUNG_COLUMN = 'p_age_lt_50myr';
export const YOUNG_LOG_AGE = Math.log10(50e6);

export function summaryColumnName(parameter: string, statistic: Statistic): string {
  return `${parameter}_${statistic}`;
}

/** numpy.quantile(sorted, q, method="weibull"); `sorted` ascending, length ≥ 1. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  // numpy's operation order for the virtual index n·q + q − 1, so values match it bit for bit.
  const pos = Math.min(Math.max(sorted.length * q + q - 1, 0), sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // numpy's _lerp: a + (b − a)·f, evaluated from the upper end when f ≥ 0.5 (same rounding).
  return frac >= 0.5 ? b - (b - a) * (1 - frac) : a + (b - a) * frac;
}

export interface SummaryColumns {
  names: string[];
  /** One Float64Array (length rows) per name, in `names` order. */
  columns: Float64Array[];
}

/** A block's samples in physical units, same layout as `samples.values`. `exact` (rows × P, physical,
 * NaN where absent): a given parameter's value, which every sample of that star takes. */
export function physicalSamples(
  samples: BlockSamples,
  parameters: CardVariable[],
  exact?: Float64Array,
): Float64Array {
  const { samples: S, parameters: P, values } = samples;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const p = i % P;
    const known = exact?.[Math.floor(i / (P * S)) * P + p];
    out[i] = known !== undefined && Number.isFinite(known) ? known : toPhysical(parameters[p]!, values[i]!);
  }
  return out;
}

/** Summaries of a block's samples; `parameters` are the card variables in the samples' P order.
 * `exact`: given values (see physicalSamples). */
export function summarise(
  samples: BlockSamples,
  parameters: CardVariable[],
  exact?: Float64Array,
): SummaryColumns {
  return summarisePhysical(physicalSamples(samples, parameters, exact), samples, parameters);
}

/** Summaries of physical samples (`physical[(row · S + s) · P + p]`, the layout of `shape`). A star
 * whose samples of a parameter are all one value (a given parameter) gets that value exactly, std 0. */
export function summarisePhysical(
  physical: Float64Array,
  shape: Pick<BlockSamples, 'rows' | 'samples' | 'parameters'>,
  parameters: CardVariable[],
): SummaryColumns {
  const { rows, samples: S, parameters: P } = shape;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const byStat = parameters.map(() => new Map<Statistic, Float64Array>());
  parameters.forEach((v, p) => {
    for (const stat of STATISTICS) {
      const column = new Float64Array(rows);
      names.push(summaryColumnName(v.name, stat));
      columns.push(column);
      byStat[p]!.set(stat, column);
    }
  });
  const ageIndex = parameters.findIndex((v) => v.name === 'log_age');
  const young = ageIndex < 0 ? null : new Float64Array(rows);
  if (young !== null) {
    names.push(YOUNG_COLUMN);
    columns.push(young);
  }
  const sorted = new Float64Array(S);
  for (let r = 0; r < rows; r += 1) {
    for (let p = 0; p < P; p += 1) {
      const stats = byStat[p]!;
      let sum = 0;
      for (let s = 0; s < S; s += 1) {
        const x = physical[(r * S + s) * P + p]!;
        sorted[s] = x;
        sum += x;
      }
      const single = sorted.every((x) => x === sorted[0]);
      const mean = single ? sorted[0]! : sum / S;
      let ss = 0;
      if (!single) for (let s = 0; s < S; s += 1) ss += (sorted[s]! - mean) ** 2;
      sorted.sort();
      if (p === ageIndex && young !== null) {
        let below = 0;
        while (below < S && sorted[below]! < YOUNG_LOG_AGE) below += 1;
        young[r] = below / S;
      }
      stats.get('mean')![r] = mean;
      stats.get('std')![r] = Math.sqrt(ss / S);
      for (const [stat, q] of Object.entries(QUANTILES) as [Statistic, number][])
        stats.get(stat)![r] = quantileSorted(sorted, q);
    }
  }
  return { names, columns };
}
