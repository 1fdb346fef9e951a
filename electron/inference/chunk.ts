// One chunk of stars, from network-space inputs to summaries, flags and (optionally) physical samples.
// The same function runs in the main thread (one worker) and in pool workers, so results cannot
// depend on where a chunk ran.
import type { CardVariable, ModelCard } from './card.ts';
import { starFlags } from './flags.ts';
import type { StarFlags } from './flags.ts';
import type { PosteriorSampler } from './sampler.ts';
import { physicalSamples, summarisePhysical } from './summary.ts';
import type { SummaryColumns } from './summary.ts';
import { insidePrior, priorLeakage } from './support.ts';
import type { StarBlock } from './tokens.ts';

export interface ChunkResult {
  rows: number;
  summary: SummaryColumns;
  flags: StarFlags;
  /** The fraction of each star's samples outside the prior's support (support.ts). */
  priorLeakage: Float64Array;
  /** Physical samples [(row · S + s) · P + p] when asked for. */
  samples: Float32Array | null;
  /** With the samples: 1 for each of them inside the prior's support, rows × S. */
  insidePrior: Uint8Array | null;
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
  const given = givenValues(block, sampler.parameters);
  const physical = physicalSamples(drawn, parameters, given);
  const inside = insidePrior(physical, drawn, parameters, given);
  return {
    rows: block.rows,
    summary: summarisePhysical(physical, drawn, parameters),
    flags: starFlags(block, card.variables, card.observables),
    priorLeakage: priorLeakage(inside, block.rows, drawn.samples),
    samples: keepSamples ? Float32Array.from(physical) : null,
    insidePrior: keepSamples ? inside : null,
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
    result.priorLeakage.buffer,
  ];
  if (result.samples !== null) buffers.push(result.samples.buffer);
  if (result.insidePrior !== null) buffers.push(result.insidePrior.buffer);
  return buffers as ArrayBuffer[];
}
