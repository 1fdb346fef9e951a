// Space velocities: a star moves on a circular orbit lagging the circular speed by its population's
// asymmetric drift, plus Gaussian velocity-ellipsoid scatter (σU, σV, σW) aligned with the cylindrical
// axes (R03 Table 4); the Sun moves at V_c plus its peculiar motion. The result is the heliocentric
// velocity in Galactic axes (U towards l = 0, V towards l = 90°, W towards the NGP), km/s.
import { SUN_UVW_KMS, V_CIRC_KMS } from './frame.ts';
import type { Random } from '../simulate/random.ts';

export interface Velocity {
  u: number;
  v: number;
  w: number;
}

/**
 * Heliocentric velocity of a star at Galactocentric (x, y, z) pc whose population lags rotation by
 * `lagKms` with dispersions `sigma` (σR, σφ, σz).
 */
export function drawVelocity(
  rng: Random,
  xPc: number,
  yPc: number,
  sigma: readonly [number, number, number],
  lagKms: number,
): Velocity {
  const r = Math.hypot(xPc, yPc) || 1;
  const vR = sigma[0] * rng.normal();
  const vPhi = V_CIRC_KMS - lagKms + sigma[1] * rng.normal();
  const vZ = sigma[2] * rng.normal();
  return relativeToSun(xPc / r, yPc / r, vR, vPhi, vZ);
}

/** Heliocentric (U, V, W) of a velocity given in the cylindrical frame at unit radial vector (ex, ey). */
export function relativeToSun(ex: number, ey: number, vR: number, vPhi: number, vZ: number): Velocity {
  // e_R = (ex, ey); e_φ = (-ey, ex): at the Sun (1, 0) rotation points to +Y (towards l = 90°).
  const vx = vR * ex - vPhi * ey;
  const vy = vR * ey + vPhi * ex;
  const sunX = -SUN_UVW_KMS[0];
  const sunY = V_CIRC_KMS + SUN_UVW_KMS[1];
  const sunZ = SUN_UVW_KMS[2];
  // U points to the Galactic centre, i.e. along -X.
  return { u: -(vx - sunX), v: vy - sunY, w: vZ - sunZ };
}
