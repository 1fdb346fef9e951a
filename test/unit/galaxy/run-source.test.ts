// The Galaxy view's run reader: posterior ages and distances from summary.parquet joined row by row to
// the input catalogue's positions, parallaxes and Gaia photometry; the young-star probability from its
// column or, for older runs, from the quantiles; clear errors for a model without ages and a catalogue
// changed since the run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeParquet } from '../../../electron/catalog/parquet.ts';
import { buildTable } from '../../../electron/catalog/table.ts';
import { Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { galacticToCartesian, galacticToIcrs, icrsToGalactic } from '../../../electron/galaxy/frames.ts';
import { loadRunSource, youngFromQuantiles } from '../../../electron/galaxy/run-source.ts';
import { loadGalaxySource } from '../../../electron/galaxy/source.ts';
import { writeSyntheticRun, type SyntheticStar } from './synthetic-run.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cradle-galaxy-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const star = (i: number, extra: Partial<SyntheticStar> = {}): SyntheticStar => ({
  sourceId: 4_295_806_720n * BigInt(i + 1),
  raDeg: 80 + i,
  decDeg: -5 + i,
  parallaxMas: 2.5,
  parallaxErrorMas: 0.05,
  g: 12 + i,
  bp: 12.5 + i,
  rp: 11.6 + i,
  logAge: [6.6, 6.8, 7, 7.2, 7.4],
  ...extra,
});

describe('galactic → ICRS', () => {
  it('inverts icrsToGalactic', () => {
    for (const [ra, dec] of [
      [10, 20],
      [266.4, -28.9],
      [359.9, 89],
    ] as const) {
      const { lDeg, bDeg } = icrsToGalactic(ra, dec);
      const back = galacticToIcrs(lDeg, bDeg);
      expect(back.raDeg).toBeCloseTo(ra, 9);
      expect(back.decDeg).toBeCloseTo(dec, 9);
    }
  });
});

describe('young-star probability from quantiles', () => {
  it('interpolates the CDF through the summary quantiles', () => {
    const q = [7.0, 7.3, 7.6, 7.9, 8.2];
    expect(youngFromQuantiles(q, 6.9)).toBe(0);
    expect(youngFromQuantiles(q, 8.3)).toBe(1);
    expect(youngFromQuantiles(q, 7.6)).toBeCloseTo(0.5, 12);
    expect(youngFromQuantiles(q, 7.45)).toBeCloseTo(0.33, 12);
    expect(Number.isNaN(youngFromQuantiles([7, Number.NaN, 7, 7, 7]))).toBe(true);
  });
});

describe('a run in the Galaxy view', () => {
  it('places stars at the posterior distance, else 1/parallax, with ages, CMD values and source ids', async () => {
    const stars = [
      star(0, { distancePc: [380, 390, 400, 410, 420] }),
      star(1, { distancePc: [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN] }),
      star(2, { logAge: [8, 8.5, 9, 9.5, 9.9], distancePc: [900, 950, 1000, 1050, 1100] }),
    ];
    const runDir = await writeSyntheticRun(join(dir, 'a'), stars, {
      youngColumn: [0.9, 0.8, 0],
      outsideColumn: [0, 1, 0],
    });
    const source = await loadGalaxySource(runDir);
    expect(source.source).toBe('posterior');
    expect(source.runDir).toBe(runDir);
    expect(source.count).toBe(3);
    expect([...source.distancePc]).toEqual([400, 400, 1000]);
    expect(source.distanceErrorPc[0]).toBeCloseTo(10, 5);
    expect(source.distanceErrorPc[1]).toBeCloseTo(8, 3); // 1000 σϖ / ϖ² = 1000·0.05/6.25
    const { lDeg, bDeg } = icrsToGalactic(stars[2]!.raDeg, stars[2]!.decDeg);
    const [x, y, z] = galacticToCartesian(lDeg, bDeg, 1000);
    expect(source.positions[6]).toBeCloseTo(x, 2);
    expect(source.positions[7]).toBeCloseTo(y, 2);
    expect(source.positions[8]).toBeCloseTo(z, 2);
    expect(source.logAge[2]).toBeCloseTo(9, 6);
    expect(source.logAgeError[0]).toBeCloseTo(0.2, 6);
    expect([...source.pYoung].map((p) => Math.round(p * 10) / 10)).toEqual([0.9, 0.8, 0]);
    expect([...source.outsideTraining]).toEqual([0, 1, 0]);
    expect(source.colour[0]).toBeCloseTo(0.9, 5);
    expect(source.absMag[2]).toBeCloseTo(14 - 5 * Math.log10(100), 5);
    expect(source.sourceId[1]).toBe(stars[1]!.sourceId);
    expect([...source.inputRow!]).toEqual([0, 1, 2]);
  });

  it('takes the young-star probability from the quantiles when the summary has no column', async () => {
    const runDir = await writeSyntheticRun(join(dir, 'b'), [star(0, { logAge: [7, 7.3, 7.6, 7.9, 8.2] })]);
    const source = await loadRunSource(runDir);
    expect(source.pYoung[0]).toBeCloseTo(youngFromQuantiles([7, 7.3, 7.6, 7.9, 8.2]), 6);
  });

  it('says so when the run has no ages or its catalogue changed since the run', async () => {
    const runDir = await writeSyntheticRun(join(dir, 'c'), [star(0), star(1)]);
    await writeParquet(
      buildTable([
        { name: 'row', vector: makeVector(BigInt64Array.of(0n, 1n)), info: {} },
        { name: 'theta_0_median', vector: makeVector(Float64Array.of(0, 1)), info: {} },
      ]),
      join(runDir, 'summary.parquet'),
    );
    await expect(loadRunSource(runDir)).rejects.toThrow(/no column 'log_age_median'.*does not infer log_age/);
    const moved = await writeSyntheticRun(join(dir, 'd'), [star(0), star(1)]);
    await writeParquet(
      buildTable([
        { name: 'source_id', vector: makeVector(BigInt64Array.of(1n, 2n)), info: {} },
        { name: 'ra', vector: makeVector(Float64Array.of(1, 2)), info: {} },
        { name: 'dec', vector: makeVector(Float64Array.of(1, 2)), info: {} },
      ]),
      join(dir, 'd', 'input.parquet'),
    );
    await expect(loadRunSource(moved)).rejects.toThrow(/row 0 has source_id 1 .*changed since the run/);
  });

  it('names the input file, column and row of a sexagesimal position that does not parse', async () => {
    const runDir = await writeSyntheticRun(join(dir, 'e'), [star(0), star(1), star(2)]);
    const input = join(dir, 'e', 'input.parquet');
    const text = (cells: string[]) => vectorFromArray(cells, new Utf8());
    await writeParquet(
      buildTable([
        {
          name: 'source_id',
          vector: makeVector(BigInt64Array.from([0, 1, 2], (i) => star(i).sourceId)),
          info: {},
        },
        { name: 'ra', vector: text(['05:20:00.0', '05:24:00.0', '05:28:00.0']), info: {} },
        { name: 'dec', vector: text(['-05:00:00', '-04:00:00', '-03:99:xx']), info: {} },
      ]),
      input,
    );
    await expect(loadRunSource(runDir)).rejects.toThrow(
      /input\.parquet: column dec, row 3: '-03:99:xx' is not a sexagesimal angle/,
    );
  });
});
