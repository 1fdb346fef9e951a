// A_V along a line of sight from a 3D dust model: a smooth exponential disc plus a field of spherical
// clumps (molecular clouds), the same for every chunk of a run (the clumps are drawn from the run seed).
//   smooth disc: dA_V/ds = κ0 exp(-(R - R☉)/hR) exp(-|z|/hz), κ0 = 0.7 mag/kpc (the diffuse part of the
//     1.8 mag/kpc mean in the plane, Whittet 2003, "Dust in the Galactic Environment", Sect. 3.1),
//     hz = 125 pc (Marshall et al. 2006, A&A 453, 635), hR = 3000 pc (Drimmel & Spergel 2001, ApJ 556, 181
//     fit a 2.3–3.3 kpc range);
//   clumps: radii log-uniform 3–15 pc, extinction through the centre log-uniform 0.3–5 mag, exponential
//     vertical profile with 60 pc scale height (molecular gas, Marshall et al. 2006), none inside the Local
//     Bubble (80 pc, Lallement et al. 2019, A&A 625, A135), number density set so they add a mean
//     0.5 mag/kpc in the plane; drawn within `clumpRadiusPc` of the Sun.
// The model is a documented stand-in for a real 3D map; a user-supplied map can replace it behind the
// same `extinction(l, b, d)` call.
import { SUN_R_PC, SUN_Z_PC } from '../population/frame.ts';
import { Random } from '../simulate/random.ts';

export interface DustConfig {
  /** Diffuse A_V per kpc in the plane at the Sun. */
  kappa0MagPerKpc: number;
  scaleHeightPc: number;
  scaleLengthPc: number;
  /** Mean A_V per kpc that clumps add in the plane (0 disables them). */
  clumpMagPerKpc: number;
  clumpRadiusPc: number;
}

export const DEFAULT_DUST: DustConfig = {
  kappa0MagPerKpc: 0.7,
  scaleHeightPc: 125,
  scaleLengthPc: 3000,
  clumpMagPerKpc: 0.5,
  clumpRadiusPc: 3000,
};

const CLUMP_R_MIN = 3;
const CLUMP_R_MAX = 15;
const CLUMP_A_MIN = 0.3;
const CLUMP_A_MAX = 5;
const CLUMP_HZ = 60;
const LOCAL_BUBBLE_PC = 80;
/** Sky cells for the clump lookup: 180 in l × 90 in sin b (equal area, ~2° × 2°). */
const NL = 180;
const NB = 90;
const DEG = Math.PI / 180;
/** Most midpoint segments per line of sight, and the in-plane length each may span (pc). */
const SEGMENTS = 8;
const SEGMENT_PLANE_PC = 250;

interface Clumps {
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  r2: Float64Array;
  /** A_V per pc inside the clump */
  kappa: Float64Array;
  cellStart: Int32Array;
  cellItems: Int32Array;
}

export class DustModel {
  private readonly clumps: Clumps;

  constructor(
    readonly config: DustConfig,
    seed: number,
  ) {
    this.clumps = buildClumps(config, seed);
  }

  get clumpCount(): number {
    return this.clumps.x.length;
  }

  /** A_V (mag) from the Sun to (l, b, d). */
  extinction(lDeg: number, bDeg: number, distancePc: number): number {
    const cb = Math.cos(bDeg * DEG);
    const nx = cb * Math.cos(lDeg * DEG);
    const ny = cb * Math.sin(lDeg * DEG);
    const nz = Math.sin(bDeg * DEG);
    return this.smooth(nx, ny, nz, distancePc) + this.clumpColumn(lDeg, nz, nx, ny, distancePc);
  }

