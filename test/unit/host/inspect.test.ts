// The inspector's engine side through Host.dispatch, as both transports call it: the HDU tree with
// checksum state, header cards with a joined CONTINUE string, row windows and a sort kept by id,
// column statistics, level-of-detail tiles (block means, NaN ignored), a pixel with its world
// coordinates (astropy's values), the LAMOST spectrum, an export, and a truncated file's problem.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodResult } from '../../../electron/api/methods.ts';
import { Host } from '../../../electron/host/host.ts';
import { downsampleTile } from '../../../electron/host/image-pyramid.ts';
import { longString, prepare, tableRow } from '../../e2e/inspect-fixtures.ts';
import { fitsBytes, table } from '../fits/build.ts';

let dir: string;
let host: Host;
let files: Record<string, string>;
const ROWS = 5_000;

async function call<M extends MethodName>(method: M, params: unknown): Promise<MethodResult<M>> {
  const reply = await host.dispatch(method, params);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result as MethodResult<M>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cradle-inspect-'));
  files = await prepare(join(dir, 'data'), ROWS);
  host = new Host({ settingsDir: join(dir, 'home'), transport: 'browser' });
});

afterAll(async () => {
  await host.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('fits.* methods', () => {
  it('lists HDUs with kind, size and checksum state', async () => {
    const file = await call('fits.open', { path: files['table'] });
    expect(file.hdus.map((h) => [h.type, h.view, h.rows, h.checksum, h.datasum])).toEqual([
      ['PRIMARY', 'none', null, 'ok', 'ok'],
      ['BINTABLE', 'table', ROWS, 'ok', 'ok'],
    ]);
    expect(file.hdus[1]!.columns.map((c) => [c.name, c.numeric])).toEqual([
      ['ID', true],
      ['FLUX', true],
      ['MAG', true],
    ]);
    const spectrum = await call('fits.open', { path: files['lamost'] });
    expect(spectrum.hdus[0]!.view).toBe('spectrum');
  });

  it('reports a truncated HDU with the engine message and keeps answering', async () => {
    const file = await call('fits.open', { path: files['truncated'] });
    expect(file.hdus[1]!.problem).toMatch(/truncated\.fits: HDU 1 \(STARS\): the file is truncated/);
    await expect(call('fits.rows', { path: files['truncated'], hdu: 1, start: 0, count: 5 })).rejects.toThrow(
      /truncated/,
    );
    const bad = join(dir, 'not-fits.fits');
    await writeFile(bad, 'hello');
    await expect(call('fits.open', { path: bad })).rejects.toThrow(/not-fits\.fits.*not a FITS file/);
    expect((await call('fits.open', { path: files['scale'] })).hdus).toHaveLength(1);
  });

  it('joins a CONTINUE long string into its card and keeps the cards as written', async () => {
    const { cards } = await call('fits.header', { path: files['header'], hdu: 0 });
    const note = cards.find((card) => card.keyword === 'OBSNOTE')!;
    expect(note.value).toBe(longString);
    expect(note.raw.split('\n').length).toBeGreaterThan(1);
    expect(note.raw.split('\n')[1]).toMatch(/^CONTINUE/);
  });

  it('serves row windows, and a sorted order by id', async () => {
    const rows = await call('fits.rows', { path: files['table'], hdu: 1, start: ROWS - 2, count: 10 });
    expect(rows.indices).toEqual([ROWS - 2, ROWS - 1]);
    expect(rows.cells[1]).toEqual([ROWS - 1, tableRow(ROWS - 1).flux, tableRow(ROWS - 1).mag]);
    const { sort } = await call('fits.sort', {
      path: files['table'],
      hdu: 1,
      column: 'FLUX',
      descending: true,
    });
    const sorted = await call('fits.rows', {
      path: files['table'],
      hdu: 1,
      start: 0,
      count: 3,
      columns: ['FLUX'],
      sort,
    });
    const expected = Array.from({ length: ROWS }, (_, i) => tableRow(i).flux).sort((a, b) => b - a);
    expect(sorted.cells.map((cell) => cell[0])).toEqual(expected.slice(0, 3));
    await expect(
      call('fits.rows', { path: files['table'], hdu: 1, start: 0, count: 3, sort: 'sort-999' }),
    ).rejects.toThrow(/not a sort/);
  });

  it('computes column statistics and a histogram over every row', async () => {
    const stats = await call('fits.columnStats', { path: files['table'], hdu: 1, column: 'ID', bins: 10 });
    expect([stats.count, stats.min, stats.max, stats.mean]).toEqual([ROWS, 0, ROWS - 1, (ROWS - 1) / 2]);
    expect(Array.from(stats.counts)).toEqual(new Array(10).fill(ROWS / 10));
  });

  it('reads a pixel with its world coordinates as astropy does', async () => {
    const pixel = await call('fits.pixel', { path: files['scale'], hdu: 0, x: 10, y: 12 });
    // astropy: fits.getdata('scale.fits')[12, 10] = 515.5492 (float32); WCS(header).wcs_pix2world(10, 12, 0).
    expect(pixel.value).toBeCloseTo(515.5492, 4);
    expect(pixel.world.map((axis) => axis.name)).toEqual(['RA---TAN', 'DEC--TAN']);
    // astropy: WCS(fits.getheader('scale.fits')).wcs_pix2world(10, 12, 0) = (266.95802013, -29.41479495).
    expect(pixel.world[0]!.value).toBeCloseTo(266.95802013, 7);
    expect(pixel.world[1]!.value).toBeCloseTo(-29.41479495, 7);
  });

  it('serves tiles of the level-of-detail pyramid', async () => {
    const tile = await call('fits.imageTile', {
      path: files['scale'],
      hdu: 0,
      level: 1,
      x: 0,
      y: 0,
      width: 64,
      height: 64,
    });
    expect([tile.width, tile.height, tile.imageWidth, tile.imageHeight]).toEqual([10, 11, 20, 21]);
    const full = await call('fits.imageTile', {
      path: files['scale'],
      hdu: 0,
      level: 0,
      x: 0,
      y: 0,
      width: 64,
      height: 64,
    });
    const mean = (full.data[0]! + full.data[1]! + full.data[20]! + full.data[21]!) / 4;
    expect(tile.data[0]).toBeCloseTo(mean, 3);
    expect(tile.sampling).toBe('mean');
  });

  it('answers a first look with sampled pixels until the plane is decoded, block means after', async () => {
    const ask = (sampling: 'nearest' | 'mean') =>
      call('fits.imageTile', {
        path: files['large'],
        hdu: 0,
        level: 3,
        x: 0,
        y: 0,
        width: 256,
        height: 256,
        sampling,
      });
    const first = await ask('nearest');
    expect([first.sampling, first.width, first.height]).toEqual(['nearest', 256, 256]);
    const means = await ask('mean');
    const full = await call('fits.imageTile', {
      path: files['large'],
      hdu: 0,
      level: 0,
      x: 4,
      y: 4,
      width: 1,
      height: 1,
    });
    expect(first.data[0]).toBe(full.data[0]);
    expect(means.sampling).toBe('mean');
    const again = await ask('nearest');
    expect(again.sampling).toBe('mean');
    expect(Array.from(again.data)).toEqual(Array.from(means.data));
  });

  it('reads the LAMOST spectrum and exports a table', async () => {
    const spectrum = await call('fits.spectrum', { path: files['lamost'], hdu: 0 });
    expect(spectrum.wavelength[0]).toBeCloseTo(3699.99, 2);
    expect(spectrum.wavelength.at(-1)).toBeCloseTo(9099.13, 2);
    const output = join(dir, 'out.csv');
    const exported = await call('fits.export', { path: files['table'], hdu: 1, output, columns: ['ID'] });
    expect(exported.rows).toBe(ROWS);
    expect((await readFile(output, 'utf8')).split('\n')[0]).toBe('ID');
  });

  it('gives each HDU the warnings of a zero BSCALE or TSCALn, as the CLI prints them', async () => {
    const path = join(dir, 'zero-scale.fits');
    const image = [
      'SIMPLE  =                    T',
      'BITPIX  =                   16',
      'NAXIS   =                    1',
      'NAXIS1  =                    2',
      'BSCALE  =                  0.0',
      'BZERO   =                  3.0',
      'EXTEND  =                    T',
    ];
    const stars = table(['J', 'E'], 8, 1, [
      "EXTNAME = 'STARS'",
      'TSCAL1  =                  0.0',
      'TZERO1  =                  5.0',
      'TSCAL2  =                  2.0',
    ]);
    await writeFile(
      path,
      fitsBytes([image, stars], [Buffer.from([0, 1, 0, 2]), Buffer.from([0, 0, 0, 1, 0x3f, 0x80, 0, 0])]),
    );
    const file = await call('fits.open', { path });
    expect(file.hdus.map((h) => h.warnings)).toEqual([
      [
        `${path}: HDU 0 (PRIMARY): keyword BSCALE: is 0, so every value reads as BZERO (3): the stored values are lost`,
      ],
      [
        `${path}: HDU 1 (STARS): column c1: keyword TSCAL1: is 0, so every value reads as TZERO1 (5): the stored values are lost`,
      ],
    ]);
    // The data are still shown, as the header defines them.
    expect(file.hdus.map((h) => [h.view, h.problem])).toEqual([
      ['none', null],
      ['table', null],
    ]);
    const clean = await call('fits.open', { path: files['table'] });
    expect(clean.hdus.map((h) => h.warnings)).toEqual([[], []]);
  });
});

describe('downsampleTile', () => {
  it('averages the finite pixels of each block and leaves all-NaN blocks NaN', () => {
    const plane = Float32Array.from([1, 3, NaN, NaN, 5, NaN, NaN, NaN, 0, 0, 2, 2]);
    const tile = downsampleTile(plane, 4, 3, { level: 1, x: 0, y: 0, width: 8, height: 8 });
    expect([tile.width, tile.height]).toEqual([2, 2]);
    expect(Array.from(tile.data)).toEqual([3, NaN, 0, 2]);
  });
});
