// The Galaxy view's star buffers as every source builds them: positions and motions from catalogue
// columns (positions.ts), the colour–magnitude values, the young-star probability (−1 where unknown)
// and typed arrays ready for GPU buffers. Shared by the run, demo-sky and catalogue readers.
import type { Table } from 'apache-arrow';
import { starPositions, type StarColumns } from './positions.ts';

export type AgeSource = 'simulated-truth' | 'catalogue' | 'posterior';

export interface GalaxySource {
  path: string;
  source: AgeSource;
  /** The run folder the ages came from (source 'posterior'), else null. */
  runDir: string | null;
  count: number;
  positions: Float32Array;
  logAge: Float32Array;
  logAgeError: Float32Array;
  distancePc: Float32Array;
  distanceErrorPc: Float32Array;
  /** Source identifiers, exact (Gaia's pass 2^53). */
  sourceId: BigInt64Array;
  /** The star's row in the run's input table (and summary), for runs; null otherwise. */
  inputRow: Uint32Array | null;
  /** P(age < 50 Myr) (inference/summary.ts YOUNG_COLUMN); −1 where unknown. */
  pYoung: Float32Array;
  /** 1 where the run flagged an observed input outside the model's training range, else 0. */
  outsideTraining: Float32Array;
  /** Gaia BP − RP and M_G = G − 5 log10(d / 10 pc) at the distance used for the position; NaN if absent. */
  colour: Float32Array;
  absMag: Float32Array;
  truthCluster: Float32Array | null;
  /** Tangential velocity along l and b, km/s (NaN without proper motion). */
  vLKms: Float32Array;
  vBKms: Float32Array;
}

/** A numeric column as float64 (nulls → NaN), or undefined when absent. */
export function column(table: Table, name: string): Float64Array | undefined {
  const vector = table.getChild(name);
  if (vector === null) return undefined;
  if (vector.nullCount === 0) {
    // Whole-column copies: a per-row get() costs seconds on a 10-million-row catalogue.
    const values: unknown = vector.toArray();
    if (values instanceof Float64Array) return values;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array)
      return Float64Array.from(values, (v) => Number(v));
    if (ArrayBuffer.isView(values) && !(values instanceof DataView))
      return Float64Array.from(values as unknown as ArrayLike<number>);
  }
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const value: unknown = vector.get(i);
    out[i] = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN;
  }
  return out;
}

/** An integer id column as 64-bit integers (nulls and non-integers → −1), or undefined when absent. */
export function ids(table: Table, name: string): BigInt64Array | undefined {
  const vector = table.getChild(name);
  if (vector === null) return undefined;
  const values: unknown = vector.nullCount === 0 ? vector.toArray() : null;
  if (values instanceof BigInt64Array) return values;
  const out = new BigInt64Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const value: unknown = vector.get(i);
    out[i] =
      typeof value === 'bigint'
        ? value
        : typeof value === 'number' && Number.isInteger(value)
          ? BigInt(value)
          : -1n;
  }
  return out;
}

/** Row numbers as ids, for tables without a source_id. */
export function rowIds(count: number): BigInt64Array {
  return BigInt64Array.from({ length: count }, (_, i) => BigInt(i));
}

export function required(table: Table, name: string, file: string): Float64Array {
  const values = column(table, name);
  if (values === undefined) throw new Error(`${file}: no column '${name}' (needed by the Galaxy view)`);
  return values;
}

/** Gaia magnitudes per star (NaN where not observed), for the colour–magnitude diagram. */
export interface GaiaMagnitudes {
  g?: Float64Array;
  bp?: Float64Array;
  rp?: Float64Array;
}

export interface SourceParts {
  path: string;
  source: AgeSource;
  runDir?: string;
  columns: StarColumns;
  logAge: Float64Array;
  logAgeError?: Float64Array;
  sourceId: BigInt64Array;
  inputRow?: Uint32Array;
  pYoung?: Float64Array;
  outsideTraining?: Float64Array;
  magnitudes?: GaiaMagnitudes;
  truthCluster?: Float64Array;
}

/** Positions, CMD values and the per-star arrays of a source, as the Galaxy view's buffers. */
export function buildSource(parts: SourceParts): GalaxySource {
  const stars = starPositions(parts.columns);
  const n = stars.count;
  const positions = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    positions[3 * i] = stars.x[i]!;
    positions[3 * i + 1] = stars.y[i]!;
    positions[3 * i + 2] = stars.z[i]!;
  }
  const { g, bp, rp } = parts.magnitudes ?? {};
  const colour = new Float32Array(n).fill(Number.NaN);
  const absMag = new Float32Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    if (bp !== undefined && rp !== undefined) colour[i] = bp[i]! - rp[i]!;
    if (g !== undefined) absMag[i] = g[i]! - 5 * Math.log10(stars.distancePc[i]! / 10);
  }
  return {
    path: parts.path,
    source: parts.source,
    runDir: parts.runDir ?? null,
    count: n,
    positions,
    logAge: Float32Array.from(parts.logAge),
    logAgeError: parts.logAgeError === undefined ? new Float32Array(n) : Float32Array.from(parts.logAgeError),
    distancePc: Float32Array.from(stars.distancePc),
    distanceErrorPc: Float32Array.from(stars.distanceErrorPc, (e) => (Number.isFinite(e) ? e : 0)),
    sourceId: parts.sourceId,
    inputRow: parts.inputRow ?? null,
    pYoung:
      parts.pYoung === undefined
        ? new Float32Array(n).fill(-1)
        : Float32Array.from(parts.pYoung, (p) => (Number.isFinite(p) ? p : -1)),
    outsideTraining:
      parts.outsideTraining === undefined
        ? new Float32Array(n)
        : Float32Array.from(parts.outsideTraining, (f) => (f === 1 ? 1 : 0)),
    colour,
    absMag,
    truthCluster: parts.truthCluster === undefined ? null : Float32Array.from(parts.truthCluster),
    vLKms: Float32Array.from(stars.vLKms),
    vBKms: Float32Array.from(stars.vBKms),
  };
}
