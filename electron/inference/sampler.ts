// Posterior samples for a block of stars: the context graph once per star, then the flow ODE over the
// latent tokens of (stars × samples) with one velocity-graph run per evaluation over the whole batch
// (architecture doc, "The cost of a posterior"). The velocity graph takes each star's tokens, mask,
// time and cached context once and broadcasts them over its samples (latent values [stars, samples,
// n_latent]), so nothing per star is copied per sample. Initial noise comes from random.ts, addressed
// by (seed, input row, sample, variable), so a star's samples depend on nothing else in its batch.
// An adapted model (card `encoders`) reads a star through its modality encoders: their tokens, with a
// modality the star lacks marked invalid, are the context graph's input instead of the observables.
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
  /** Initial noise of (input row, sample, variable); default normalAt(seed, …). The parity tests give
   * the reference sampler's noise here. */
  noise?: (row: number, sample: number, variable: number) => number;
}

/** What the velocity graph needs from a group's context stage. */
interface GroupContext {
  kv: ort.Tensor;
  /** Context tokens per star. */
  tokens: number;
  /** [n_latent, n_latent + tokens] additive mask, the same for every star of the group. */
  latentMask: Float32Array;
}

/** An encoder's inputs as card variable indices, and how many tokens it gives. */
interface EncoderInputs {
  variables: number[];
  tokens: number;
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
  private readonly encoders: EncoderInputs[];

  constructor(
    private readonly sessions: ModelSessions,
    private readonly card: ModelCard,
    readonly settings: SamplerSettings,
  ) {
    this.parameters = parameterIndices(card);
    this.parameterSlot = new Int32Array(card.variables.length).fill(-1);
    this.parameters.forEach((j, p) => (this.parameterSlot[j] = p));
    this.blocked = card.attention_mask.blocked;
    this.encoders = (card.encoders?.modalities ?? []).map((m) => ({
      variables: m.variables.map((name) => card.variables.findIndex((v) => v.name === name)),
      tokens: m.n_tokens,
    }));
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

  /** The observables' context: one token per observed variable (the Simformer's own tokenizer). */
  private async scalarContext(block: StarBlock, group: TokenGroup, members: number[]): Promise<GroupContext> {
    const b = members.length;
    const nc = contextTokens(group);
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
    return { kv, tokens: nc, latentMask: latentMask(group, this.blocked) };
  }

  /** An adapted model's context: each modality encoder's tokens (invalid where the group observes none
   * of its inputs; such a modality still runs, on an all-masked input, as in training). */
  private async encodedContext(
    block: StarBlock,
    group: TokenGroup,
    members: number[],
  ): Promise<GroupContext> {
    const b = members.length;
    const w = block.width;
    const observed = new Set(group.contextIds);
    const total = this.encoders.reduce((n, e) => n + e.tokens, 0);
    const valid = new Float32Array(total);
    const outputs: Float32Array[] = [];
    let at = 0;
    let width = 0;
    for (const [e, encoder] of this.encoders.entries()) {
      const p = encoder.variables.length;
      const values = new Float32Array(b * p);
      const errors = new Float32Array(b * p);
      const mask = new Uint8Array(b * p);
      members.forEach((r, m) => {
        encoder.variables.forEach((j, i) => {
          if (!observed.has(j)) return;
          values[m * p + i] = block.values[r * w + j]!;
          errors[m * p + i] = block.errors[r * w + j]!;
          mask[m * p + i] = 1;
        });
      });
      const result = await this.sessions.encoders[e]!.run({
        values: new ort.Tensor('float32', values, [b, p]),
        errors: new ort.Tensor('float32', errors, [b, p]),
        mask: new ort.Tensor('bool', mask, [b, p]),
      });
      const tokens = result['tokens'];
      if (tokens === undefined) throw new Error(`encoder ${e} returned no tokens`);
      width = tokens.dims[2]!;
      outputs.push(tokens.data as Float32Array);
      tokens.dispose();
      valid.fill(encoder.variables.some((j) => observed.has(j)) ? 1 : 0, at, at + encoder.tokens);
      at += encoder.tokens;
    }
    const all = new Float32Array(b * total * width);
    for (let m = 0; m < b; m += 1) {
      let offset = 0;
      for (const [e, encoder] of this.encoders.entries()) {
        const size = encoder.tokens * width;
        all.set(outputs[e]!.subarray(m * size, (m + 1) * size), (m * total + offset) * width);
        offset += encoder.tokens;
      }
    }
    const context = await this.sessions.context.run({
      tokens: new ort.Tensor('float32', all, [b, total, width]),
      token_valid: new ort.Tensor('float32', tile(valid, b), [b, total]),
    });
    const kv = context['context_kv'];
    if (kv === undefined) throw new Error('the context graph returned no context_kv');
    const nl = group.latentIds.length;
    const mask = new Float32Array(nl * (nl + total));
    for (let l = 0; l < nl; l += 1)
      for (let k = 0; k < total; k += 1) mask[l * (nl + total) + nl + k] = valid[k]! > 0 ? 0 : this.blocked;
    return { kv, tokens: total, latentMask: mask };
  }

  /** Context stage for `members`, then the ODE for members × samples; returns x(1) [m·S, nl]
   * (`members` may repeat a star: a repeat draws the same noise and gives the same samples). */
  private async sampleGroup(
    block: StarBlock,
    group: TokenGroup,
    members: number[],
    signal?: AbortSignal,
  ): Promise<Float32Array> {
    const { samples, seed, steps, solver, schedule } = this.settings;
    const noise = this.settings.noise ?? ((row, s, j) => normalAt(seed, row, s, j));
    const b = members.length;
    const nl = group.latentIds.length;
    const w = block.width;
    const {
      kv,
      tokens: nc,
      latentMask: pattern,
    } = this.encoders.length > 0
      ? await this.encodedContext(block, group, members)
      : await this.scalarContext(block, group, members);
    const rows = b * samples;
    const latentIds = new ort.Tensor('int64', int64(group.latentIds, b), [b, nl]);
    const lErrors = new Float32Array(b * nl);
    members.forEach((r, m) => {
      group.latentIds.forEach((j, l) => (lErrors[m * nl + l] = block.errors[r * w + j]!));
    });
    const latentErrors = new ort.Tensor('float32', lErrors, [b, nl]);
    const mask = new ort.Tensor('float32', tile(pattern, b), [b, nl, nl + nc]);
    const tData = new Float32Array(b);
    const tTensor = new ort.Tensor('float32', tData, [b]);
    const x0 = new Float32Array(rows * nl);
    members.forEach((r, m) => {
      const row = block.start + r;
      for (let s = 0; s < samples; s += 1) {
        for (let l = 0; l < nl; l += 1) x0[(m * samples + s) * nl + l] = noise(row, s, group.latentIds[l]!);
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
