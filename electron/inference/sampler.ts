// Posterior samples for a block of stars: the context graph once per star, then the flow ODE over the
// latent tokens of (stars × samples) with one velocity-graph run per evaluation over the whole batch
// (architecture doc, "The cost of a posterior"). The velocity graph takes each star's tokens, mask,
// time and cached context once and broadcasts them over its samples (latent values [stars, samples,
// n_latent]), so nothing per star is copied per sample. Initial noise comes from random.ts, addressed
// by (seed, input row, sample, variable), so a star's samples depend on nothing else in its batch.
import ort from 'onnxruntime-node';
import type { ModelCard, Solver } from './card.ts';
import { normalAt } from './random.ts';
import type { ModelSessions } from './sessions.ts';
import { integrate, type Schedule } from './solver.ts';
import { contextMask, contextTokens, groupStars, latentMask } from './tokens.ts';
import type { StarBlock, TokenGroup } from './tokens.ts';

export interface SamplerSettings {
  samples: number;
  steps: number;
  solver: Solver;
  /** The card's time grid and last-step rule (a `--steps` override keeps them). */
  schedule: Schedule;
  seed: number;
  /** Upper bound on rows (stars × samples) of one velocity run. */
  maxBatchRows: number;
}

export const DEFAULT_MAX_BATCH_ROWS = 8192;

/**
 * Rows of padding (copies of the batch's last star, discarded) after the real rows of every run. ONNX
 * Runtime's vectorised kernels treat the last few elements of a buffer apart, so without this the
 * last star of a batch can differ from the same star mid-batch in the last float bit, and results
 * would depend on how stars fall into batches (chunk size, workers).
 */
export const GHOST_ROWS = 16;

/** Samples of a block: `values[(row · samples + s) · P + p]` in network space, P = parameters. */
export interface BlockSamples {
  rows: number;
  samples: number;
  parameters: number;
  values: Float32Array;
}

/** Indices (in card order) of the variables a posterior infers: the parameters. */
export function parameterIndices(card: ModelCard): number[] {
  return card.variables.flatMap((v, j) => (v.role === 'parameter' ? [j] : []));
}

function int64(ids: number[], repeat: number): BigInt64Array {
  const out = new BigInt64Array(ids.length * repeat);
  for (let r = 0; r < repeat; r += 1)
    for (let i = 0; i < ids.length; i += 1) out[r * ids.length + i] = BigInt(ids[i]!);
  return out;
}

function tile(pattern: Float32Array, repeat: number): Float32Array {
  const out = new Float32Array(pattern.length * repeat);
  for (let r = 0; r < repeat; r += 1) out.set(pattern, r * pattern.length);
  return out;
}

export class PosteriorSampler {
  readonly parameters: number[];
  private readonly parameterSlot: Int32Array;
  private readonly blocked: number;

  constructor(
    private readonly sessions: ModelSessions,
    private readonly card: ModelCard,
    readonly settings: SamplerSettings,
  ) {
    this.parameters = parameterIndices(card);
    this.parameterSlot = new Int32Array(card.variables.length).fill(-1);
    this.parameters.forEach((j, p) => (this.parameterSlot[j] = p));
    this.blocked = card.attention_mask.blocked;
  }

