// Corrupt or truncated tiles give a FitsError naming the tile and the algorithm: never another kind of
// exception, a hang, or an allocation beyond what the tile shape allows.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FitsError } from '../../../../electron/fits/errors.ts';
import { decodeTile, decompressTiledImage } from '../../../../electron/fits/compression/tiled-image.ts';
import type { CompressedTile } from '../../../../electron/fits/compression/tiled-image.ts';
import type { TiledImageParameters } from '../../../../electron/fits/compression/keywords.ts';
import { compressedImage, listHdus } from './compressed-table.ts';
import { FIXTURES, references } from './references.ts';

const fixture = new Uint8Array(readFileSync(`${FIXTURES}codecs.fits`));
const hdus = listHdus(fixture);

/** A deterministic xorshift generator, so a failing mutation can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

describe('truncated tiles', () => {
  for (const reference of references.fixture) {
    it(`${reference.label!}: the error names the tile and algorithm`, () => {
      const image = compressedImage(fixture, hdus[reference.hdu]!);
      const tile = image.readTile(0);
      const truncated: CompressedTile = {
        ...tile,
        compressed: tile.compressed.subarray(0, tile.compressed.length >> 2),
      };
      expect(() => decodeTile(image.parameters, 0, truncated)).toThrowError(FitsError);
      expect(() => decodeTile(image.parameters, 0, truncated)).toThrowError(
        new RegExp(`tile 1 \\(${image.parameters.algorithm}\\)`),
      );
    });
  }
});

describe('mutated tiles (fuzz)', () => {
  it('4000 random byte mutations decode or fail with a FitsError', () => {
    const next = random(20261126);
    let failures = 0;
    for (let n = 0; n < 4000; n++) {
      const reference = references.fixture[Math.floor(next() * references.fixture.length)]!;
      const image = compressedImage(fixture, hdus[reference.hdu]!);
      const index = Math.floor(next() * image.rows);
      const tile = image.readTile(index);
      const bytes = tile.compressed.slice();
      const edits = 1 + Math.floor(next() * 4);
      for (let e = 0; e < edits && bytes.length > 0; e++)
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const cut = next() < 0.2 ? Math.floor(next() * bytes.length) : bytes.length;
      try {
        const { data } = decodeTile(image.parameters, index, { ...tile, compressed: bytes.subarray(0, cut) });
        expect(data.length).toBeLessThanOrEqual(reference.shape.reduce((a, b) => a * b, 1));
      } catch (error) {
        expect(error).toBeInstanceOf(FitsError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});

describe('random tiles for random parameters (fuzz)', () => {
  it('2000 random images of every algorithm and type decode or fail with a FitsError', () => {
    const next = random(77);
    const algorithms = ['RICE_1', 'GZIP_1', 'GZIP_2', 'HCOMPRESS_1', 'PLIO_1', 'NOCOMPRESS'] as const;
    const bitpixes = [8, 16, 32, 64, -32, -64] as const;
    let failures = 0;
    for (let n = 0; n < 2000; n++) {
      const axes = [1 + Math.floor(next() * 12), 1 + Math.floor(next() * 6)];
      const parameters: TiledImageParameters = {
        bitpix: bitpixes[Math.floor(next() * bitpixes.length)]!,
        axes,
        tile: axes.map((a) => 1 + Math.floor(next() * a)),
        algorithm: algorithms[Math.floor(next() * algorithms.length)]!,
        blockSize: next() < 0.5 ? 16 : 32,
        bytePix: ([1, 2, 4, 8] as const)[Math.floor(next() * 4)]!,
        smooth: next() < 0.5,
        dither: 'SUBTRACTIVE_DITHER_2',
        ditherSeed: 1 + Math.floor(next() * 10000),
        blank: next() < 0.3 ? -32768 : undefined,
      };
      const readTile = (): CompressedTile => {
        const bytes = Uint8Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 256));
        return next() < 0.5 ? { compressed: bytes } : { compressed: bytes, scale: next(), zero: next() * 10 };
      };
      try {
        const { data } = decompressTiledImage(parameters, readTile);
        expect(data.length).toBe(axes[0]! * axes[1]!);
      } catch (error) {
        expect(error).toBeInstanceOf(FitsError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});

const gzipParameters: TiledImageParameters = {
  bitpix: 16,
  axes: [8, 4],
  tile: [8, 1],
  algorithm: 'GZIP_1',
  blockSize: 32,
  bytePix: 4,
  smooth: false,
  dither: 'NO_DITHER',
  ditherSeed: 1,
  blank: undefined,
};

describe('bounded output', () => {
  it('a deflate stream that inflates past the tile is refused, not allocated', () => {
    const bomb = gzipSync(new Uint8Array(10_000_000));
    expect(() => decodeTile(gzipParameters, 2, { compressed: bomb })).toThrowError(
      /tile 3 \(GZIP_1\): inflates to more than the 64 bytes/,
    );
  });

  it('an HCOMPRESS stream claiming another tile size is refused before decoding', () => {
    const header = new Uint8Array(25);
    header.set([0xdd, 0x99, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]);
    const parameters: TiledImageParameters = { ...gzipParameters, algorithm: 'HCOMPRESS_1', tile: [8, 4] };
    expect(() => decodeTile(parameters, 0, { compressed: header })).toThrowError(
      /tile 1 \(HCOMPRESS_1\): stream holds a 2147483647×2147483647 tile, expected 4×8/,
    );
  });

  it('an image larger than the limit is refused before any tile is read', () => {
    const huge: TiledImageParameters = { ...gzipParameters, axes: [100000, 100000], tile: [100000, 1] };
    expect(() =>
      decompressTiledImage(huge, () => {
        throw new Error('no tile should be read');
      }),
    ).toThrowError(/keyword ZNAXISn: image of 100000×100000 pixels exceeds/);
  });

  it('a table whose row count differs from the tile count is refused', () => {
    expect(() =>
      decompressTiledImage(gzipParameters, () => ({ compressed: new Uint8Array(0) }), { tableRows: 3 }),
    ).toThrowError(/keyword NAXIS2: the table has 3 rows but ZNAXISn\/ZTILEn make 4 tiles \(1×4\)/);
  });

  it('a missing fallback column is a clear error', () => {
    expect(() => decodeTile(gzipParameters, 0, { compressed: new Uint8Array(0) })).toThrowError(
      /tile 1 \(GZIP_1\): COMPRESSED_DATA is empty and neither GZIP_COMPRESSED_DATA nor UNCOMPRESSED_DATA/,
    );
  });
});
