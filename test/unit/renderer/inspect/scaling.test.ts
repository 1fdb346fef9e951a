// The image view's display scaling against astropy and matplotlib on the same inputs
// (test/fixtures/inspect/scaling-reference.json, written by make_scaling_reference.py there):
// zscale and percentile limits, the stretches, the colormap tables; plus histogram equalisation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colormapTable, colormaps, parseColor } from '../../../../renderer/lib/inspect/colormaps.ts';
import { displayPosition, equalisation, limits, stretch } from '../../../../renderer/lib/inspect/scaling.ts';
import { zscale } from '../../../../renderer/lib/inspect/zscale.ts';

interface Reference {
  arrays: Record<
    string,
    { values: (number | null)[]; zscale: [number, number]; p99_5: [number, number]; p95: [number, number] }
  >;
  stretch: Record<'x' | 'sqrt' | 'log' | 'asinh' | 'power', number[]>;
  colormaps: Record<string, [number, number, number][]>;
}

const reference = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'fixtures', 'inspect', 'scaling-reference.json'),
    'utf8',
  ),
) as Reference;

const values = (name: string): Float64Array =>
  Float64Array.from(reference.arrays[name]!.values, (v) => (v === null ? NaN : v));

describe('display limits', () => {
  for (const name of Object.keys(reference.arrays)) {
    it(`zscale of "${name}" equals astropy's ZScaleInterval`, () => {
      const [low, high] = zscale(values(name));
      expect(low).toBeCloseTo(reference.arrays[name]!.zscale[0], 9);
      expect(high).toBeCloseTo(reference.arrays[name]!.zscale[1], 9);
    });
    it(`99.5% and 95% of "${name}" equal astropy's PercentileInterval`, () => {
      const a = reference.arrays[name]!;
      expect(limits(values(name), '99.5')[0]).toBeCloseTo(a.p99_5[0], 9);
      expect(limits(values(name), '99.5')[1]).toBeCloseTo(a.p99_5[1], 9);
      expect(limits(values(name), '95')[0]).toBeCloseTo(a.p95[0], 9);
      expect(limits(values(name), '95')[1]).toBeCloseTo(a.p95[1], 9);
    });
  }
  it('min/max ignores NaN', () => {
    expect(limits([NaN, 2, -1, NaN, 5], 'minmax')).toEqual([-1, 5]);
  });
});

describe('stretches', () => {
  for (const kind of ['sqrt', 'log', 'asinh', 'power'] as const) {
    it(`${kind} equals astropy's stretch`, () => {
      reference.stretch.x.forEach((x, i) =>
        expect(stretch(kind, x)).toBeCloseTo(reference.stretch[kind][i]!, 12),
      );
    });
  }
  it('histogram equalisation spreads a skewed distribution evenly', () => {
    const skewed = Float64Array.from({ length: 10_000 }, (_, i) => (i / 10_000) ** 4);
    const lookup = equalisation(skewed, 0, 1);
    // A quarter of the values lie below 0.25^4: they take a quarter of the colormap.
    expect(displayPosition(0.25 ** 4, 0, 1, 'histeq', lookup)).toBeCloseTo(0.25, 1);
    expect(displayPosition(NaN, 0, 1, 'linear')).toBeNaN();
  });
});

describe('colormaps', () => {
  // d3's viridis/inferno/magma sample matplotlib's tables; its cividis is a polynomial fit to
  // Nuñez, Anderton & Renslow (2018), PLoS ONE 13, e0199239, which strays up to 13/255 from matplotlib's table (at the yellow end).
  const tolerance = { viridis: 3, inferno: 3, magma: 3, cividis: 13 };
  for (const name of ['viridis', 'inferno', 'magma', 'cividis'] as const) {
    it(`${name} matches matplotlib's table within ${tolerance[name]}/255`, () => {
      const table = colormapTable(name, false);
      reference.colormaps[name]!.forEach((rgb, k) => {
        const i = Math.round((k / 8) * 255);
        for (let c = 0; c < 3; c++)
          expect(Math.abs(table[i * 4 + c]! - rgb[c]!)).toBeLessThanOrEqual(tolerance[name]);
      });
    });
  }
  it('inverts, and every map is opaque with 256 entries', () => {
    for (const name of colormaps) {
      const table = colormapTable(name, false);
      const inverted = colormapTable(name, true);
      expect(table.length).toBe(1024);
      expect(Array.from(inverted.subarray(0, 4))).toEqual(Array.from(table.subarray(1020, 1024)));
      for (let i = 3; i < 1024; i += 4) expect(table[i]).toBe(255);
    }
  });
  it('reads both colour spellings d3 produces', () => {
    expect(parseColor('#0a0b0c')).toEqual([10, 11, 12]);
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(() => parseColor('red')).toThrow(/unexpected colour/);
  });
});