  async sampleBlock(block: StarBlock, signal?: AbortSignal): Promise<BlockSamples> {
    const { samples } = this.settings;
    const P = this.parameters.length;
    const out = new Float32Array(block.rows * samples * P).fill(Number.NaN);
    for (const group of groupStars(block, this.parameters)) {
      // Observed parameters (rare) are not sampled: their samples are the observed value.
      for (const j of group.contextIds) {
        const p = this.parameterSlot[j]!;
        if (p < 0) continue;
        for (const r of group.members) {
          const z = block.values[r * block.width + j]!;
          for (let s = 0; s < samples; s += 1) out[(r * samples + s) * P + p] = z;
        }
      }
      if (group.latentIds.length === 0) continue;
      const perRun = Math.max(1, Math.floor(this.settings.maxBatchRows / samples));
      for (let i = 0; i < group.members.length; i += perRun) {
        signal?.throwIfAborted();
        const members = group.members.slice(i, i + perRun);
        const last = members[members.length - 1]!;
        const ghosts = Array.from({ length: Math.ceil(GHOST_ROWS / samples) }, () => last);
        const x = await this.sampleGroup(block, group, [...members, ...ghosts], signal);
        const nl = group.latentIds.length;
        members.forEach((r, m) => {
          for (let s = 0; s < samples; s += 1) {
            for (let l = 0; l < nl; l += 1) {
              out[(r * samples + s) * P + this.parameterSlot[group.latentIds[l]!]!] =
                x[(m * samples + s) * nl + l]!;
            }
          }
        });
      }
    }
    return { rows: block.rows, samples, parameters: P, values: out };
  }

  /** Context graph for `members`, then the ODE for members × samples; returns x(1) [m·S, nl]
   * (`members` may repeat a star: a repeat draws the same noise and gives the same samples). */
  private async sampleGroup(
    block: StarBlock,
    group: TokenGroup,
    members: number[],
    signal?: AbortSignal,
  ): Promise<Float32Array> {
    const { samples, seed, steps, solver, schedule } = this.settings;
    const b = members.length;
    const nc = contextTokens(group);
    const nl = group.latentIds.length;
    const w = block.width;
    const cValues = new Float32Array(b * nc);
    const cErrors = new Float32Array(b * nc);
    members.forEach((r, m) => {
      group.contextIds.forEach((j, c) => {
        cValues[m * nc + c] = block.values[r * w + j]!;
        cErrors[m * nc + c] = block.errors[r * w + j]!;
      });
    });
    const ctxIds = group.contextIds.length > 0 ? group.contextIds : [0];
    const context = await this.sessions.context.run({
      context_ids: new ort.Tensor('int64', int64(ctxIds, b), [b, nc]),
      context_values: new ort.Tensor('float32', cValues, [b, nc]),
      context_errors: new ort.Tensor('float32', cErrors, [b, nc]),
      context_mask: new ort.Tensor('float32', tile(contextMask(group), b), [b, nc, nc]),
    });
    const kv = context['context_kv'];
    if (kv === undefined) throw new Error('the context graph returned no context_kv');
    const rows = b * samples;
    const latentIds = new ort.Tensor('int64', int64(group.latentIds, b), [b, nl]);
    const lErrors = new Float32Array(b * nl);
    members.forEach((r, m) => {
      group.latentIds.forEach((j, l) => (lErrors[m * nl + l] = block.errors[r * w + j]!));
    });
    const latentErrors = new ort.Tensor('float32', lErrors, [b, nl]);
    const mask = new ort.Tensor('float32', tile(latentMask(group, this.blocked), b), [b, nl, nl + nc]);
    const tData = new Float32Array(b);
    const tTensor = new ort.Tensor('float32', tData, [b]);
    const x0 = new Float32Array(rows * nl);
    members.forEach((r, m) => {
      const row = block.start + r;
      for (let s = 0; s < samples; s += 1) {
        for (let l = 0; l < nl; l += 1)
          x0[(m * samples + s) * nl + l] = normalAt(seed, row, s, group.latentIds[l]!);
      }
    });
    try {
      return await integrate(
        async (x, t) => {
          tData.fill(t);
          const result = await this.sessions.velocity.run({
            latent_ids: latentIds,
            latent_values: new ort.Tensor('float32', x, [b, samples, nl]),
            latent_errors: latentErrors,
            t: tTensor,
            context_kv: kv,
            latent_mask: mask,
          });
          const v = result['velocity'];
          if (v === undefined) throw new Error('the velocity graph returned no velocity');
          return v.data as Float32Array;
        },
        x0,
        steps,
        solver,
        schedule,
        signal,
      );
    } finally {
      kv.dispose();
    }
  }
}
