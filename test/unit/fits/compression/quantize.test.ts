// The dither random sequence and de-quantization rules of FITS 4.0 §10.2 and Appendix I.
import { describe, expect, it } from 'vitest';
import {
  ZERO_VALUE,
  ditherRandoms,
  parseDitherMethod,
  unquantizeTile,
} from '../../../../electron/fits/compression/quantize.ts';

describe('dither random sequence', () => {
  it('is the Park–Miller sequence stored as float32', () => {
    const table = ditherRandoms();
    expect(table.length).toBe(10000);
    expect(table[0]).toBe(Math.fround(16807 / 2147483647));
    expect(table[1]).toBe(Math.fround(282475249 / 2147483647));
  });
});

describe('unquantizeTile', () => {
  it('NO_DITHER is q·scale + zero with ZBLANK → NaN', () => {
    const out = new Float64Array(3);
    unquantizeTile(
      [2, -7, 99],
      { scale: 0.5, zero: 10, method: 'NO_DITHER', tileIndex: 0, ditherSeed: 1, blank: 99 },
      out,
    );
    expect([...out]).toEqual([11, 6.5, NaN]);
  });

  it('SUBTRACTIVE_DITHER_1 subtracts the sequence value chosen by the tile and ZDITHER0', () => {
    const table = ditherRandoms();
    const out = new Float64Array(2);
    // tile 3 (0-based 2) with ZDITHER0 = 5 starts at table index (2 + 5 − 1) = 6.
    unquantizeTile(
      [10, 20],
      { scale: 2, zero: 1, method: 'SUBTRACTIVE_DITHER_1', tileIndex: 2, ditherSeed: 5 },
      out,
    );
    const first = Math.floor(Math.fround(table[6]! * 500));
    expect(out[0]).toBe((10 - table[first]! + 0.5) * 2 + 1);
    expect(out[1]).toBe((20 - table[first + 1]! + 0.5) * 2 + 1);
  });

  it('SUBTRACTIVE_DITHER_2 restores exact zeros; _1 does not', () => {
    const two = new Float32Array(1);
    const one = new Float32Array(1);
    const options = { scale: 3, zero: 0, tileIndex: 0, ditherSeed: 1 };
    unquantizeTile([ZERO_VALUE], { ...options, method: 'SUBTRACTIVE_DITHER_2' }, two);
    unquantizeTile([ZERO_VALUE], { ...options, method: 'SUBTRACTIVE_DITHER_1' }, one);
    expect(two[0]).toBe(0);
    expect(one[0]).not.toBe(0);
  });
});

describe('parseDitherMethod', () => {
  it("defaults to NO_DITHER, reads the three methods, and takes fpack's lossless NONE as no dithering", () => {
    expect(parseDitherMethod(undefined)).toBe('NO_DITHER');
    expect(parseDitherMethod(' subtractive_dither_1 ')).toBe('SUBTRACTIVE_DITHER_1');
    expect(parseDitherMethod('SUBTRACTIVE_DITHER_2')).toBe('SUBTRACTIVE_DITHER_2');
    expect(parseDitherMethod('NONE')).toBe('NO_DITHER');
    expect(() => parseDitherMethod('DITHER')).toThrow(/unknown quantization method/);
  });
});
