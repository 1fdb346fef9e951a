// Per-star flags that say when a posterior should not be trusted as it stands.
//
// `outside_training`: an observed input lies outside what the model was trained on — outside the
// card's `range` for that variable (the training split's [min, max] in physical units, written at
// export by cradle_models.export) when the card gives one; for cards exported before ranges, more
// than RANGE_SIGMA training standard deviations from the training mean in the network's space
// (z = (transform(x) − mean)/std).
//
// `misspec_score`: how atypical the star's observed inputs are of the training set, as a standardised
// chi-square: with k observed inputs and z_i their network-space values (which are zero-mean,
// unit-variance over the training set), score = (Σ z_i² − k) / √(2k). Under the training
// distribution with Gaussian marginals it has mean 0 and unit variance; `misspecified` is set above
// MISSPEC_LIMIT (a one-sided tail of ≈ 1e-4 for a few inputs). It is a marginal test: a star whose
// inputs are each typical but jointly impossible for the model (e.g. colours that contradict each
// other) is not caught; that needs the model's own likelihood, which these graphs do not export.
import type { CardVariable } from './card.ts';
import type { StarBlock } from './tokens.ts';
import { toPhysical } from './transforms.ts';

export const RANGE_SIGMA = 5;
export const MISSPEC_LIMIT = 5;

export interface StarFlags {
  nObserved: Int32Array;
  outsideTraining: Uint8Array;
  misspecScore: Float64Array;
  misspecified: Uint8Array;
}

export function starFlags(block: StarBlock, variables: CardVariable[]): StarFlags {
  const { rows, width } = block;
  const nObserved = new Int32Array(rows);
  const outsideTraining = new Uint8Array(rows);
  const misspecScore = new Float64Array(rows);
  const misspecified = new Uint8Array(rows);
  for (let r = 0; r < rows; r += 1) {
    let k = 0;
    let chi2 = 0;
    let outside = false;
    for (let j = 0; j < width; j += 1) {
      if (!block.observed[r * width + j]) continue;
      const v = variables[j]!;
      const z = block.values[r * width + j]!;
      k += 1;
      chi2 += z * z;
      if (v.range !== undefined) {
        const x = toPhysical(v, z);
        if (x < v.range[0] || x > v.range[1]) outside = true;
      } else if (Math.abs(z) > RANGE_SIGMA) outside = true;
    }
    nObserved[r] = k;
    outsideTraining[r] = outside ? 1 : 0;
    const score = k > 0 ? (chi2 - k) / Math.sqrt(2 * k) : 0;
    misspecScore[r] = score;
    misspecified[r] = score > MISSPEC_LIMIT ? 1 : 0;
  }
  return { nObserved, outsideTraining, misspecScore, misspecified };
}
