import { afterAll, describe, expect, it } from 'vitest';
import { BANDS } from '../../../../electron/forward/physics/bands.ts';
import {
  bcTable,
  PHOT_OUTSIDE,
  type PhotometryBatch,
} from '../../../../electron/forward/physics/bc-tables.ts';
import { PhotometryWorkers, sharedXpRows } from '../../../../electron/forward/physics/photometry-workers.ts';
import { XP_N, XpBatchModel } from '../../../../electron/forward/physics/xp.ts';

function population(n: number): PhotometryBatch {
  let seed = 99;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const col = (f: () => number): Float64Array => Float64Array.from({ length: n }, f);
  return {
    // a few stars outside the table (Teff 1500 K) check that flags cross the threads too
    teff: col(() => (rnd() < 0.01 ? 1500 : 3000 + rnd() * 20000)),
    logg: col(() => 3.5 + rnd() * 1.5),
    mh: col(() => -1.5 + rnd() * 1.8),
    logL: col(() => -1 + rnd() * 2),
    av: col(() => rnd() * 5),
    rv: col(() => 2.5 + rnd() * 2.5),
    distancePc: col(() => 50 + rnd() * 3000),
  };
}

describe('BC-table photometry on worker threads', () => {
  const pools: PhotometryWorkers[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('equals the one-thread path bit for bit, flags included', { timeout: 120_000 }, async () => {
    const table = bcTable('kurucz', 'G23');
    const stars = population(20_001);
    const ref = table.photometry(stars);
    const pool = await PhotometryWorkers.start(table, 2);
    pools.push(pool);
    expect(pool.size).toBe(2);
    const got = await pool.photometry(stars);
    for (const b of BANDS) {
      const a = ref.mags[b];
      const c = got.mags[b];
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], c[i])) differ++;
      expect(differ, b).toBe(0);
    }
    expect(Array.from(got.flags)).toEqual(Array.from(ref.flags));
    expect(got.flags.some((f) => f === PHOT_OUTSIDE)).toBe(true);
    // a second call on the same pool, smaller than the pool
    const one = await pool.photometry({
      ...Object.fromEntries(Object.entries(stars).map(([k, v]) => [k, (v as Float64Array).subarray(0, 1)])),
    } as unknown as PhotometryBatch);
    expect(one.mags['gaia.g'][0]).toBe(ref.mags['gaia.g'][0]);
  });

  it(
    'computes XP-like spectra on the workers, equal to the one-thread XpBatchModel',
    { timeout: 120_000 },
    async () => {
      const table = bcTable('kurucz', 'G23');
      const stars = population(301);
      const flux = new Float32Array(301 * XP_N);
      const error = new Float32Array(301 * XP_N);
      new XpBatchModel('kurucz', 'G23').run(stars, flux, error);
      const pool = await PhotometryWorkers.start(table, 2);
      pools.push(pool);
      const f = sharedXpRows(301);
      const e = sharedXpRows(301);
      await pool.xp(stars, f, e);
      let differ = 0;
      for (let i = 0; i < flux.length; i++)
        if (!Object.is(flux[i], f[i]) || !Object.is(error[i], e[i])) differ++;
      expect(differ).toBe(0);
      // stars outside the library (1500 K) are NaN rows on both paths
      expect(Number.isNaN(f[stars.teff.findIndex((t) => t === 1500) * XP_N]!)).toBe(true);
      await expect(pool.xp(stars, new Float32Array(301 * XP_N), e)).rejects.toThrow(/shared memory/);
    },
  );

  it('refuses bad sizes with a clear error', async () => {
    const table = bcTable('kurucz', 'G23');
    await expect(PhotometryWorkers.start(table, 0)).rejects.toThrow(/whole number >= 1/);
    const pool = await PhotometryWorkers.start(table, 1);
    pools.push(pool);
    const stars = population(10);
    await expect(pool.photometry({ ...stars, av: new Float64Array(3) })).rejects.toThrow(
      /column 'av' has 3 values, teff has 10/,
    );
    await pool.close();
    await expect(pool.photometry(stars)).rejects.toThrow(/pool is closed/);
  });
});