  private smooth(nx: number, ny: number, nz: number, d: number): number {
    const { kappa0MagPerKpc, scaleHeightPc: hz, scaleLengthPc: hR } = this.config;
    if (kappa0MagPerKpc <= 0 || d <= 0) return 0;
    const kappa0 = kappa0MagPerKpc / 1000;
    // The radial factor is taken at each segment's midpoint (the vertical profile is integrated exactly);
    // a segment spans at most SEGMENT_PLANE_PC in the plane (the radial factor changes by < 9% across
    // it, hR = 3 kpc) and there are at most SEGMENTS: within 0.5% of a fine numerical integral (tested).
    const segments = Math.min(SEGMENTS, Math.max(1, Math.ceil((d * Math.hypot(nx, ny)) / SEGMENT_PLANE_PC)));
    const step = d / segments;
    let total = 0;
    for (let k = 0; k < segments; k++) {
      const s0 = k * step;
      const sMid = s0 + step / 2;
      const x = SUN_R_PC - sMid * nx;
      const y = sMid * ny;
      const radial = Math.exp(-(Math.hypot(x, y) - SUN_R_PC) / hR);
      total += kappa0 * radial * verticalIntegral(SUN_Z_PC + s0 * nz, nz, step, hz);
    }
    return total;
  }

  private clumpColumn(lDeg: number, nz: number, nx: number, ny: number, d: number): number {
    const c = this.clumps;
    if (c.x.length === 0) return 0;
    const cell = cellOf(lDeg, nz);
    let total = 0;
    for (let k = c.cellStart[cell] as number; k < (c.cellStart[cell + 1] as number); k++) {
      const i = c.cellItems[k] as number;
      const cx = c.x[i] as number;
      const cy = c.y[i] as number;
      const cz = c.z[i] as number;
      const t = cx * nx + cy * ny + cz * nz;
      const perp2 = cx * cx + cy * cy + cz * cz - t * t;
      const r2 = c.r2[i] as number;
      if (perp2 >= r2) continue;
      const half = Math.sqrt(r2 - perp2);
      const lo = Math.max(0, t - half);
      const hi = Math.min(d, t + half);
      if (hi > lo) total += (hi - lo) * (c.kappa[i] as number);
    }
    return total;
  }
}

/** ∫_0^L exp(-|z0 + s·nz|/hz) ds, exactly. */
function verticalIntegral(z0: number, nz: number, length: number, hz: number): number {
  if (Math.abs(nz) < 1e-9) return length * Math.exp(-Math.abs(z0) / hz);
  const z1 = z0 + length * nz;
  // A primitive of exp(-|z|/hz) on each side of z = 0 (they differ by the constant 2hz there).
  const lo = Math.min(z0, z1);
  const hi = Math.max(z0, z1);
  let integral: number;
  if (lo >= 0 || hi <= 0) integral = primitive(hi, hz) - primitive(lo, hz);
  else integral = primitive(hi, hz) + hz + (hz - primitive(lo, hz));
  return integral / Math.abs(nz);
}

function primitive(z: number, hz: number): number {
  return z >= 0 ? -hz * Math.exp(-z / hz) : hz * Math.exp(z / hz);
}

function cellOf(lDeg: number, sinB: number): number {
  let il = Math.floor((((lDeg % 360) + 360) % 360) / (360 / NL));
  if (il >= NL) il = NL - 1;
  let ib = Math.floor(((sinB + 1) / 2) * NB);
  if (ib >= NB) ib = NB - 1;
  if (ib < 0) ib = 0;
  return ib * NL + il;
}

