// The stars the Galaxy view shows, read from disk: an inference run folder (run-source.ts: posterior
// ages and distances joined to the run's input catalogue), the simulator's demo sky (truth.parquet
// holds the true log age and distance; the ages are labelled simulated truth) or a Parquet catalogue
// with ra, dec and log_age plus a distance (distance_pc, else parallax). The buffers are built by
// source-build.ts.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readParquet } from '../catalog/parquet.ts';
import { RUN_FILE } from '../inference/run-folder.ts';
import { YOUNG_COLUMN, YOUNG_LOG_AGE } from '../inference/summary.ts';
import type { StarColumns } from './positions.ts';
import { loadRunSource } from './run-source.ts';
import { buildSource, column, ids, required, rowIds, type GalaxySource } from './source-build.ts';

export type { AgeSource, GalaxySource } from './source-build.ts';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Reads a run folder, a demo-sky folder (truth.parquet) or a Parquet catalogue into Galaxy view buffers. */
export async function loadGalaxySource(path: string): Promise<GalaxySource> {
  if (await isFile(join(path, RUN_FILE))) return loadRunSource(path);
  const truthFile = join(path, 'truth.parquet');
  if (await isFile(truthFile)) {
    const { table } = await readParquet(truthFile);
    const logAge = required(table, 'log_age', truthFile);
    return buildSource({
      path,
      source: 'simulated-truth',
      columns: {
        raDeg: required(table, 'ra', truthFile),
        decDeg: required(table, 'dec', truthFile),
        distancePc: required(table, 'distance_pc', truthFile),
        pmRaMasYr: required(table, 'pmra', truthFile),
        pmDecMasYr: required(table, 'pmdec', truthFile),
      },
      logAge,
      // The truth is exact: a star is young or it is not.
      pYoung: logAge.map((a) => (a < YOUNG_LOG_AGE ? 1 : 0)),
      sourceId: ids(table, 'source_id') ?? rowIds(table.numRows),
      magnitudes: { g: column(table, 'gaia.g'), bp: column(table, 'gaia.bp'), rp: column(table, 'gaia.rp') },
      ...(column(table, 'cluster_id') === undefined ? {} : { truthCluster: column(table, 'cluster_id')! }),
    });
  }
  if (!(await isFile(path)))
    throw new Error(
      `${path}: neither a run folder (run.json), a demo-sky folder (truth.parquet) nor a Parquet file`,
    );
  const { table } = await readParquet(path);
  const distance = column(table, 'distance_pc');
  const parallax = column(table, 'parallax');
  if (distance === undefined && parallax === undefined)
    throw new Error(`${path}: no column 'distance_pc' or 'parallax' to place the stars`);
  const n = table.numRows;
  const optional = (name: string): Float64Array | undefined => column(table, name);
  const columns: StarColumns = {
    raDeg: required(table, 'ra', path),
    decDeg: required(table, 'dec', path),
  };
  if (distance !== undefined) columns.distancePc = distance;
  if (parallax !== undefined) columns.parallaxMas = parallax;
  const pmRa = optional('pmra');
  const pmDec = optional('pmdec');
  const parallaxError = optional('parallax_error');
  if (pmRa !== undefined) columns.pmRaMasYr = pmRa;
  if (pmDec !== undefined) columns.pmDecMasYr = pmDec;
  if (parallaxError !== undefined) columns.parallaxErrorMas = parallaxError;
  const logAgeError = optional('log_age_error');
  const pYoung = optional(YOUNG_COLUMN);
  return buildSource({
    path,
    source: 'catalogue',
    columns,
    logAge: required(table, 'log_age', path),
    ...(logAgeError === undefined ? {} : { logAgeError }),
    ...(pYoung === undefined ? {} : { pYoung }),
    sourceId: ids(table, 'source_id') ?? rowIds(n),
    magnitudes: {
      g: optional('phot_g_mean_mag'),
      bp: optional('phot_bp_mean_mag'),
      rp: optional('phot_rp_mean_mag'),
    },
  });
}
