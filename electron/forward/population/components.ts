// The Galactic components and their laws, re-implemented from the published tables of the Besançon
// model (Robin, Reylé, Derrière & Picaud 2003, A&A 409, 523; hereafter R03), the model Galaxia
// (Sharma et al. 2011, ApJ 730, 3, Table 1) also follows. Nothing is taken from either code.
//   density laws:         R03 Table 3 (thin disc Einasto laws, thick disc, halo power law)
//   local densities, ε:   R03 Table 2 (mass densities of the stellar components at the Sun, axis ratios),
//                         (halo 9.32e-6 M☉ pc^-3: R03's value, ~20× below Jurić et al. 2008's f_H = 0.0051;
//                         with Jurić's halo the high-latitude counts to G = 21 overshoot Gaia DR2 by ~50%,
//                         with R03's they fall ~22% short, part of it the missing white dwarfs,
//                         resolved binaries and galaxies — see the count test)
//   ages and [M/H]:       R03 Table 1 (age ranges; mean [M/H] and dispersion; radial gradient -0.07 dex/kpc)
//   velocity dispersions: R03 Table 4 (σU, σV, σW; asymmetric drift)
//   bulge:                R03 Sect. 2.4 / Table 5 (Dwek et al. 1995 "G2" boxy law), normalised here to a
//                         stellar mass of 2.0e10 M☉ (Valenti et al. 2016, A&A 587, L6) because R03 gives
//                         the bulge as a number density whose mass scale is not stated.
// The thin disc star-formation history is constant over 0–10 Gyr (R03 Sect. 2.1.1; the youngest bin starts
// at 1 Myr, where the isochrones start), so within each age
// bin ages are uniform; the bins' local densities already carry the SFH.
//   IMFs:                 R03 Table 1 (also Sharma et al. 2011 Table 1), since R03's local densities were
//                         fitted to star counts with them: thin disc dn/dm ∝ m^-1.6 below 1 M☉ and m^-3.0
//                         above (Haywood, Robin & Crézé 1997, A&A 320, 440); thick disc and halo m^-0.5 (the
//                         thick disc's from Reylé & Robin 2001, A&A 373, 886, fitted over 0.2–0.8 M☉); the
//                         bulge keeps Kroupa (2001), whose 2.3 above 0.5 M☉ is R03's 2.35 above 0.7 M☉.
//                         Per M☉ of living stars, m^-0.5 puts twice Kroupa's share in the 0.6–0.95 M☉ stars
//                         that old populations show at the turn-off; using Kroupa for every component left
//                         the high-latitude counts to G = 21 at 0.70× Gaia DR2 (count test), 0.78× with these.
import { KROUPA_2001, type PowerLawSegment } from './imf.ts';
import { SUN_R_PC, SUN_Z_PC } from './frame.ts';

export type ComponentId =
  'thin1' | 'thin2' | 'thin3' | 'thin4' | 'thin5' | 'thin6' | 'thin7' | 'thick' | 'halo' | 'bulge';

export interface ComponentLaw {
  id: ComponentId;
  /** Code stored in the truth table (`component`). */
  code: number;
  /** Age range in Gyr (uniform within it: constant SFR). */
  ageGyr: readonly [number, number];
  /** Mean [M/H] at the solar radius and its dispersion (dex). */
  mhMean: number;
  mhSigma: number;
  /** d[M/H]/dR (dex/kpc). */
  mhGradientPerKpc: number;
  /** Velocity dispersions σU, σV, σW (km/s). */
  sigmaUVW: readonly [number, number, number];
  /** Asymmetric drift: mean rotation lag (km/s) relative to the circular speed. */
  lagKms: number;
  /** Stellar mass density at the Sun (M☉ pc^-3) for disc, thick disc and halo; unused for the bulge. */
  localDensity: number;
  /** Initial mass function, dn/dm ∝ m^-α piecewise (stars from 0.08 M☉). */
  imf: readonly PowerLawSegment[];
}

/** R03 Table 1, thin disc: α = 1.6 below 1 M☉, 3.0 above. */
export const THIN_DISC_IMF: readonly PowerLawSegment[] = [
  { lo: 0.08, hi: 1, alpha: 1.6 },
  { lo: 1, hi: 150, alpha: 3.0 },
];
/** R03 Table 1, thick disc and halo: α = 0.5. */
export const OLD_POPULATION_IMF: readonly PowerLawSegment[] = [{ lo: 0.08, hi: 150, alpha: 0.5 }];

/** R03 Tables 1, 2 and 4. Thin-disc asymmetric drifts from Strömberg's relation v_a = σU²/80 km/s
 * (Dehnen & Binney 1998, MNRAS 298, 387); thick disc 53 km/s (R03 Sect. 2.2); halo and bulge: no net rotation. */
