// Tile-compressed images decode to exactly astropy's pixels: the committed fixture (one HDU per
// algorithm and dither mode) and the real compressed files of other FITS libraries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decompressTiledImage, tileGrid } from '../../../../electron/fits/compression/tiled-image.ts';
import type { PixelReference } from './references.ts';
import { compressedImage, listHdus } from './compressed-table.ts';
import { FIXTURES, HAVE_SHARED, SHARED_FITS, dtypeOf, references, sha256 } from './references.ts';

function check(bytes: Uint8Array, reference: PixelReference): void {
  const image = compressedImage(bytes, listHdus(bytes)[reference.hdu]!);
  expect(tileGrid(image.parameters).total).toBe(image.rows);
  const { data, shape } = decompressTiledImage(image.parameters, image.readTile, { tableRows: image.rows });
  expect(shape).toEqual(reference.shape);
  expect(dtypeOf(data)).toBe(reference.dtype);
  for (const [index, value] of reference.samples) {
    if (value === null) expect(Number.isNaN(Number(data[index]))).toBe(true);
    else expect(Number(data[index])).toBe(value);
  }
  expect(sha256(data)).toBe(reference.sha256);
}

describe('tile-compressed images match astropy bit for bit', () => {
  const fixture = new Uint8Array(readFileSync(`${FIXTURES}codecs.fits`));
  for (const reference of references.fixture) {
    it(reference.label!, () => check(fixture, reference));
  }
});

describe.skipIf(!HAVE_SHARED)('real compressed files from other FITS libraries', () => {
  for (const reference of references.real ?? []) {
    it(reference.file!, () =>
      check(new Uint8Array(readFileSync(`${SHARED_FITS}${reference.file!}`)), reference),
    );
  }
});
