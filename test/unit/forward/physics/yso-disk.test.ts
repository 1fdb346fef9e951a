import { describe, expect, it } from 'vitest';
import { diskFlux, spectralIndex, ysoClass, ysoSed } from '../../../../electron/forward/physics/yso-disk.ts';

const star = { teff: 4000, logg: 3.8, mh: 0, radius: 2 };
const obs = { distancePc: 140, av: 1, rv: 3.1, library: 'kurucz' as const, law: 'G23' as const };

describe('YSO disk and envelope', () => {
  it('radiate the luminosity fraction they are given', () => {
    const wave = Float64Array.from({ length: 4000 }, (_, i) => 1000 * 10 ** (i / 800)); // 0.1 um - 10 mm
    const lStar = 3.5;
    const f = diskFlux(wave, lStar, 100, {
      innerTemp: 1400,
      lumFraction: 0.2,
      tempIndex: 0.75,
      inclinationDeg: 60,
    });
    let total = 0;
    for (let k = 1; k < wave.length; k++)
      total +=
        0.5 * ((f[k] as number) + (f[k - 1] as number)) * ((wave[k] as number) - (wave[k - 1] as number));
    const d = 100 * 3.085677581491367e18;
    const lDisk = (2 * Math.PI * d * d * total) / Math.cos(Math.PI / 3);
    expect(lDisk / (0.2 * lStar * 3.828e33)).toBeCloseTo(1, 2);
  });

  it('span Class III, II, flat and I in the 2-24 um index', () => {
    const cases = [
      { disk: { innerTemp: 1400, lumFraction: 0, tempIndex: 0.75, inclinationDeg: 30 }, want: 'III' },
      { disk: { innerTemp: 1400, lumFraction: 0.1, tempIndex: 0.75, inclinationDeg: 30 }, want: 'II' },
      { disk: { innerTemp: 1400, lumFraction: 0.6, tempIndex: 0.45, inclinationDeg: 30 }, want: 'flat' },
      {
        disk: { innerTemp: 1400, lumFraction: 0.3, tempIndex: 0.5, inclinationDeg: 30 },
        envelope: { lumFraction: 1, temp: 150, av: 15 },
        want: 'I',
      },
    ] as const;
    for (const c of cases) {
      const alpha = spectralIndex(ysoSed(star, obs, c.disk, 'envelope' in c ? c.envelope : undefined));
      expect(ysoClass(alpha)).toBe(c.want);
    }
  });

  it('rejects impossible geometry', () => {
    expect(() =>
      diskFlux(Float64Array.of(1e4), 1, 100, {
        innerTemp: 1400,
        lumFraction: 0.1,
        tempIndex: 0.75,
        inclinationDeg: 95,
      }),
    ).toThrow(/inclination/);
  });
});
