import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FLAG_DEAD,
  FLAG_OUTSIDE,
  ISOCHRONE_SETS,
  loadIsochrones,
} from '../../../../electron/forward/physics/isochrones.ts';

const shared = resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'physics');
const one = (x: number): Float64Array => Float64Array.of(x);

/** rows (Mini, logL, logTe) of one PARSEC isochrone read straight from the ASteCA file */
function parsecRows(file: string, logAge: number): number[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((r) => Math.abs((r[1] as number) - logAge) < 1e-6)
    .map((r) => [r[2] as number, r[4] as number, r[5] as number]);
}

function interpRow(rows: number[][], m: number): [number, number] {
  const i = rows.findIndex((r) => (r[0] as number) >= m);
  const a = rows[i - 1] as number[];
  const b = rows[i] as number[];
  const t =
    (Math.log10(m) - Math.log10(a[0] as number)) / (Math.log10(b[0] as number) - Math.log10(a[0] as number));
  return [
    (a[1] as number) + t * ((b[1] as number) - (a[1] as number)),
    (a[2] as number) + t * ((b[2] as number) - (a[2] as number)),
  ];
}

describe('isochrones', () => {
  it('puts a 2 Myr, 0.5 Msun star where BHAC15 says (Teff 1 %, L 3 %)', () => {
    const file = join(shared, 'S2M', 'PlanetModels', 'BHAC15_iso.2mass.txt');
    if (!existsSync(file)) return void console.warn(`skipped: ${file} absent`);
    // BHAC15 table at t = 0.0020 Gyr, M = 0.500: Teff 3763 K, log L = -0.41 (Baraffe et al. 2015)
    const text = readFileSync(file, 'utf8');
    const block = text.slice(text.indexOf('t (Gyr) =   0.0020'));
    const row = block.split('\n').find((l) => l.trim().startsWith('0.500')) as string;
    const [, teff, logL] = row.trim().split(/\s+/).map(Number) as [number, number, number];
    const r = loadIsochrones('baraffe2015').interpolate({
      massInit: one(0.5),
      logAge: one(Math.log10(2e6)),
      mh: one(0),
    });
    expect(Math.abs((r.teff[0] as number) / teff - 1)).toBeLessThan(0.01);
    expect(Math.abs(10 ** ((r.logL[0] as number) - logL) - 1)).toBeLessThan(0.03);
  });

  it('puts the Sun (1 Msun, 4.6 Gyr) where the PARSEC tracks say (Teff 1 %, L 3 %)', () => {
    const file = join(shared, 'ASteCA', 'parsec12_ubvrijhk', '0.015500.dat');
    if (!existsSync(file)) return void console.warn(`skipped: ${file} absent`);
    const logAge = Math.log10(4.6e9);
    const [l0, t0] = interpRow(parsecRows(file, 9.65), 1);
    const [l1, t1] = interpRow(parsecRows(file, 9.7), 1);
    const w = (logAge - 9.65) / 0.05;
    const set = loadIsochrones('parsec12');
    const r = set.interpolate({ massInit: one(1), logAge: one(logAge), mh: one(0.024) });
    expect(Math.abs((r.teff[0] as number) / 10 ** (t0 + w * (t1 - t0)) - 1)).toBeLessThan(0.01);
    expect(Math.abs(10 ** ((r.logL[0] as number) - (l0 + w * (l1 - l0))) - 1)).toBeLessThan(0.03);
    // and the real Sun (5772 K, 1 Lsun) at PARSEC's solar-calibrated initial metallicity (Z = 0.0177, [M/H] ~ +0.09)
    const sun = set.interpolate({ massInit: one(1), logAge: one(logAge), mh: one(0.09) });
    expect(Math.abs((sun.teff[0] as number) / 5772 - 1)).toBeLessThan(0.01);
    expect(Math.abs(10 ** (sun.logL[0] as number) - 1)).toBeLessThan(0.03);
  });

  it('flags dead stars and points outside the grid instead of extrapolating', () => {
    const set = loadIsochrones('parsec12');
    const r = set.interpolate({
      massInit: Float64Array.of(5, 1, 1),
      logAge: Float64Array.of(9.5, 11, 9),
      mh: Float64Array.of(0, 0, -3),
    });
    expect(r.flags[0]).toBe(FLAG_DEAD);
    expect(r.flags[1]).toBe(FLAG_OUTSIDE);
    expect(r.flags[2]).toBe(FLAG_OUTSIDE);
    expect(Number.isNaN(r.teff[0] as number)).toBe(true);
  });

  it('reports leave-one-age-out errors for every grid', () => {
    const fmt = (x: number): string => x.toExponential(2);
    for (const name of ISOCHRONE_SETS) {
      const s = loadIsochrones(name).leaveOneAgeOut();
      console.log(
        `${name}: n=${s.count} |dlogTeff| median ${fmt(s.logTeff.median)} p95 ${fmt(s.logTeff.p95)}; |dlogL| median ${fmt(s.logL.median)} p95 ${fmt(s.logL.p95)}`,
      );
      for (const [phase, p] of Object.entries(s.byPhase ?? {})) {
        console.log(
          `  ${phase}: n=${p.count} |dlogTeff| median ${fmt(p.logTeff.median)} p95 ${fmt(p.logTeff.p95)}; |dlogL| median ${fmt(p.logL.median)} p95 ${fmt(p.logL.p95)}`,
        );
      }
      expect(s.count).toBeGreaterThan(1000);
      expect(s.logTeff.median).toBeLessThan(0.005);
      expect(s.logL.median).toBeLessThan(0.01);
      if (s.byPhase) {
        expect(s.byPhase['ms']?.logTeff.median).toBeLessThan(0.001);
        expect(s.byPhase['turnoff']?.logTeff.median).toBeLessThan(0.005);
      }
    }
  });
});
