// The cost of a run before it starts, from the model card alone: floating-point operations per star
// for the chosen samples, steps and solver. The card gives multiply-adds for one context pass and one
// velocity evaluation (FLOPs = 2 × multiply-adds); without that breakdown its per-star figure is
// scaled by the number of velocity evaluations. Time is not estimated here: it depends on the machine,
// and the job reports its measured rate and ETA once it runs.
import type { ModelInfo } from '../../../electron/api/infer.ts';

export interface RunSettings {
  samples: number;
  steps: number;
  solver: string;
}

/** Velocity evaluations per sample: the solver's per step, less the saving of a final Euler step. */
function evaluationsPerSample(model: ModelInfo, solver: string, steps: number): number | null {
  const perStep = model.evaluationsPerStep[solver];
  if (perStep === undefined) return null;
  return steps * perStep - (model.sampler.finalEuler ? perStep - 1 : 0);
}

/** FLOPs per star for these settings, or null when the card gives no cost or the solver is unknown. */
export function flopsPerStar(model: ModelInfo, settings: RunSettings): number | null {
  const perSample = evaluationsPerSample(model, settings.solver, settings.steps);
  if (perSample === null) return null;
  const evaluations = settings.samples * perSample;
  if (model.costBreakdown !== null) {
    const { contextMultiplyAdds, velocityMultiplyAddsPerEvaluation } = model.costBreakdown;
    return 2 * (contextMultiplyAdds + velocityMultiplyAddsPerEvaluation * evaluations);
  }
  if (model.flopsPerStar === null) return null;
  const cardPerSample = evaluationsPerSample(model, model.sampler.solver, model.sampler.steps);
  if (cardPerSample === null) return null;
  const cardEvaluations = model.sampler.samplesPerStar * cardPerSample;
  return (model.flopsPerStar * evaluations) / cardEvaluations;
}

/** "4.2 GFLOP"-style text with SI prefixes. */
export function formatFlops(flops: number): string {
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let value = flops;
  let index = 0;
  while (value >= 1000 && index < prefixes.length - 1) {
    value /= 1000;
    index += 1;
  }
  return `${value.toPrecision(3)} ${prefixes[index]}FLOP`;
}
