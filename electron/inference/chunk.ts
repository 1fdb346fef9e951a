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
  let samples: Float32Array | null = null;
  if (keepSamples) {
    const P = drawn.parameters;
    samples = new Float32Array(drawn.values.length);
    for (let i = 0; i < samples.length; i += 1) samples[i] = toPhysical(parameters[i % P]!, drawn.values[i]!);
  }
  return {
    rows: block.rows,
    summary: summarise(drawn, parameters),
    flags: starFlags(block, card.variables, card.observables),
    samples,
  };
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