export const COMPONENTS: readonly ComponentLaw[] = [
  {
    id: 'thin1',
    code: 1,
    ageGyr: [0.001, 0.15],
    mhMean: 0.01,
    mhSigma: 0.12,
    mhGradientPerKpc: -0.07,
    sigmaUVW: [16.7, 10.8, 6.0],
    lagKms: 3.5,
    localDensity: 4.0e-3,
    imf: THIN_DISC_IMF,
  },
  {
    id: 'thin2',
    code: 2,
    ageGyr: [0.15, 1],
    mhMean: 0.03,
    mhSigma: 0.12,
    mhGradientPerKpc: -0.07,
    sigmaUVW: [19.8, 12.8, 8.0],
    lagKms: 4.9,
    localDensity: 7.9e-3,
    imf: THIN_DISC_IMF,
  },
  {
    id: 'thin3',
    code: 3,
    ageGyr: [1, 2],
    mhMean: 0.03,
    mhSigma: 0.1,
    mhGradientPerKpc: -0.07,
    sigmaUVW: [27.2, 17.6, 10.0],
    lagKms: 9.2,
    localDensity: 6.2e-3,
    imf: THIN_DISC_IMF,
  },
  {
    id: 'thin4',
    code: 4,
    ageGyr: [2, 3],
    mhMean: 0.01,
    mhSigma: 0.11,
    mhGradientPerKpc: -0.07,
    sigmaUVW: [30.2, 19.5, 13.2],
    lagKms: 11.4,
    localDensity: 4.0e-3,
    imf: THIN_DISC_IMF,
  },
  {
    id: 'thin5',
    code: 5,
    ageGyr: [3, 5],
    mhMean: -0.07,
    mhSigma: 0.18,
    mhGradientPerKpc: -0.07,
    sigmaUVW: [36.7, 23.7, 15.8],
    lagKms: 16.8,
    localDensity: 5.8e-3,
    imf: THIN_DISC_IMF,
  },
  {
    id: 'thin6',
    code: 6,
    ageGyr: [5, 7],
    mhMean: -0.14,
    mhSigma: 0.17,
    mhGradientPerKpc: -0.07,
    sigmaUVW: [43.1, 27.8, 17.4],
    lagKms: 23.2,
    localDensity: 4.9e-3,
    imf: THIN_DISC_IMF,
  },
  {
    id: 'thin7',
    code: 7,
    ageGyr: [7, 10],
    mhMean: -0.37,
    mhSigma: 0.2,
    mhGradientPerKpc: -0.07,
    sigmaUVW: [43.1, 27.8, 17.5],
    lagKms: 23.2,
    localDensity: 6.6e-3,
    imf: THIN_DISC_IMF,
  },
  {
    id: 'thick',
    code: 8,
    ageGyr: [10.5, 11.5],
    mhMean: -0.78,
    mhSigma: 0.3,
    mhGradientPerKpc: 0,
    sigmaUVW: [67, 51, 42],
    lagKms: 53,
    localDensity: 1.34e-3,
    imf: OLD_POPULATION_IMF,
  },
  {
    id: 'halo',
    code: 9,
    ageGyr: [13.5, 14],
    mhMean: -1.78,
    mhSigma: 0.5,
    mhGradientPerKpc: 0,
    sigmaUVW: [131, 106, 85],
    lagKms: 226,
    localDensity: 9.32e-6,
    imf: OLD_POPULATION_IMF,
  },
  {
    id: 'bulge',
    code: 10,
    ageGyr: [9.5, 10.5],
    mhMean: 0.0,
    mhSigma: 0.4,
    mhGradientPerKpc: 0,
    sigmaUVW: [113, 115, 100],
    lagKms: 226,
    localDensity: 0,
    imf: KROUPA_2001,
  },
];

export function componentById(id: ComponentId): ComponentLaw {
  const found = COMPONENTS.find((c) => c.id === id);
  if (found === undefined) throw new Error(`unknown Galactic component '${id}'`);
  return found;
}

/** Disc axis ratios ε (R03 Table 2) for the thin disc age bins. */
const THIN_EPSILON: Record<string, number> = {
  thin1: 0.014,
  thin2: 0.0268,
  thin3: 0.0375,
  thin4: 0.0551,
  thin5: 0.0696,
  thin6: 0.0785,
  thin7: 0.0791,
};

/**
 * Unnormalised thin-disc law of R03 Table 3 (Einasto): for the youngest bin
 * exp(-(a/hR+)²) - exp(-(a/hR-)²) with hR+ = 5000 pc, hR- = 3000 pc; for the older bins
 * exp(-√(0.25 + a²/hR+²)) - exp(-√(0.25 + a²/hR-²)) with hR+ = 2530 pc, hR- = 1320 pc; a² = R² + z²/ε².
 */
function thinShape(id: ComponentId, rPc: number, zPc: number): number {
  const eps = THIN_EPSILON[id] as number;
  const a2 = rPc * rPc + (zPc * zPc) / (eps * eps);
  if (id === 'thin1') {
    return Math.exp(-a2 / (5000 * 5000)) - Math.exp(-a2 / (3000 * 3000));
  }
  return Math.exp(-Math.sqrt(0.25 + a2 / (2530 * 2530))) - Math.exp(-Math.sqrt(0.25 + a2 / (1320 * 1320)));
}

