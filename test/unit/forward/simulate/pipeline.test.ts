import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import {
  parseSimulationConfig,
  type SimulationConfigInput,
} from '../../../../electron/forward/simulate/config.ts';
import { makePlan, runSimulation, type RunSummary } from '../../../../electron/forward/simulate/pipeline.ts';
import { buildModel, SOURCE_CLUSTER, SOURCE_FIELD } from '../../../../electron/forward/simulate/model.ts';
import { DISK_DECAY_MYR, diskFraction } from '../../../../electron/forward/clusters/disk-fraction.ts';
import { analyticPort } from './analytic-port.ts';
import { simulate } from '../../../../electron/forward/simulate/run.ts';
import {
  gaiaMagnitudeError,
  gaiaParallaxError,
  loadGaiaSplines,
} from '../../../../electron/forward/survey/gaia.ts';
import { HAS_SPLINE, SPLINE_FILE } from '../reference.ts';

const root = mkdtempSync(join(tmpdir(), 'cradle-sim-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const port = { module: new URL('./analytic-port.ts', import.meta.url).href, factory: 'analyticPort' };

async function run(
  name: string,
  input: SimulationConfigInput,
  workers = 0,
  shards = false,
): Promise<{ dir: string; summary: RunSummary }> {
  const dir = join(root, name);
  const summary = await runSimulation({
    config: parseSimulationConfig(input, name),
    outDir: dir,
    shards,
    workers,
    port,
    splineFile: SPLINE_FILE,
    assetsHash: null,
  });
  return { dir, summary };
}

function read(file: string): Table {
  return tableFromIPC(readParquet(new Uint8Array(readFileSync(file))).intoIPCStream());
}

const small: SimulationConfigInput = {
  seed: 11,
  region: { kind: 'cone', lDeg: 120, bDeg: 40, radiusDeg: 0.5 },
  magnitudeLimit: { band: 'gaia.g', max: 19 },
  chunkSize: 1024,
  clusters: [{ name: 'c1', ageMyr: 20, massMsun: 100, lDeg: 120.2, bDeg: 40.1, distancePc: 300 }],
};

describe.skipIf(!HAS_SPLINE)('simulation pipeline (analytic photometry stand-in)', () => {
  it('writes identical bytes for the same seed, whatever the number of workers', async () => {
    const a = await run('inline', small, 0);
    const b = await run('workers', small, 2);
    expect(a.summary.rows).toBeGreaterThan(100);
    expect(a.summary.chunks).toBeGreaterThan(1);
    for (const file of ['catalog.parquet', 'truth.parquet', 'manifest.json']) {
      expect(readFileSync(join(b.dir, file)).equals(readFileSync(join(a.dir, file)))).toBe(true);
    }
    const c = await run('other-seed', { ...small, seed: 12 }, 0);
    expect(
      readFileSync(join(c.dir, 'catalog.parquet')).equals(readFileSync(join(a.dir, 'catalog.parquet'))),
    ).toBe(false);
  }, 120000);

  it('writes an archive-like catalogue and a canonical truth table with matching ids', async () => {
    const { dir, summary } = await run('schema', small);
    const catalog = read(join(dir, 'catalog.parquet'));
    const truth = read(join(dir, 'truth.parquet'));
    expect(catalog.numRows).toBe(summary.rows);
    expect(truth.numRows).toBe(summary.rows);
    for (const name of [
      'source_id',
      'ra',
      'dec',
      'parallax',
      'parallax_error',
      'pmra',
      'pmdec',
      'phot_g_mean_mag',
      'phot_bp_mean_mag',
      'phot_rp_mean_mag',
      'bp_rp',
      'j_m',
      'j_msigcom',
      'ks_m',
      'w1mpro',
      'w4sigmpro',
    ]) {
      expect(catalog.schema.fields.map((f) => f.name)).toContain(name);
    }
    for (const name of [
      'source_id',
      'log_age',
      'mass_init',
      'mh',
      'distance_pc',
      'av',
      'rv',
      'teff',
      'logg',
      'log_lum',
      'radius',
      'cluster_id',
      'gaia.g',
      'tmass.ks',
    ]) {
      expect(truth.schema.fields.map((f) => f.name)).toContain(name);
    }
    expect([...catalog.getChild('source_id')!]).toEqual([...truth.getChild('source_id')!]);
    // Cluster members carry the cluster id; field stars a null.
    const clusterIds = [...truth.getChild('cluster_id')!];
    expect(clusterIds.filter((v) => v === 1).length).toBe(summary.rowsBySource['clusters']);
    expect(clusterIds.filter((v) => v === null).length).toBe(summary.rowsBySource['field']);
    // Units travel in the field metadata.
    expect(catalog.schema.fields.find((f) => f.name === 'parallax')!.metadata.get('unit')).toBe('mas');
    // The magnitude limit holds on the true G.
    for (const g of truth.getChild('gaia.g')!) expect(g as number).toBeLessThanOrEqual(19);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['kind']).toBe('mock-catalog');
    expect(manifest['seed']).toBe(11);
    expect(
      (manifest['files'] as { path: string; rows: number; sha256: string }[]).map((f) => f.path),
    ).toEqual(['catalog.parquet', 'truth.parquet']);
    expect((manifest['prior'] as { rowsBySource: Record<string, number> }).rowsBySource['clusters']).toBe(
      summary.rowsBySource['clusters'],
    );
  }, 60000);

  it('writes training shards in the contract of the architecture doc, with the mixture recorded', async () => {
    const { dir, summary } = await run(
      'shards',
      {
        seed: 5,
        region: { kind: 'sphere' },
        volumeRadiusPc: 1000,
        magnitudeLimit: { band: 'gaia.g', max: 18 },
        stars: 5000,
        shardRows: 2000,
        chunkSize: 1024,
        mixture: { field: 0.5, clusters: 0.3, broadAge: 0.2 },
        survey: { dropout: 0.1 },
      },
      0,
      true,
    );
    expect(summary.rows).toBe(5000);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      kind: string;
      files: { path: string; rows: number }[];
      prior: { plan: { candidateWeights: Record<string, number> }; rowFractions: Record<string, number> };
      columns: Record<string, Record<string, { unit: string }>>;
      config: { seed: number };
    };
    expect(manifest.kind).toBe('training-shards');
    expect(manifest.files.map((f) => f.rows)).toEqual([2000, 2000, 1000]);
    expect(manifest.prior.plan.candidateWeights).toEqual({ field: 0.5, clusters: 0.3, broadAge: 0.2 });
    expect(manifest.prior.rowFractions['clusters']).toBeGreaterThan(0);
    expect(manifest.prior.rowFractions['broadAge']).toBeGreaterThan(0);
    const shard = read(join(dir, manifest.files[0]!.path));
    expect(shard.numRows).toBe(2000);
    const names = shard.schema.fields.map((f) => f.name);
    for (const name of [
      'log_age',
      'mass_init',
      'distance_pc',
      'gaia.g',
      'gaia.g.err',
      'gaia.g.observed',
      'gaia.parallax',
      'gaia.parallax.observed',
      'wise.w4.observed',
      'gaia.xp.observed',
      'spectrum.apogee.observed',
      'domain',
      'pair_id',
    ]) {
      expect(names).toContain(name);
    }
    expect(shard.getChild('domain')!.get(0)).toBe('simulated');
    expect(shard.getChild('pair_id')!.get(0)).toBeNull();
    // An observable that is not observed is null, never a number.
    const values = shard.getChild('tmass.ks')!;
    const observed = shard.getChild('tmass.ks.observed')!;
    for (let i = 0; i < shard.numRows; i++) expect(values.get(i) === null).toBe(observed.get(i) === false);
    expect(manifest.columns['shards/*.parquet']!['gaia.parallax']!.unit).toBe('mas');
  }, 60000);

  it.each([
    ['the default law', undefined, DISK_DECAY_MYR],
    ["the shipped training set's 2.5 Myr", 2.5, 2.5],
  ])(
    'gives cluster members discs at the rate of %s (disk-fraction.ts)',
    async (_, diskDecayMyr, decayMyr) => {
      const { dir } = await run(`discs-${decayMyr}`, {
        ...small,
        ...(diskDecayMyr === undefined ? {} : { diskDecayMyr }),
        mixture: { field: 0 },
        clusters: [
          { name: 'young', ageMyr: 2, massMsun: 400, lDeg: 120.1, bDeg: 40.1, distancePc: 200 },
          { name: 'older', ageMyr: 12, massMsun: 800, lDeg: 119.9, bDeg: 39.9, distancePc: 200 },
        ],
      });
      const truth = read(join(dir, 'truth.parquet'));
      const cluster = truth.getChild('cluster_id')!;
      const logAge = truth.getChild('log_age')!;
      const hasDisk = truth.getChild('has_disk')!;
      for (const id of [1, 2]) {
        let members = 0;
        let discs = 0;
        let expected = 0;
        for (let i = 0; i < truth.numRows; i++) {
          if (cluster.get(i) !== id) continue;
          members++;
          if (hasDisk.get(i) === true) discs++;
          expected += diskFraction(10 ** ((logAge.get(i) as number) - 6), decayMyr);
        }
        expect(members).toBeGreaterThan(150);
        // Binomial: within 4σ of the law averaged over the members' own ages.
        const sigma = Math.sqrt(expected * (1 - expected / members));
        expect(Math.abs(discs - expected)).toBeLessThan(4 * sigma);
      }
    },
  );

  it('makes half the observables missing a normal case under heavier dropout', async () => {
    const { dir } = await run('missing', { ...small, clusters: [], survey: { dropout: 0.35 } }, 0, true);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      files: { path: string }[];
    };
    const shard = read(join(dir, manifest.files[0]!.path));
    const flags = shard.schema.fields
      .map((f) => f.name)
      .filter((n) => n.endsWith('.observed') && !n.startsWith('spectrum') && n !== 'gaia.xp.observed');
    let observed = 0;
    for (const name of flags) for (const v of shard.getChild(name)!) if (v === true) observed++;
    const missing = 1 - observed / (flags.length * shard.numRows);
    expect(missing).toBeGreaterThan(0.4);
    expect(missing).toBeLessThan(0.75);
  }, 60000);

  it('reports noise that follows the cited curves within 10%', async () => {
    const { dir } = await run('noise', {
      ...small,
      clusters: [],
      region: { kind: 'cone', lDeg: 120, bDeg: 40, radiusDeg: 1.5 },
      magnitudeLimit: { band: 'gaia.g', max: 20 },
    });
    const catalog = read(join(dir, 'catalog.parquet'));
    const truth = read(join(dir, 'truth.parquet'));
    const splines = loadGaiaSplines(SPLINE_FILE);
    const gTrue = truth.getChild('gaia.g')!;
    const gObs = catalog.getChild('phot_g_mean_mag')!;
    const plx = catalog.getChild('parallax')!;
    const plxErr = catalog.getChild('parallax_error')!;
    const plxTrue = truth.getChild('gaia.parallax')!;
    const fluxOverError = catalog.getChild('phot_g_mean_flux_over_error')!;
    for (const [lo, hi] of [
      [12, 15],
      [15, 17],
      [17, 18.5],
      [18.5, 20],
    ] as const) {
      const dg: number[] = [];
      const dp: number[] = [];
      let ratioG = 0;
      let ratioP = 0;
      let n = 0;
      for (let i = 0; i < truth.numRows; i++) {
        const g = gTrue.get(i) as number;
        const obs = gObs.get(i) as number | null;
        if (g < lo || g >= hi || obs === null) continue;
        const sigmaG = gaiaMagnitudeError(splines, 'g', g);
        dg.push((obs - g) / sigmaG);
        dp.push(((plx.get(i) as number) - (plxTrue.get(i) as number)) / gaiaParallaxError(g));
        ratioG += 1.0857362047581294 / (fluxOverError.get(i) as number) / sigmaG;
        ratioP += (plxErr.get(i) as number) / gaiaParallaxError(g);
        n++;
      }
      expect(n).toBeGreaterThan(150);
      const rms = (xs: number[]): number => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
      // Reported σ equals the curve; the simulated scatter matches it within 10%.
      expect(Math.abs(ratioG / n - 1)).toBeLessThan(0.01);
      expect(Math.abs(ratioP / n - 1)).toBeLessThan(0.01);
      expect(Math.abs(rms(dg) - 1)).toBeLessThan(0.1);
      expect(Math.abs(rms(dp) - 1)).toBeLessThan(0.1);
    }
  }, 60000);

  it('streams the catalogue and truth to FITS on request', async () => {
    const dir = join(root, 'fits');
    const summary = await simulate({
      config: parseSimulationConfig(small, 'fits'),
      outDir: dir,
      format: 'fits',
      shards: false,
      workers: 0,
      port,
    });
    expect(summary.files).toEqual(['catalog.fits', 'truth.fits']);
    expect(existsSync(join(dir, 'catalog.parquet'))).toBe(false);
    const bytes = readFileSync(join(dir, 'catalog.fits'));
    expect(bytes.subarray(0, 9).toString('latin1')).toBe('SIMPLE  =');
    expect(bytes.length % 2880).toBe(0);
    expect(bytes.toString('latin1')).toContain("TTYPE1  = 'source_id'");
    await expect(
      simulate({
        config: parseSimulationConfig(small, 'x'),
        outDir: join(root, 'bad'),
        format: 'fits',
        shards: true,
        workers: 0,
        port,
      }),
    ).rejects.toThrow(/shards are Parquet only/);
    await expect(run('spectra-catalog', { ...small, spectra: ['lamost'] })).rejects.toThrow(
      /training shards only/,
    );
  }, 60000);

  it('takes chunks in turn from the field and each cluster when a number of rows is asked for', () => {
    const config = parseSimulationConfig(
      {
        ...small,
        stars: 300,
        clusters: [
          { name: 'a', ageMyr: 5, nStars: 700, lDeg: 120.2, bDeg: 40.1, distancePc: 300 },
          { name: 'b', ageMyr: 50, nStars: 100, lDeg: 120.1, bDeg: 40.2, distancePc: 500 },
        ],
      },
      'plan',
    );
    const plan = makePlan(buildModel(config, analyticPort()));
    const chunks = Array.from({ length: 7 }, (_, i) => plan.chunk(i));
    // 2 x 300 rows over 3 sources -> 256-candidate chunks (the floor); cluster b runs out after one.
    expect(chunks.map((c) => [c?.source, c?.clusterIndex, c?.count])).toEqual([
      [SOURCE_FIELD, -1, 256],
      [SOURCE_CLUSTER, 0, 256],
      [SOURCE_CLUSTER, 1, 100],
      [SOURCE_FIELD, -1, 256],
      [SOURCE_CLUSTER, 0, 256],
      [SOURCE_FIELD, -1, 256],
      [SOURCE_CLUSTER, 0, 188],
    ]);
    expect(chunks.map((c) => c?.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(plan.targetRows).toBe(300);
  });

  it('refuses a bad config with the path of the bad field', () => {
    expect(() =>
      parseSimulationConfig({ region: { kind: 'cone', lDeg: 0, bDeg: 120, radiusDeg: 1 } }, 'my.json'),
    ).toThrow(/my\.json: invalid simulation config: region\.bDeg/);
    expect(() =>
      parseSimulationConfig(
        { clusters: [{ name: 'x', ageMyr: 5, lDeg: 0, bDeg: 0, distancePc: 100 }] },
        'c.json',
      ),
    ).toThrow(/exactly one of massMsun and nStars/);
    expect(() => parseSimulationConfig({ colour: 'red' }, 'k.json')).toThrow(
      /k\.json: invalid simulation config/,
    );
  });
});
