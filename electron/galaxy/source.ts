// The stars the Galaxy view shows, read from disk: the simulator's demo sky (truth.parquet holds the
// true log age and distance; the ages are labelled simulated truth) or a Parquet catalogue with ra, dec
// and log_age plus a distance (distance_pc, else parallax). Positions go through frames.ts; the
// answer is typed arrays ready for GPU buffers.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { readParquet } from '../catalog/parquet.ts';
import { starPositions, type StarColumns } from './positions.ts';

export type AgeSource = 'simulated-truth' | 'catalogue';

export interface GalaxySource {
  path: string;
  source: AgeSource;
  count: number;
  positions: Float32Array;
  logAge: Float32Array;
  logAgeError: Float32Array;
  distancePc: Float32Array;
  distanceErrorPc: Float32Array;
  sourceId: Float64Array;
  truthCluster: Float32Array | null;
  /** Tangential velocity along l and b, km/s (NaN without proper motion). */
  vLKms: Float32Array;
  vBKms: Float32Array;
}

/** A numeric column as float64 (nulls → NaN), or undefined when absent. */
function column(table: Table, name: string): Float64Array | undefined {
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

function required(table: Table, name: string, file: string): Float64Array {
  const values = column(table, name);
  if (values === undefined) throw new Error(`${file}: no column '${name}' (needed by the Galaxy view)`);
  return values;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function build(
  path: string,
  source: AgeSource,
  columns: StarColumns,
  logAge: Float64Array,
  logAgeError: Float64Array | undefined,
  sourceId: Float64Array,
  truthCluster: Float64Array | undefined,
): GalaxySource {
  const stars = starPositions(columns);
  const n = stars.count;
  const positions = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    positions[3 * i] = stars.x[i]!;
    positions[3 * i + 1] = stars.y[i]!;
    positions[3 * i + 2] = stars.z[i]!;
  }
  return {
    path,
    source,
    count: n,
    positions,
    logAge: Float32Array.from(logAge),
    logAgeError: logAgeError === undefined ? new Float32Array(n) : Float32Array.from(logAgeError),
    distancePc: Float32Array.from(stars.distancePc),
    distanceErrorPc: Float32Array.from(stars.distanceErrorPc, (e) => (Number.isFinite(e) ? e : 0)),
    sourceId,
    truthCluster: truthCluster === undefined ? null : Float32Array.from(truthCluster),
    vLKms: Float32Array.from(stars.vLKms),
    vBKms: Float32Array.from(stars.vBKms),
  };
}

/** Reads a demo-sky folder (truth.parquet) or a Parquet catalogue into Galaxy view buffers. */
export async function loadGalaxySource(path: string): Promise<GalaxySource> {
  const truthFile = join(path, 'truth.parquet');
  if (await isFile(truthFile)) {
    const { table } = await readParquet(truthFile);
    return build(
      path,
      'simulated-truth',
      {
        raDeg: required(table, 'ra', truthFile),
        decDeg: required(table, 'dec', truthFile),
        distancePc: required(table, 'distance_pc', truthFile),
        pmRaMasYr: required(table, 'pmra', truthFile),
        pmDecMasYr: required(table, 'pmdec', truthFile),
      },
      required(table, 'log_age', truthFile),
      undefined,
      required(table, 'source_id', truthFile),
      column(table, 'cluster_id'),
    );
  }
  if (!(await isFile(path)))
    throw new Error(`${path}: neither a demo-sky folder (no truth.parquet) nor a Parquet file`);
  const { table } = await readParquet(path);
  const distance = column(table, 'distance_pc');
  const parallax = column(table, 'parallax');
  if (distance === undefined && parallax === undefined)
    throw new Error(`${path}: no column 'distance_pc' or 'parallax' to place the stars`);
  const n = table.numRows;
  return build(
    path,
    'catalogue',
    {
      raDeg: required(table, 'ra', path),
      decDeg: required(table, 'dec', path),
      ...(distance === undefined ? {} : { distancePc: distance }),
      ...(parallax === undefined ? {} : { parallaxMas: parallax }),
      ...(column(table, 'pmra') === undefined ? {} : { pmRaMasYr: column(table, 'pmra')! }),
      ...(column(table, 'pmdec') === undefined ? {} : { pmDecMasYr: column(table, 'pmdec')! }),
      ...(column(table, 'parallax_error') === undefined
        ? {}
        : { parallaxErrorMas: column(table, 'parallax_error')! }),
    },
    required(table, 'log_age', path),
    column(table, 'log_age_error'),
    column(table, 'source_id') ?? Float64Array.from({ length: n }, (_, i) => i),
    undefined,
  );
}