/**
 * Thick disc, R03 Table 3: exp(-(R-R☉)/hR) × [1 - z²/(hz·xl·(2 + xl/hz))] for |z| ≤ xl, else
 * exp(xl/hz)/(1 + xl/(2hz)) × exp(-|z|/hz); hR = 2500 pc, hz = 800 pc, xl = 400 pc.
 */
function thickShape(rPc: number, zPc: number): number {
  const hR = 2500;
  const hz = 800;
  const xl = 400;
  const radial = Math.exp(-(rPc - SUN_R_PC) / hR);
  const az = Math.abs(zPc);
  if (az <= xl) return radial * (1 - (az * az) / (hz * xl * (2 + xl / hz)));
  return (radial * Math.exp(xl / hz) * Math.exp(-az / hz)) / (1 + xl / (2 * hz));
}

/** Halo, R03 Table 3: (a/R☉)^-2.44 with a² = R² + z²/ε², ε = 0.76, flattened to a constant inside ac = 500 pc. */
function haloShape(rPc: number, zPc: number): number {
  const eps = 0.76;
  const a = Math.max(500, Math.sqrt(rPc * rPc + (zPc * zPc) / (eps * eps)));
  return (a / SUN_R_PC) ** -2.44;
}

/** Bulge orientation and scales, R03 Table 5 (their fit): α = 78.9°, x0 = 1.59 kpc, y0 = z0 = 0.424 kpc,
 * cut-off radius 2.54 kpc. The small tilt angles β, γ of Table 5 are neglected. */
const BULGE = { alphaDeg: 78.9, x0: 1590, y0: 424, z0: 424, rc: 2540 };
/** M☉ pc^-3 per unit shape, fixed so the bulge holds 2.0e10 M☉ (Valenti et al. 2016). */
const BULGE_MASS = 2.0e10;

function bulgeShape(xPc: number, yPc: number, zPc: number): number {
  const alpha = (BULGE.alphaDeg * Math.PI) / 180;
  // Bar frame: rotate the Galactocentric (X towards the Sun) frame by the bar angle.
  const xb = -xPc * Math.cos(alpha) + yPc * Math.sin(alpha);
  const yb = -xPc * Math.sin(alpha) - yPc * Math.cos(alpha);
  const rxy = (xb / BULGE.x0) ** 2 + (yb / BULGE.y0) ** 2;
  const rs2 = Math.sqrt(rxy * rxy + (zPc / BULGE.z0) ** 4);
  const rCyl = Math.hypot(xPc, yPc);
  let shape = Math.exp(-0.5 * rs2);
  if (rCyl > BULGE.rc) shape *= Math.exp(-((rCyl - BULGE.rc) ** 2) / (0.5 * 0.5 * 1e6));
  return shape;
}

let bulgeNorm = 0;
function bulgeNormalisation(): number {
  if (bulgeNorm > 0) return bulgeNorm;
  // ∫ shape dV on a grid out to 5 kpc (the law is negligible beyond), midpoint rule, 100 pc cells
  // (a quarter of the smallest scale length; 50 pc cells change the integral by < 0.1%).
  const step = 100;
  let total = 0;
  for (let x = -5000 + step / 2; x < 5000; x += step) {
    for (let y = -5000 + step / 2; y < 5000; y += step) {
      for (let z = -2500 + step / 2; z < 2500; z += step) total += bulgeShape(x, y, z);
    }
  }
  bulgeNorm = BULGE_MASS / (total * step * step * step);
  return bulgeNorm;
}

const shapeAtSun = new Map<ComponentId, number>();

function shape(id: ComponentId, g: { rPc: number; zPc: number; xPc: number; yPc: number }): number {
  if (id === 'thick') return thickShape(g.rPc, g.zPc);
  if (id === 'halo') return haloShape(g.rPc, g.zPc);
  if (id === 'bulge') return bulgeShape(g.xPc, g.yPc, g.zPc);
  return thinShape(id, g.rPc, g.zPc);
}

/**
 * Stellar mass density (M☉ pc^-3) of a component at a Galactocentric position; disc and halo laws are
 * scaled so that they equal R03's local density at (R☉, z = 0) (the d0 of R03 Table 3).
 */
export function massDensity(
  law: ComponentLaw,
  g: { rPc: number; zPc: number; xPc: number; yPc: number },
): number {
  if (law.id === 'bulge') return bulgeNormalisation() * bulgeShape(g.xPc, g.yPc, g.zPc);
  let atSun = shapeAtSun.get(law.id);
  if (atSun === undefined) {
    atSun = shape(law.id, { rPc: SUN_R_PC, zPc: 0, xPc: SUN_R_PC, yPc: 0 });
    shapeAtSun.set(law.id, atSun);
  }
  return (law.localDensity * shape(law.id, g)) / atSun;
}

/** The local densities at the Sun's own height z☉ (for the thin/thick/halo fraction check). */
export function densityNearSun(law: ComponentLaw): number {
  return massDensity(law, { rPc: SUN_R_PC, zPc: SUN_Z_PC, xPc: SUN_R_PC, yPc: 0 });
}
