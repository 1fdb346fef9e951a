import { describe, expect, it } from 'vitest';
import {
  loadAtmosphereGrid,
  loadLibrary,
  SED_MH_IGNORED,
} from '../../../../electron/forward/physics/atmospheres.ts';
import { BcTable, bcTable, DirectPhotometry } from '../../../../electron/forward/physics/bc-tables.ts';
import { BANDS } from '../../../../electron/forward/physics/bands.ts';

const SIGMA = 5.670374419e-5;

describe('atmosphere libraries', () => {
  it('carry sigma Teff^4 within the 0.3-30 um grid (minus the UV the grid leaves out)', () => {
    const lib = loadLibrary('kurucz');
    const edges = loadAtmosphereGrid('atmos-kurucz').binEdges;
    for (const teff of [3000, 4500, 5772, 8000]) {
      const { flux } = lib.surfaceSpectrum(teff, 4.5, 0);
      let total = 0;
      for (let k = 0; k < flux.length; k++)
        total += (flux[k] as number) * ((edges[k + 1] as number) - (edges[k] as number));
      const ratio = total / (SIGMA * teff ** 4);
      expect(ratio).toBeGreaterThan(teff < 6000 ? 0.9 : 0.6);
      expect(ratio).toBeLessThan(1.01);
    }
  });

  it('joins CK04 and BT-Settl without a jump and flags [M/H] it cannot follow', () => {
    const lib = loadLibrary('kurucz');
    const a = lib.surfaceSpectrum(3499, 4.5, -1).flux;
    const b = lib.surfaceSpectrum(3501, 4.5, -1).flux;
    let worst = 0;
    for (let k = 0; k < a.length; k++)
      worst = Math.max(worst, Math.abs(Math.log10((a[k] as number) / (b[k] as number))));
    expect(worst).toBeLessThan(0.02);
    expect(lib.surfaceSpectrum(3000, 5, -1).flags & SED_MH_IGNORED).toBeTruthy();
    expect(lib.surfaceSpectrum(5000, 4.5, -1).flags & SED_MH_IGNORED).toBeFalsy();
  });
});

/** |BC table - direct| per band over random points of a region (skipping gravity-filled SEDs) */
function tableErrors(
  library: 'kurucz' | 'btsettl',
  teffRange: [number, number],
  n: number,
): { worst: Float64Array; median: number; p99: number; count: number } {
  const table = bcTable(library, 'G23');
  const direct = new DirectPhotometry(library, 'G23');
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const worst = new Float64Array(BANDS.length);
  const errs: number[] = [];
  const t = new Float64Array(BANDS.length);
  const d = new Float64Array(BANDS.length);
  for (let i = 0; i < n; i++) {
    const teff = 10 ** (Math.log10(teffRange[0]) + rnd() * Math.log10(teffRange[1] / teffRange[0]));
    const logg = teff < 4100 ? 4.1 + rnd() * 1.3 : teff > 20000 ? 4 + rnd() * 0.9 : 1 + rnd() * 3.9;
    const mh = -2.4 + rnd() * 2.8;
    const av = rnd() * 10;
    const rv = 2.5 + rnd() * 2.5;
    table.lookup(teff, logg, mh, av, rv, t);
    if (direct.bc(teff, logg, mh, av, rv, d) & 2) continue;
    for (let b = 0; b < BANDS.length; b++) {
      const e = Math.abs((t[b] as number) - (d[b] as number));
      worst[b] = Math.max(worst[b] as number, e);
      errs.push(e);
    }
  }
  errs.sort((x, y) => x - y);
  const report = {
    worst,
    median: errs[errs.length >> 1] as number,
    p99: errs[Math.floor(0.99 * errs.length)] as number,
    count: errs.length,
  };
  console.log(
    `${library} ${teffRange[0]}-${teffRange[1]} K: n=${report.count} |BC table - direct| median ${(1e3 * report.median).toFixed(3)} mmag, p99 ${(1e3 * report.p99).toFixed(2)} mmag; worst ${BANDS.map((b, i) => `${b} ${(1e3 * (worst[i] as number)).toFixed(2)}`).join(', ')}`,
  );
  return report;
}

describe('bolometric-correction tables', () => {
  // interior: 3500-30000 K, SED corners all real models, A_V <= 10, R_V 2.5-5, [M/H] -2.4..+0.4
  it('match direct integration within 5 mmag over the grid interior', { timeout: 180_000 }, () => {
    for (const library of ['kurucz', 'btsettl'] as const) {
      expect(Math.max(...tableErrors(library, [3500, 30000], 250).worst)).toBeLessThan(0.005);
    }
  });

  it(
    'match direct integration within 5 mmag below 3500 K too (the cool block, 20 K x 0.1 dex)',
    { timeout: 180_000 },
    () => {
      for (const library of ['kurucz', 'btsettl'] as const) {
        expect(Math.max(...tableErrors(library, [2000, 3500], 200).worst)).toBeLessThan(0.005);
      }
    },
  );

  it('can be shared with a worker: values wrap without a rebuild and give the same look-ups', () => {
    const table = bcTable('kurucz', 'G23');
    expect(table.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    const view = new BcTable('kurucz', 'G23', table.values);
    const a = new Float64Array(BANDS.length);
    const b = new Float64Array(BANDS.length);
    table.lookup(6123, 4.1, -0.3, 1.7, 3.3, a);
    view.lookup(6123, 4.1, -0.3, 1.7, 3.3, b);
    expect(Array.from(b)).toEqual(Array.from(a));
    // the cool block travels in the same values
    const wrapped = BcTable.fromParts(table.parts());
    table.lookup(2345, 4.7, 0, 2.2, 3.1, a);
    wrapped.lookup(2345, 4.7, 0, 2.2, 3.1, b);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(wrapped.teffCool.length).toBeGreaterThan(70);
    expect(() => new BcTable('kurucz', 'G23', new Float32Array(10))).toThrow(
      /given 10 values, the axes need/,
    );
  });
});
