// Frame anchors that do not need astropy (the full parity is test/python/test_galaxy_frames.py): the
// north Galactic pole and the Galactic centre, the Cartesian axes, the au/yr velocity unit, and how
// positions choose between a posterior distance and an inverse parallax.
import { describe, expect, it } from 'vitest';
import {
  GALCEN_DISTANCE_PC,
  ICRS_TO_GALACTIC,
  SUN_HEIGHT_PC,
  cartesianToGalactic,
  galacticToCartesian,
  icrsToGalactic,
  icrsToGalactocentric,
  properMotionToGalactic,
  tangentialVelocityKms,
} from '../../../electron/galaxy/frames.ts';
import {
  DISTANCE_NONE,
  DISTANCE_PARALLAX,
  DISTANCE_POSTERIOR,
  starPositions,
} from '../../../electron/galaxy/positions.ts';

describe('galaxy frames', () => {
  it('keeps the ICRS → Galactic matrix a rotation', () => {
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const dot = [0, 1, 2].reduce((s, k) => s + ICRS_TO_GALACTIC[i]![k]! * ICRS_TO_GALACTIC[j]![k]!, 0);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 14);
      }
  });

  it('puts the J2000 north Galactic pole at b = 90° and Sgr A* near l = b = 0', () => {
    expect(icrsToGalactic(192.85948, 27.12825).bDeg).toBeCloseTo(90, 4);
    const centre = icrsToGalactic(266.4051, -28.936175);
    expect(Math.min(centre.lDeg, 360 - centre.lDeg)).toBeLessThan(0.06);
    expect(Math.abs(centre.bDeg)).toBeLessThan(0.05);
  });

  it('points X at the centre and Z at the pole', () => {
    const [x, y, z] = galacticToCartesian(0, 0, 100);
    expect([x, y, z].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([100, 0, 0]);
    expect(galacticToCartesian(90, 0, 100)[1]).toBeCloseTo(100, 9);
    expect(galacticToCartesian(123, 90, 100)[2]).toBeCloseTo(100, 9);
  });

  it('inverts the Cartesian position back to l, b and distance, with l in [0, 360)', () => {
    for (const [l, b, d] of [
      [0, 0, 100],
      [359.5, -12, 2500],
      [210.3, 45.2, 80],
      [17, -89, 1],
    ] as const) {
      const back = cartesianToGalactic(galacticToCartesian(l, b, d));
      expect(back.lDeg).toBeCloseTo(l, 9);
      expect(back.bDeg).toBeCloseTo(b, 9);
      expect(back.distancePc).toBeCloseTo(d, 9);
    }
  });

  it('places the Sun at R0 from the centre, z☉ above the plane', () => {
    const [x, y, z] = icrsToGalactocentric(10, 20, 0);
    expect(Math.hypot(x, z)).toBeCloseTo(GALCEN_DISTANCE_PC, 9);
    expect(y).toBeCloseTo(0, 9);
    expect(z).toBeCloseTo(SUN_HEIGHT_PC, 9);
  });

  it('keeps the size of a proper motion when rotating it, and 1 mas/yr at 1 kpc is 4.74 km/s', () => {
    const pm = properMotionToGalactic(83.8, -5.4, 3, -4);
    expect(Math.hypot(pm.pmLCosB, pm.pmB)).toBeCloseTo(5, 12);
    expect(tangentialVelocityKms(1, 1000)).toBeCloseTo(4.740470463533348, 12);
  });
});

describe('star positions', () => {
  const f = (...values: number[]): Float64Array => Float64Array.from(values);

  it('takes the posterior distance, else 1/parallax above S/N 5, else none', () => {
    const stars = starPositions({
      raDeg: f(10, 10, 10, 10),
      decDeg: f(20, 20, 20, 20),
      distancePc: f(250, Number.NaN, Number.NaN, Number.NaN),
      distanceP16Pc: f(240, Number.NaN, Number.NaN, Number.NaN),
      distanceP84Pc: f(262, Number.NaN, Number.NaN, Number.NaN),
      parallaxMas: f(2, 2, 2, -1),
      parallaxErrorMas: f(0.1, 0.1, 1, 0.1),
    });
    expect([...stars.distanceSource]).toEqual([
      DISTANCE_POSTERIOR,
      DISTANCE_PARALLAX,
      DISTANCE_NONE,
      DISTANCE_NONE,
    ]);
    expect(stars.distancePc[0]).toBe(250);
    expect(stars.distanceErrorPc[0]).toBe(11);
    expect(stars.distancePc[1]).toBe(500);
    expect(stars.distanceErrorPc[1]).toBeCloseTo(25, 12);
    expect(Number.isNaN(stars.x[2]!)).toBe(true);
    expect(Math.hypot(stars.x[1]!, stars.y[1]!, stars.z[1]!)).toBeCloseTo(500, 9);
  });

  it('names a column whose length differs', () => {
    expect(() => starPositions({ raDeg: f(1, 2), decDeg: f(1) })).toThrow(
      /column decDeg has 1 rows, ra has 2/,
    );
  });
});
