// Reading the tiled-image keywords: defaults from FITS 4.0 §10.1 and clear errors naming the keyword.
import { describe, expect, it } from 'vitest';
import { tiledImageParameters } from '../../../../electron/fits/compression/keywords.ts';

const base = { ZBITPIX: 16, ZNAXIS: 2, ZNAXIS1: 100, ZNAXIS2: 7, ZCMPTYPE: 'RICE_1' };
const header = (cards: Record<string, string | number | boolean | bigint>) => new Map(Object.entries(cards));

describe('tiledImageParameters', () => {
  it('fills the defaults: row tiles, BLOCKSIZE 32, BYTEPIX 4, NO_DITHER', () => {
    const p = tiledImageParameters(header(base));
    expect(p.tile).toEqual([100, 1]);
    expect([p.blockSize, p.bytePix, p.dither, p.smooth]).toEqual([32, 4, 'NO_DITHER', false]);
  });

  it('reads ZNAMEi/ZVALi pairs, ZQUANTIZ, ZDITHER0 and ZBLANK (bigint values too)', () => {
    const p = tiledImageParameters(
      header({
        ...base,
        ZCMPTYPE: 'HCOMPRESS_1',
        ZNAME1: 'SCALE',
        ZVAL1: 4,
        ZNAME2: 'smooth',
        ZVAL2: 1,
        ZQUANTIZ: 'SUBTRACTIVE_DITHER_2',
        ZDITHER0: 77,
        ZBLANK: -2147483648n,
      }),
    );
    expect([p.algorithm, p.smooth, p.dither, p.ditherSeed, p.blank]).toEqual([
      'HCOMPRESS_1',
      true,
      'SUBTRACTIVE_DITHER_2',
      77,
      -2147483648,
    ]);
  });

  it.each([
    [{ ...base, ZBITPIX: 7 }, /keyword ZBITPIX: must be 8, 16, 32, 64, -32 or -64, got 7/],
    [{ ...base, ZCMPTYPE: 'BZIP2_1' }, /keyword ZCMPTYPE: unsupported compression algorithm 'BZIP2_1'/],
    [{ ...base, ZTILE1: 0 }, /keyword ZTILE1: tile size must be positive/],
    [{ ...base, ZNAXIS2: -3 }, /keyword ZNAXIS2: negative axis length/],
    [{ ...base, ZQUANTIZ: 'DITHER_9' }, /keyword ZQUANTIZ: unknown quantization method 'DITHER_9'/],
    [{ ZNAXIS: 1, ZNAXIS1: 3, ZCMPTYPE: 'RICE_1' }, /keyword ZBITPIX: required keyword is missing/],
  ])('refuses %o', (cards, message) => {
    expect(() => tiledImageParameters(header(cards))).toThrowError(message);
  });
});
