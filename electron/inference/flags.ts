// Per-star flags that say when a posterior should not be trusted as it stands.
//
// `outside_training`: an observed input lies outside what the model was trained on — outside the
// card's `range` for that variable (the training split's [min, max] in physical units, written at
// export by cradle_models.export) when the card gives one; for cards exported before ranges, more
// than RANGE_SIGMA training standard deviations from the training mean in the network's space
// (z = (transform(x) − mean)/std).
//
// `misspec_score`: how atypical the star's observed inputs are of the training set, as a standardised
// chi-square: with k observed inputs and z their network-space values (zero-mean, unit-variance over the
// training set), score = (d² − k) / √(2k), where d² is the Mahalanobis distance zᵀ Σ⁻¹ z under the
// inputs' training covariance Σ (the card's `observables`, restricted to the inputs the star has); inputs
// the covariance does not list, and every input of a card without one, count as independent (z²). The
// joint form matters because the inputs are strongly correlated: a bright star is bright in every band
// (one unusual number, not eleven), while colours that contradict each other are unusual although each
// magnitude is typical. Were the training inputs Gaussian the score would have mean 0 and unit variance;
// they are not (bright stars, discs, binaries and extinction give it a long tail), so `misspecified` is
// set above the card's `limit`, the score that 0.1% of the held-out training stars exceed
// (cradle_models.export.card); cards without one fall back to MISSPEC_LIMIT, which flagged 4.7% of
// cradle-small's held-out stars with the independent score. It is still a property of the training
// inputs, not the model's own likelihood, which these graphs do not export.
import type { CardVariable } from './card.ts';
import type { StarBlock } from './tokens.ts';
import { toPhysical } from './transforms.ts';

export const RANGE_SIGMA = 5;
/** The summary column of the first flag. */
export const OUTSIDE_TRAINING_COLUMN = 'outside_training';
export const MISSPEC_LIMIT = 5;

export interface StarFlags {
  nObserved: Int32Array;
  outsideTraining: Uint8Array;
  misspecScore: Float64Array;
  misspecified: Uint8Array;
}

/** The card's training covariance of the observables in network space (cradle_models.export.card). */
export interface ObservableCovariance {
  variables: string[];
  covariance: number[][];
  /** The score above which a star is flagged; absent in cards written before it. */
  limit?: number | undefined;
}

/** The score above which `misspecified` is set for a card's model. */
export function misspecLimit(observables?: ObservableCovariance): number {
  return observables?.limit ?? MISSPEC_LIMIT;
}

/**
 * zᵀ Σ_SS⁻¹ z over the inputs S a star has, with one Cholesky factor per pattern of inputs (stars of a
 * catalogue share a few patterns).
 */
class Mahalanobis {
  private readonly factors = new Map<string, Float64Array>();

  constructor(private readonly covariance: number[][]) {}

  distance(slots: readonly number[], z: readonly number[]): number {
    const key = slots.join(',');
    let factor = this.factors.get(key);
    if (factor === undefined) {
      factor = this.cholesky(slots);
      this.factors.set(key, factor);
    }
    // Forward substitution L y = z; d² = yᵀ y.
    const n = slots.length;
    const y = new Float64Array(n);
    let d2 = 0;
    for (let i = 0; i < n; i += 1) {
      let sum = z[i]!;
      for (let j = 0; j < i; j += 1) sum -= factor[i * n + j]! * y[j]!;
      y[i] = sum / factor[i * n + i]!;
      d2 += y[i]! * y[i]!;
    }
    return d2;
  }

  private cholesky(slots: readonly number[]): Float64Array {
    const n = slots.length;
    const l = new Float64Array(n * n);
    for (let i = 0; i < n; i += 1) {
      for (let j = 0; j <= i; j += 1) {
        let sum = this.covariance[slots[i]!]![slots[j]!]!;
        for (let k = 0; k < j; k += 1) sum -= l[i * n + k]! * l[j * n + k]!;
        l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * n + j]!;
      }
    }
    return l;
  }
}

export function starFlags(
  block: StarBlock,
  variables: CardVariable[],
  observables?: ObservableCovariance,
): StarFlags {
  const { rows, width } = block;
  // Each variable's slot in the covariance, or -1 when the covariance does not list it.
  const slotOf = variables.map((v) => observables?.variables.indexOf(v.name) ?? -1);
  const mahalanobis = observables === undefined ? null : new Mahalanobis(observables.covariance);
  const limit = misspecLimit(observables);
  const slots: number[] = [];
  const joint: number[] = [];
  const nObserved = new Int32Array(rows);
  const outsideTraining = new Uint8Array(rows);
  const misspecScore = new Float64Array(rows);
  const misspecified = new Uint8Array(rows);
  for (let r = 0; r < rows; r += 1) {
    let k = 0;
    let chi2 = 0;
    let outside = false;
    slots.length = 0;
    joint.length = 0;
    for (let j = 0; j < width; j += 1) {
      if (!block.observed[r * width + j]) continue;
      const v = variables[j]!;
      const z = block.values[r * width + j]!;
      k += 1;
      if (slotOf[j]! >= 0) {
        slots.push(slotOf[j]!);
        joint.push(z);
      } else chi2 += z * z;
      if (v.range !== undefined) {
        const x = toPhysical(v, z);
        if (x < v.range[0] || x > v.range[1]) outside = true;
      } else if (Math.abs(z) > RANGE_SIGMA) outside = true;
    }
    if (slots.length > 0) chi2 += mahalanobis!.distance(slots, joint);
    nObserved[r] = k;
    outsideTraining[r] = outside ? 1 : 0;
    const score = k > 0 ? (chi2 - k) / Math.sqrt(2 * k) : 0;
    misspecScore[r] = score;
    misspecified[r] = score > limit ? 1 : 0;
  }
  return { nObserved, outsideTraining, misspecScore, misspecified };
}
