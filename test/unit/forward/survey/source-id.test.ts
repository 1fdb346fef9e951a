import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { healpixNested, sourceIds } from '../../../../electron/forward/survey/source-id.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../../fixtures/forward/healpix-nested.json', import.meta.url), 'utf8'),
) as { ra: number[]; dec: number[]; pixels: Record<string, number[]> };

describe('Gaia-like source_id', () => {
  it('computes nested HEALPix indices as astropy-healpix does, poles and seams included', () => {
    for (const [level, pixels] of Object.entries(fixture.pixels)) {
      fixture.ra.forEach((ra, i) => {
        expect(healpixNested(ra, fixture.dec[i] as number, Number(level))).toBe(pixels[i]);
      });
    }
  });

  it('puts the level-12 pixel above bit 35 and the running number below it', () => {
    const ra = Float64Array.from(fixture.ra.slice(0, 5));
    const dec = Float64Array.from(fixture.dec.slice(0, 5));
    const running = Float64Array.of(0, 1, 2 ** 32 - 1, 2 ** 32 + 7, 2 ** 35 - 1);
    const ids = sourceIds(ra, dec, running);
    const level12 = fixture.pixels['12'] as number[];
    ids.forEach((id, i) => {
      expect(id >> 35n).toBe(BigInt(level12[i] as number));
      expect(id & (2n ** 35n - 1n)).toBe(BigInt(running[i] as number));
    });
    expect(() => sourceIds(ra.subarray(0, 1), dec.subarray(0, 1), Float64Array.of(2 ** 35))).toThrow(
      /does not fit in 35 bits/,
    );
    expect(() => healpixNested(0, 0, 14)).toThrow(/level 14/);
  });
});