function buildClumps(config: DustConfig, seed: number): Clumps {
  const empty: Clumps = {
    x: new Float64Array(0),
    y: new Float64Array(0),
    z: new Float64Array(0),
    r2: new Float64Array(0),
    kappa: new Float64Array(0),
    cellStart: new Int32Array(NL * NB + 1),
    cellItems: new Int32Array(0),
  };
  if (config.clumpMagPerKpc <= 0) return empty;
  const rng = Random.stream(seed, 0, 'dust-clumps');
  // Mean A_V per pc added by one clump per pc^3: (2/3)π <r²><A_centre> (uniform sphere, κ = A/(2r)).
  const meanR2 = (CLUMP_R_MAX ** 2 - CLUMP_R_MIN ** 2) / (2 * Math.log(CLUMP_R_MAX / CLUMP_R_MIN));
  const meanA = (CLUMP_A_MAX - CLUMP_A_MIN) / Math.log(CLUMP_A_MAX / CLUMP_A_MIN);
  const perClump = (2 / 3) * Math.PI * meanR2 * meanA;
  const density0 = config.clumpMagPerKpc / 1000 / perClump;
  const radius = config.clumpRadiusPc;
  // Expected count in the cylinder |s| < radius about the Sun, two-sided exponential in z.
  const expected = density0 * Math.PI * radius * radius * 2 * CLUMP_HZ;
  const n = rng.poisson(expected);
  const xs: number[] = [];
  const ys: number[] = [];
  const zs: number[] = [];
  const r2s: number[] = [];
  const kappas: number[] = [];
  for (let i = 0; i < n; i++) {
    const rho = radius * Math.sqrt(rng.uniform());
    const phi = 2 * Math.PI * rng.uniform();
    const zAbs = -CLUMP_HZ * Math.log(rng.uniformOpen());
    const zGal = rng.uniform() < 0.5 ? -zAbs : zAbs;
    // Heliocentric Cartesian (x towards l = 0): z relative to the Sun's height.
    const x = rho * Math.cos(phi);
    const y = rho * Math.sin(phi);
    const z = zGal - SUN_Z_PC;
    const r = CLUMP_R_MIN * (CLUMP_R_MAX / CLUMP_R_MIN) ** rng.uniform();
    const a = CLUMP_A_MIN * (CLUMP_A_MAX / CLUMP_A_MIN) ** rng.uniform();
    if (Math.hypot(x, y, z) - r < LOCAL_BUBBLE_PC) continue;
    xs.push(x);
    ys.push(y);
    zs.push(z);
    r2s.push(r * r);
    kappas.push(a / (2 * r));
  }
  // Bucket every clump into each sky cell its angular disc may touch.
  const lists: number[][] = Array.from({ length: NL * NB }, () => []);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    const z = zs[i] as number;
    const dist = Math.hypot(x, y, z);
    const ang = Math.asin(Math.min(1, Math.sqrt(r2s[i] as number) / dist)) / DEG + 2.9;
    const lC = (((Math.atan2(y, x) / DEG) % 360) + 360) % 360;
    const bC = Math.asin(z / dist) / DEG;
    const bLo = Math.max(-90, bC - ang);
    const bHi = Math.min(90, bC + ang);
    const ibLo = Math.max(0, Math.floor(((Math.sin(bLo * DEG) + 1) / 2) * NB));
    const ibHi = Math.min(NB - 1, Math.floor(((Math.sin(bHi * DEG) + 1) / 2) * NB));
    const cosMin = Math.max(Math.cos(Math.max(Math.abs(bLo), Math.abs(bHi)) * DEG), 1e-6);
    const lHalf = bHi >= 89 || bLo <= -89 ? 180 : Math.min(180, ang / cosMin);
    const cellDeg = 360 / NL;
    const nCells = Math.min(NL, Math.ceil((2 * lHalf) / cellDeg) + 1);
    const ilStart = Math.floor((lC - lHalf + 360) / cellDeg);
    for (let ib = ibLo; ib <= ibHi; ib++) {
      for (let k = 0; k < nCells; k++) {
        const il = (((ilStart + k) % NL) + NL) % NL;
        (lists[ib * NL + il] as number[]).push(i);
      }
    }
  }
  const cellStart = new Int32Array(NL * NB + 1);
  let total = 0;
  for (let c = 0; c < NL * NB; c++) {
    cellStart[c] = total;
    total += (lists[c] as number[]).length;
  }
  cellStart[NL * NB] = total;
  const cellItems = new Int32Array(total);
  let k = 0;
  for (const list of lists) for (const i of list) cellItems[k++] = i;
  return {
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    z: Float64Array.from(zs),
    r2: Float64Array.from(r2s),
    kappa: Float64Array.from(kappas),
    cellStart,
    cellItems,
  };
}

/** R_V scatter about its mean: σ = 0.18 (Schlafly et al. 2016, ApJ 821, 78), kept to 2.5–5.5. */
export const RV_SIGMA = 0.18;

export function drawRv(rng: Random, meanRv: number, sigma = RV_SIGMA): number {
  const value = meanRv + sigma * rng.normal();
  return Math.min(5.5, Math.max(2.5, value));
}
