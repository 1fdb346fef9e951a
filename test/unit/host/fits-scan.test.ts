// The FITS scan on a folder tree built here: FITS confirmed by the "SIMPLE  =" card (also inside
// gzip and .fz), impostors and broken files refused with reasons, sizes and the size histogram
// summed exactly, symlink cycles survived, and cancellation honoured.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FitsScanParams } from '../../../electron/api/jobs.ts';
import { checkFitsMagic } from '../../../electron/host/fits-magic.ts';
import { hasFitsName } from '../../../electron/host/fits-names.ts';
import { scanForFits } from '../../../electron/host/fits-scan.ts';

/** A minimal conforming FITS file: one 2880-byte header block (80-byte cards), then `dataBlocks` of data. */
function fitsFile(dataBlocks = 0): Uint8Array {
  const cards = [
    'SIMPLE  =                    T',
    'BITPIX  =                    8',
    'NAXIS   =                    0',
    'END',
  ];
  const header = cards
    .map((card) => card.padEnd(80, ' '))
    .join('')
    .padEnd(2880, ' ');
  const bytes = new Uint8Array(2880 * (1 + dataBlocks));
  bytes.set(new TextEncoder().encode(header));
  return bytes;
}

let root: string;
const sizes = { plain: 2880, big: 2880 * 4, gz: 0, fz: 2880 * 2 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cradle-scan-'));
  await mkdir(join(root, 'night1', 'raw'), { recursive: true });
  await mkdir(join(root, 'empty-dir'));
  await writeFile(join(root, 'a.fits'), fitsFile());
  await writeFile(join(root, 'night1', 'B.FIT'), fitsFile(3));
  const gz = gzipSync(fitsFile(20));
  sizes.gz = gz.byteLength;
  await writeFile(join(root, 'night1', 'raw', 'c.fits.gz'), gz);
  await writeFile(join(root, 'night1', 'raw', 'd.fz'), fitsFile(1));
  await writeFile(join(root, 'night1', 'notes.txt'), 'SIMPLE  = not a FITS name, not counted');
  await writeFile(join(root, 'fake.fits'), 'This is a text file with a FITS name, long enough to read.');
  await writeFile(join(root, 'empty.fts'), '');
  await writeFile(join(root, 'plain.fits.gz'), fitsFile()); // named .gz but not gzip
  await writeFile(
    join(root, 'broken.fit.gz'),
    new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff]),
  );
  await symlink(root, join(root, 'night1', 'loop'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const run = (overrides: Partial<FitsScanParams> = {}, signal = new AbortController().signal) =>
  scanForFits(FitsScanParams.parse({ dir: root, ...overrides }), { signal, progress: () => undefined });

describe('FITS names and magic', () => {
  it('nominates files by FITS extensions, gzipped or not, in any case', () => {
    for (const name of ['a.fits', 'a.FITS', 'b.fit', 'c.fts', 'd.fz', 'e.fits.gz', 'f.FIT.GZ']) {
      expect(hasFitsName(name), name).toBe(true);
    }
    for (const name of ['fits', 'a.fits.bak', 'a.txt', 'a.gz', 'a.fitsx'])
      expect(hasFitsName(name), name).toBe(false);
  });

  it('confirms by the first card and explains refusals', async () => {
    expect(await checkFitsMagic(join(root, 'a.fits'), false)).toEqual({ fits: true });
    expect(await checkFitsMagic(join(root, 'night1', 'raw', 'c.fits.gz'), true)).toEqual({ fits: true });
    expect(await checkFitsMagic(join(root, 'fake.fits'), false)).toMatchObject({
      fits: false,
      reason: /starts with "This is a "/,
    });
    expect(await checkFitsMagic(join(root, 'empty.fts'), false)).toMatchObject({
      reason: 'shorter than one FITS card',
    });
    expect(await checkFitsMagic(join(root, 'plain.fits.gz'), true)).toMatchObject({ reason: /not gzip/ });
    expect(await checkFitsMagic(join(root, 'broken.fit.gz'), true)).toMatchObject({ reason: /corrupt gzip/ });
  });
});

describe('scanForFits', () => {
  it('counts FITS files and sums their on-disk sizes exactly', async () => {
    const result = await run();
    expect(result.fitsFiles).toBe(4);
    expect(result.fitsBytes).toBe(sizes.plain + sizes.big + sizes.gz + sizes.fz);
    expect(result.notFits).toBe(4);
    expect(result.unreadable).toBe(0);
    expect(result.directories).toBe(4);
    expect(result.filesSeen).toBe(9);
    expect(result.notFitsExamples.map((e) => e.path.slice(root.length + 1)).sort()).toEqual([
      'broken.fit.gz',
      'empty.fts',
      'fake.fits',
      'plain.fits.gz',
    ]);
  });

  it('bins sizes by powers of two', async () => {
    const { sizeHistogram } = await run();
    expect(sizeHistogram).toBeInstanceOf(Uint32Array);
    expect(sizeHistogram.length).toBe(64);
    const expected = new Uint32Array(64);
    for (const size of Object.values(sizes)) expected[Math.floor(Math.log2(size))]! += 1;
    expect([...sizeHistogram]).toEqual([...expected]);
  });

  it('follows symlinked folders only when asked, and survives a cycle', async () => {
    const followed = await run({ followSymlinks: true });
    expect(followed.fitsFiles).toBe(4);
    expect(followed.directories).toBe(4);
  });

  it('reports progress: listing against an unknown total, then checking against the candidates', async () => {
    const reports: Array<[number, number | null]> = [];
    await scanForFits(FitsScanParams.parse({ dir: root }), {
      signal: new AbortController().signal,
      progress: (done, total) => reports.push([done, total]),
    });
    expect(reports[0]).toEqual([0, null]);
    expect(reports).toContainEqual([0, 8]);
    expect(reports.at(-1)).toEqual([8, 8]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const pending = scanForFits(FitsScanParams.parse({ dir: root, paceMs: 50 }), {
      signal: controller.signal,
      progress: (done) => done >= 1 && controller.abort(),
    });
    await expect(pending).rejects.toThrow('cancelled');
  });

  it('names the folder when it cannot scan it', async () => {
    await expect(run({ dir: join(root, 'missing') })).rejects.toThrow(`cannot scan ${join(root, 'missing')}`);
    await expect(run({ dir: join(root, 'a.fits') })).rejects.toThrow(/not a directory/);
  });
});
