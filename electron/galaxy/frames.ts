// Coordinate frames for the Galaxy view: ICRS (ra, dec, distance, proper motions) to Galactic (l, b),
// heliocentric Galactic Cartesian (X toward the Galactic centre, Y toward l = 90°, Z toward the north
// Galactic pole) and galactocentric Cartesian, plus proper motions rotated into Galactic (μ_l*, μ_b)
// and the tangential velocities they imply. Definitions follow astropy 8 exactly, so positions agree
// with `SkyCoord(...).galactic` / `Galactocentric()` to rounding (test/python/test_galaxy_frames.py).

/**
 * ICRS → Galactic rotation (rows: Galactic X, Y, Z in ICRS components). The Galactic frame is the IAU
 * 1958 definition (Blaauw et al. 1960, MNRAS 121, 123: NGP at B1950 α = 192.25°, δ = 27.4°, l of the
 * NCP 123°), carried to J2000 FK5 and then to ICRS through the IAU frame bias, as astropy composes it
 * (fk4 → fk5 → icrs); the product is the matrix astropy 8 applies. It agrees with the Hipparcos A_G
 * (ESA 1997, vol. 1, eq. 1.5.11) to 4e-8, which is the ICRS/FK5 frame-bias difference.
 */
export const ICRS_TO_GALACTIC: readonly (readonly [number, number, number])[] = [
  [-0.05487565771259163, -0.8734370519556159, -0.48383507361671546],
  [0.4941094371927268, -0.4448297212232952, 0.7469821839866676],
  [-0.8676661375596576, -0.19807633727300053, 0.4559838136873016],
];

/** Sun–Galactic-centre distance, pc: GRAVITY Collaboration 2018, A&A 615, L15 (astropy's v4.0 default). */
export const GALCEN_DISTANCE_PC = 8122;
/** Height of the Sun above the Galactic mid-plane, pc: Bennett & Bovy 2019, MNRAS 482, 1417. */
export const SUN_HEIGHT_PC = 20.8;
/** ICRS direction of Sgr A* used as the galactocentric x axis: Reid & Brunthaler 2004, ApJ 616, 872. */
export const GALCEN_RA_DEG = 266.4051;
export const GALCEN_DEC_DEG = -28.936175;
/** Roll that puts the galactocentric x–z plane on the Galactic plane (astropy Galactocentric.get_roll0). */
export const GALCEN_ROLL0_DEG = 58.5986320306;
/**
 * km/s per (mas/yr · kpc) = 1 au per Julian year: IAU 2012 au (149 597 870.7 km, Resolution B2) over
 * 365.25 × 86400 s.
 */
export const KMS_PER_MASYR_KPC = 149597870.7 / (365.25 * 86400);

const DEG = Math.PI / 180;

type Vec3 = [number, number, number];
type Mat3 = readonly (readonly [number, number, number])[];

function apply(m: Mat3, v: Vec3): Vec3 {
  const [r0, r1, r2] = m as [Vec3, Vec3, Vec3];
  return [
    r0[0] * v[0] + r0[1] * v[1] + r0[2] * v[2],
    r1[0] * v[0] + r1[1] * v[1] + r1[2] * v[2],
    r2[0] * v[0] + r2[1] * v[1] + r2[2] * v[2],
  ];
}

function multiply(a: Mat3, b: Mat3): Mat3 {
  const out: [Vec3, Vec3, Vec3] = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[i] as Vec3)[k]! * (b[k] as Vec3)[j]!;
      out[i]![j] = s;
    }
  return out;
}

/** astropy's `rotation_matrix(angle, axis)`: a passive (frame) rotation by angle about the axis. */
function rotation(angleRad: number, axis: 'x' | 'y' | 'z'): Mat3 {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  if (axis === 'x')
    return [
      [1, 0, 0],
      [0, c, s],
      [0, -s, c],
    ];
  if (axis === 'y')
    return [
      [c, 0, -s],
      [0, 1, 0],
      [s, 0, c],
    ];
  return [
    [c, s, 0],
    [-s, c, 0],
    [0, 0, 1],
  ];
}

/**
 * ICRS → galactocentric: rotate x onto Sgr A*, roll the x–z plane onto the Galactic plane, shift by the
 * Sun's distance and tilt by asin(z☉/R0) (astropy `galactocentric.get_matrix_vectors`).
 */
function galactocentricTransform(): { matrix: Mat3; offset: Vec3 } {
  const r = multiply(
    rotation(GALCEN_ROLL0_DEG * DEG, 'x'),
    multiply(rotation(-GALCEN_DEC_DEG * DEG, 'y'), rotation(GALCEN_RA_DEG * DEG, 'z')),
  );
  const tilt = rotation(-Math.asin(SUN_HEIGHT_PC / GALCEN_DISTANCE_PC), 'y');
  const shifted = apply(tilt, [GALCEN_DISTANCE_PC, 0, 0]);
  return { matrix: multiply(tilt, r), offset: [-shifted[0], -shifted[1], -shifted[2]] };
}

