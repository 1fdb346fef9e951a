// Token layout of the split Simformer for a set of stars (card "tokens" and "attention_mask";
// native-models/cradle_models/nets/tokens.py): context tokens are a star's present and observed
// variables, latent tokens its present and latent ones, each in variable order. Stars are grouped by
// their condition pattern, so every star of a group has the same token ids and no padding is needed;
// a star with nothing observed gets one padding context token (ids 0, values 0, errors 0) that is
// blocked as a key but may attend to itself, as the card requires.

export interface StarBlock {
  /** Input row of the first star (the random-number address of the block's stars). */
  start: number;
  rows: number;
  /** Variables per star (the card's token count). */
  width: number;
  /** rows × width, network space; ignored where not observed. */
  values: Float32Array;
  /** rows × width, normalised uncertainty, 0 = none. */
  errors: Float32Array;
  /** rows × width: 1 = observed (a context token). */
  observed: Uint8Array;
  /** rows × width, physical units: a given parameter's value where it is observed, NaN elsewhere; absent
   * when no parameter is given. Summaries report it as given, not back from float32 network space. */
  given?: Float64Array;
}

export interface TokenGroup {
  /** Rows (within the block) of the stars in this group, ascending. */
  members: number[];
  /** Variable indices of the context tokens (empty: a padding token stands in). */
  contextIds: number[];
  /** Variable indices of the latent tokens. */
  latentIds: number[];
}

/**
 * Groups the stars of a block by which variables are observed. `latent` lists the variables to infer
 * (the parameters); an observed parameter is context, never latent.
 */
export function groupStars(block: StarBlock, latent: number[]): TokenGroup[] {
  const groups = new Map<string, TokenGroup>();
  const isLatent = new Uint8Array(block.width);
  for (const j of latent) isLatent[j] = 1;
  for (let r = 0; r < block.rows; r += 1) {
    const contextIds: number[] = [];
    const latentIds: number[] = [];
    for (let j = 0; j < block.width; j += 1) {
      if (block.observed[r * block.width + j]) contextIds.push(j);
      else if (isLatent[j]) latentIds.push(j);
    }
    const key = `${contextIds.join(',')}|${latentIds.join(',')}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { members: [], contextIds, latentIds };
      groups.set(key, group);
    }
    group.members.push(r);
  }
  return [...groups.values()];
}

/** Number of context tokens (at least one: the padding token). */
export function contextTokens(group: TokenGroup): number {
  return Math.max(1, group.contextIds.length);
}

/** Additive mask [nc, nc] for the context graph: everything allowed (only the diagonal for padding). */
export function contextMask(group: TokenGroup): Float32Array {
  const nc = contextTokens(group);
  return new Float32Array(nc * nc);
}

/** Additive mask [nl, nl + nc] for the velocity graph: keys are the latent then the context tokens. */
export function latentMask(group: TokenGroup, blocked: number): Float32Array {
  const nl = group.latentIds.length;
  const nc = contextTokens(group);
  const mask = new Float32Array(nl * (nl + nc));
  if (group.contextIds.length === 0) for (let q = 0; q < nl; q += 1) mask[q * (nl + nc) + nl] = blocked;
  return mask;
}
