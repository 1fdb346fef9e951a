// The prior's support, checked on posterior samples. A flow trained on a bounded prior can put mass
// where the prior is zero ("leakage": Greenberg, Nonnenmacher & Macke 2019, ICML, "Automatic Posterior
// Transformation for Likelihood-Free Inference"), most of all for a star unlike the training set: on the
// demo sky, cradle-small gave a few 1-Myr members A_V samples of 10⁵ mag against a training range of
// 0.007–8.3, and posterior means of thousands of magnitudes, with neither input flag set. Each star's
// share of such samples is reported (`prior_leakage`), and samples.parquet marks them (`inside_prior`).
//
// The summaries keep every sample. sbi's DirectPosterior rejects the samples outside the prior's bounds
// (sbi reference, "Posteriors: DirectPosterior"), but the model card's calibration was measured on all
// samples, and rejecting them here would summarise another estimator than the one the card describes.
// Measured on 1,058 demo-sky stars with cradle-small, rejection removed the absurd means but lowered the
// 95% log-age coverage of the 1-Myr cluster from 0.94 to 0.43 (its members sit at the prior's lower age
// edge, and the model's posteriors there are biased high), so it is not applied without a model and a
// card calibrated for it.
//
// The support is each parameter's card `range`, the training split's [min, max] (cradle_models.export):
// the simulator's prior is bounded in every parameter (age, mass, [M/H], the volume's distance, A_V ≥ 0),
// and the training split's extremes sit at those bounds. A parameter without a range, and one the user
// gave (every sample holds the given value), does not restrict the support.
import type { CardVariable } from './card.ts';

export const PRIOR_LEAKAGE_COLUMN = 'prior_leakage';
/** The share of a star's samples outside the support above which a run says so at its end. */
export const LEAKING = 0.5;
/** The samples table's column that marks the samples inside the support. */
export const INSIDE_PRIOR_COLUMN = 'inside_prior';

/**
 * 1 for each sample (`physical[(row · S + s) · P + p]` layout) whose parameters all lie inside their card
 * ranges, as rows × S. `exact` (rows × P, NaN where absent): given values, which are not checked.
 */
export function insidePrior(
  physical: Float64Array,
  shape: { rows: number; samples: number; parameters: number },
  parameters: CardVariable[],
  exact?: Float64Array,
): Uint8Array {
  const { rows, samples: S, parameters: P } = shape;
  const inside = new Uint8Array(rows * S).fill(1);
  for (let r = 0; r < rows; r += 1)
    for (let p = 0; p < P; p += 1) {
      const range = parameters[p]!.range;
      if (range === undefined || Number.isFinite(exact?.[r * P + p] ?? Number.NaN)) continue;
      for (let s = 0; s < S; s += 1) {
        const x = physical[(r * S + s) * P + p]!;
        if (!(x >= range[0] && x <= range[1])) inside[r * S + s] = 0;
      }
    }
  return inside;
}

/** The fraction of each star's S samples outside the support. */
export function priorLeakage(inside: Uint8Array, rows: number, samples: number): Float64Array {
  const leakage = new Float64Array(rows);
  for (let r = 0; r < rows; r += 1) {
    let outside = 0;
    for (let s = 0; s < samples; s += 1) if (inside[r * samples + s] === 0) outside += 1;
    leakage[r] = outside / samples;
  }
  return leakage;
}
