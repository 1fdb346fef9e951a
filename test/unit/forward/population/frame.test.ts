import { describe, expect, it } from 'vitest';
import {
  galacticToIcrs,
  icrsToGalactic,
  velocityToAstrometry,
} from '../../../../electron/forward/population/frame.ts';
import { loadReference } from '../reference.ts';

describe('coordinates and proper motions vs astropy', () => {
  const ref = loadReference();

  // The Hipparcos matrix and astropy's Galactic frame (defined through FK5) differ by ~20 mas.
  it('converts Galactic to ICRS and back', () => {
    for (const p of ref.positions) {
      const eq = galacticToIcrs(p.l, p.b);
      const dra = (((eq.raDeg - p.ra + 540) % 360) - 180) * Math.cos((p.dec * Math.PI) / 180);
      expect(Math.abs(dra)).toBeLessThan(2e-5);
      expect(Math.abs(eq.decDeg - p.dec)).toBeLessThan(2e-5);
      const back = icrsToGalactic(p.ra, p.dec);
      expect(Math.abs(back.bDeg - p.b)).toBeLessThan(2e-5);
    }
  });

  it('turns Galactic velocities into pmra, pmdec and radial velocity', () => {
    for (const p of ref.positions) {
      const a = velocityToAstrometry(p.u, p.v, p.w, p.ra, p.dec, p.distancePc);
      expect(a.pmraMasYr).toBeCloseTo(p.pmra, 4);
      expect(a.pmdecMasYr).toBeCloseTo(p.pmdec, 4);
      expect(a.radialVelocityKms).toBeCloseTo(p.rv, 4);
    }
  });
});