const GALCEN = galactocentricTransform();

function unitVector(lonDeg: number, latDeg: number): Vec3 {
  const cl = Math.cos(latDeg * DEG);
  return [cl * Math.cos(lonDeg * DEG), cl * Math.sin(lonDeg * DEG), Math.sin(latDeg * DEG)];
}

/** Longitude in [0, 360) and latitude (degrees) of a Cartesian vector: the inverse of unitVector. */
function lonLat([x, y, z]: Vec3): [number, number] {
  const lon = Math.atan2(y, x) / DEG;
  return [lon < 0 ? lon + 360 : lon, Math.atan2(z, Math.hypot(x, y)) / DEG];
}

/** Galactic longitude and latitude (degrees, l in [0, 360)) of an ICRS direction. */
export function icrsToGalactic(raDeg: number, decDeg: number): { lDeg: number; bDeg: number } {
  const [lDeg, bDeg] = lonLat(apply(ICRS_TO_GALACTIC, unitVector(raDeg, decDeg)));
  return { lDeg, bDeg };
}

/** ICRS right ascension and declination (degrees, ra in [0, 360)) of a Galactic direction: the inverse
 * rotation, i.e. the transpose of ICRS_TO_GALACTIC. */
export function galacticToIcrs(lDeg: number, bDeg: number): { raDeg: number; decDeg: number } {
  const [gx, gy, gz] = unitVector(lDeg, bDeg);
  const m = ICRS_TO_GALACTIC;
  const x = m[0]![0] * gx + m[1]![0] * gy + m[2]![0] * gz;
  const y = m[0]![1] * gx + m[1]![1] * gy + m[2]![1] * gz;
  const z = m[0]![2] * gx + m[1]![2] * gy + m[2]![2] * gz;
  const [raDeg, decDeg] = lonLat([x, y, z]);
  return { raDeg, decDeg };
}

/** Heliocentric Galactic Cartesian position, pc (X toward the centre, Z toward the NGP). */
export function galacticToCartesian(lDeg: number, bDeg: number, distancePc: number): Vec3 {
  const u = unitVector(lDeg, bDeg);
  return [u[0] * distancePc, u[1] * distancePc, u[2] * distancePc];
}

/** Galactic longitude, latitude (degrees) and distance (pc) of a heliocentric Galactic Cartesian
 * position: the inverse of galacticToCartesian. */
export function cartesianToGalactic(position: Vec3): { lDeg: number; bDeg: number; distancePc: number } {
  const [lDeg, bDeg] = lonLat(position);
  return { lDeg, bDeg, distancePc: Math.hypot(...position) };
}

/** Galactocentric Cartesian position, pc (astropy's frame: the Sun near x = −R0, z = +z☉). */
export function icrsToGalactocentric(raDeg: number, decDeg: number, distancePc: number): Vec3 {
  const u = unitVector(raDeg, decDeg);
  const p = apply(GALCEN.matrix, [u[0] * distancePc, u[1] * distancePc, u[2] * distancePc]);
  return [p[0] + GALCEN.offset[0], p[1] + GALCEN.offset[1], p[2] + GALCEN.offset[2]];
}

/**
 * Proper motion (μ_α* = μ_α cos δ, μ_δ; any unit) rotated into Galactic (μ_l* = μ_l cos b, μ_b): the
 * motion vector on the sky in ICRS is carried by the same rotation as positions.
 */
export function properMotionToGalactic(
  raDeg: number,
  decDeg: number,
  pmRaCosDec: number,
  pmDec: number,
): { pmLCosB: number; pmB: number } {
  const sa = Math.sin(raDeg * DEG);
  const ca = Math.cos(raDeg * DEG);
  const sd = Math.sin(decDeg * DEG);
  const cd = Math.cos(decDeg * DEG);
  const motion: Vec3 = [-sa * pmRaCosDec - sd * ca * pmDec, ca * pmRaCosDec - sd * sa * pmDec, cd * pmDec];
  const g = apply(ICRS_TO_GALACTIC, motion);
  const { lDeg, bDeg } = icrsToGalactic(raDeg, decDeg);
  const sl = Math.sin(lDeg * DEG);
  const cl = Math.cos(lDeg * DEG);
  const sb = Math.sin(bDeg * DEG);
  const cb = Math.cos(bDeg * DEG);
  return {
    pmLCosB: -sl * g[0] + cl * g[1],
    pmB: -sb * cl * g[0] - sb * sl * g[1] + cb * g[2],
  };
}

/** Tangential velocity, km/s, of a proper motion (mas/yr) at a distance (pc). */
export function tangentialVelocityKms(pmMasYr: number, distancePc: number): number {
  return KMS_PER_MASYR_KPC * pmMasYr * (distancePc / 1000);
}
