// The clustering worker keeps the last star set it prepared: its answers must equal clustering the
// freshly prepared stars, a file rewritten between requests must be read again, and a bad path must be
// named without stopping the worker for the next request.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { writeParquet } from '../../../electron/catalog/parquet.ts';
import { buildTable } from '../../../electron/catalog/table.ts';
import { clustersInWorker, sourceKey } from '../../../electron/galaxy/cluster-service.ts';
import { findClusters } from '../../../electron/galaxy/clusters.ts';
import { prepareGalaxy } from '../../../electron/galaxy/prepare.ts';
import { tempDir } from '../inference/helpers.ts';

const OPTIONS = { minClusterSize: 20, velocityScale: 6, maxLogAge: 8, joinStrength: 0.5 };

/** A catalogue of two tight moving groups of 60 stars at `groupLogAge` in a field of 400 old stars (two:
 * HDBSCAN does not call all its points one cluster). */
async function writeCatalogue(file: string, groupLogAge: number): Promise<void> {
  let state = 7;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 520;
  const columns: Record<string, Float64Array> = {};
  for (const name of ['ra', 'dec', 'distance_pc', 'pmra', 'pmdec', 'log_age'])
    columns[name] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const group = i < 60 ? 0 : i < 120 ? 1 : null;
    const [ra, dec, distance, pmra, pmdec] = group === 0 ? [60, 20, 150, 10, -20] : [200, -30, 300, -5, 8];
    columns.ra![i] = group !== null ? ra + random() - 0.5 : 360 * random();
    columns.dec![i] = group !== null ? dec + random() - 0.5 : 120 * random() - 60;
    columns.distance_pc![i] = group !== null ? distance + 4 * (random() - 0.5) : 50 + 450 * random();
    columns.pmra![i] = group !== null ? pmra + 0.2 * (random() - 0.5) : 100 * (random() - 0.5);
    columns.pmdec![i] = group !== null ? pmdec + 0.2 * (random() - 0.5) : 100 * (random() - 0.5);
    columns.log_age![i] = group !== null ? groupLogAge : 9.5;
  }
  const table = buildTable(
    Object.entries(columns).map(([name, values]) => ({ name, vector: makeVector(values), info: {} })),
  );
  await writeParquet(table, file);
}

describe('the clustering worker', () => {
  it('answers as clustering the freshly prepared stars, and reads a rewritten file again', async () => {
    const file = join(tempDir('cluster-service'), 'stars.parquet');
    await writeCatalogue(file, 6.8);
    const expected = findClusters(await prepareGalaxy(file), OPTIONS);
    expect(expected.clusters.map((c) => c.members)).toEqual([60, 60]);
    const first = await clustersInWorker(file, OPTIONS);
    expect([...first.labels]).toEqual([...expected.labels]);
    expect(first.clusters).toEqual(expected.clusters);
    // Other parameters on the kept stars.
    const strict = await clustersInWorker(file, { ...OPTIONS, minClusterSize: 100 });
    expect(strict.clusters).toHaveLength(0);
    // The group made old: nothing young seeds a cluster any more.
    const before = await sourceKey(file);
    await writeCatalogue(file, 9.5);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await sourceKey(file)).not.toBe(before);
    expect((await clustersInWorker(file, OPTIONS)).clusters).toHaveLength(0);
  }, 60_000);

  it('names a path it cannot read and goes on answering', async () => {
    const missing = join(tempDir('cluster-missing'), 'none.parquet');
    await expect(clustersInWorker(missing, OPTIONS)).rejects.toThrow(/none\.parquet: neither a run folder/);
    const file = join(tempDir('cluster-after'), 'stars.parquet');
    await writeCatalogue(file, 6.8);
    expect((await clustersInWorker(file, OPTIONS)).clusters).toHaveLength(2);
  }, 60_000);
});
