// One chunk of stars, from network-space inputs to summaries, flags and (optionally) physical samples.
// The same function runs in the main thread (one worker) and in pool workers, so results cannot
// depend on where a chunk ran.
import type { CardVariable, ModelCard } from './card.ts';
import { starFlags } from './flags.ts';
import type { StarFlags } from './flags.ts';
import type { PosteriorSampler } from './sampler.ts';
import { summarise } from './summary.ts';
import type { SummaryColumns } from './summary.ts';
import type { StarBlock } from './tokens.ts';
import { toPhysical } from './transforms.ts';

export interface ChunkResult {
  rows: number;
  summary: SummaryColumns;
  flags: StarFlags;
  /** Physical samples [(row · S + s) · P + p] when asked for. */
  samples: Float32Array | null;
}

export async function computeChunk(
  sampler: PosteriorSampler,
  card: ModelCard,
  block: StarBlock,
  keepSamples: boolean,
  signal?: AbortSignal,
): Promise<ChunkResult> {
  const parameters: CardVariable[] = sampler.parameters.map((j) => card.variables[j]!);
  const drawn = await sampler.sampleBlock(block, signal);
  const P = drawn.parameters;
  const exact = givenValues(block, sampler.parameters);
  let samples: Float32Array | null = null;
  if (keepSamples) {
    samples = new Float32Array(drawn.values.length);
    for (let i = 0; i < samples.length; i += 1) {
      const known = exact?.[Math.floor(i / (P * drawn.samples)) * P + (i % P)];
      samples[i] =
        known !== undefined && Number.isFinite(known)
          ? known
          : toPhysical(parameters[i % P]!, drawn.values[i]!);
    }
  }
  return {
    rows: block.rows,
    summary: summarise(drawn, parameters, exact),
    flags: starFlags(block, card.variables, card.observables),
    samples,
  };
}

/** The given parameters' physical values as rows × P (the samples' parameter order), or undefined. */
function givenValues(block: StarBlock, parameterIndices: number[]): Float64Array | undefined {
  const given = block.given;
  if (given === undefined) return undefined;
  const P = parameterIndices.length;
  const out = new Float64Array(block.rows * P);
  for (let r = 0; r < block.rows; r += 1)
    parameterIndices.forEach((j, p) => (out[r * P + p] = given[r * block.width + j]!));
  return out;
}

/** The typed arrays of a result, for a transfer list. */
export function transferables(result: ChunkResult): ArrayBuffer[] {
  const buffers = [
    ...result.summary.columns.map((c) => c.buffer),
    result.flags.nObserved.buffer,
    result.flags.outsideTraining.buffer,
    result.flags.misspecScore.buffer,
    result.flags.misspecified.buffer,
  ];
  if (result.samples !== null) buffers.push(result.samples.buffer);
  return buffers as ArrayBuffer[];
}
