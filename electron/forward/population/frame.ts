// Where the Sun sits and how positions and velocities turn into what a survey measures: Galactic
// (l, b, d) ↔ Galactocentric Cartesian, Galactic ↔ ICRS (the Hipparcos rotation matrix, ESA 1997 Vol. 1
// §1.5.3, as in astropy), and space velocities → proper motions (mas/yr) and radial velocity (km/s).
// Conventions: Galactocentric X increases from the centre towards the Sun, Y towards l = 90°, Z towards
// the north Galactic pole.

/** Sun's Galactocentric radius (pc) and height (pc): Robin et al. (2003) Sect. 2, the values their
 * density normalisations assume. */
export const SUN_R_PC = 8500;
export const SUN_Z_PC = 15;
/** Circular speed at the Sun (km/s): Robin et al. (2003) Table 4 (226 km/s). */
export const V_CIRC_KMS = 226;
/** Solar motion relative to the LSR (U, V, W) km/s: Schönrich, Binney & Dehnen (2010). */
export const SUN_UVW_KMS = [11.1, 12.24, 7.25] as const;
/** km/s per (mas/yr × kpc): 1 AU/yr in km/s. */
export const KMS_PER_MASYR_KPC = 4.740470463533348;

const DEG = Math.PI / 180;

/** Rows: ICRS unit vectors expressed in Galactic axes (Hipparcos A_G^T). galactic = M · icrs. */
const ICRS_TO_GAL = [
  [-0.0548755604162154, -0.873437090234885, -0.4838350155487132],
  [0.494109427875584, -0.44482962996001, 0.746982244497219],
  [-0.8676661490190047, -0.1980763734312015, 0.4559837761750669],
] as const;

export interface Equatorial {
  raDeg: number;
  decDeg: number;
}

/** Galactic (l, b) in degrees → ICRS (ra, dec) in degrees. */
export function galacticToIcrs(lDeg: number, bDeg: number): Equatorial {
  const cb = Math.cos(bDeg * DEG);
  const g0 = cb * Math.cos(lDeg * DEG);
  const g1 = cb * Math.sin(lDeg * DEG);
  const g2 = Math.sin(bDeg * DEG);
  const m = ICRS_TO_GAL;
  const x = m[0][0] * g0 + m[1][0] * g1 + m[2][0] * g2;
  const y = m[0][1] * g0 + m[1][1] * g1 + m[2][1] * g2;
  const z = m[0][2] * g0 + m[1][2] * g1 + m[2][2] * g2;
  let ra = Math.atan2(y, x) / DEG;
  if (ra < 0) ra += 360;
  return { raDeg: ra, decDeg: Math.asin(Math.max(-1, Math.min(1, z))) / DEG };
}

/** ICRS (ra, dec) in degrees → Galactic (l, b) in degrees. */
export function icrsToGalactic(raDeg: number, decDeg: number): { lDeg: number; bDeg: number } {
  const cd = Math.cos(decDeg * DEG);
  const x = cd * Math.cos(raDeg * DEG);
  const y = cd * Math.sin(raDeg * DEG);
  const z = Math.sin(decDeg * DEG);
  const m = ICRS_TO_GAL;
  const g0 = m[0][0] * x + m[0][1] * y + m[0][2] * z;
  const g1 = m[1][0] * x + m[1][1] * y + m[1][2] * z;
  const g2 = m[2][0] * x + m[2][1] * y + m[2][2] * z;
  let l = Math.atan2(g1, g0) / DEG;
  if (l < 0) l += 360;
  return { lDeg: l, bDeg: Math.asin(Math.max(-1, Math.min(1, g2))) / DEG };
}

export interface Galactocentric {
  /** Cylindrical radius (pc) */
  rPc: number;
  /** Height above the plane (pc) */
  zPc: number;
  xPc: number;
  yPc: number;
}

/** Heliocentric (l, b, d) → Galactocentric position (X towards the Sun from the centre). */
export function toGalactocentric(lDeg: number, bDeg: number, distancePc: number): Galactocentric {
  const cb = Math.cos(bDeg * DEG);
  const xPc = SUN_R_PC - distancePc * cb * Math.cos(lDeg * DEG);
  const yPc = distancePc * cb * Math.sin(lDeg * DEG);
  const zPc = SUN_Z_PC + distancePc * Math.sin(bDeg * DEG);
  return { rPc: Math.hypot(xPc, yPc), zPc, xPc, yPc };
}

export interface Astrometry {
  pmraMasYr: number;
  pmdecMasYr: number;
  radialVelocityKms: number;
}

/**
 * Heliocentric velocity in Galactic Cartesian axes (U towards l = 0, V towards l = 90°, W to the NGP),
 * km/s, at (ra, dec, distance) → proper motions (pmra includes cos dec) and radial velocity.
 */
export function velocityToAstrometry(
  uKms: number,
  vKms: number,
  wKms: number,
  raDeg: number,
  decDeg: number,
  distancePc: number,
): Astrometry {
  const m = ICRS_TO_GAL;
  // Galactic velocity → ICRS velocity (transpose of ICRS_TO_GAL).
  const vx = m[0][0] * uKms + m[1][0] * vKms + m[2][0] * wKms;
  const vy = m[0][1] * uKms + m[1][1] * vKms + m[2][1] * wKms;
  const vz = m[0][2] * uKms + m[1][2] * vKms + m[2][2] * wKms;
  const ra = raDeg * DEG;
  const dec = decDeg * DEG;
  const sa = Math.sin(ra);
  const ca = Math.cos(ra);
  const sd = Math.sin(dec);
  const cd = Math.cos(dec);
  const vAlpha = -sa * vx + ca * vy;
  const vDelta = -sd * ca * vx - sd * sa * vy + cd * vz;
  const vRad = cd * ca * vx + cd * sa * vy + sd * vz;
  const kpc = distancePc / 1000;
  return {
    pmraMasYr: vAlpha / (KMS_PER_MASYR_KPC * kpc),
    pmdecMasYr: vDelta / (KMS_PER_MASYR_KPC * kpc),
    radialVelocityKms: vRad,
  };
}
