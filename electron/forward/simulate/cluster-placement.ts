// Where a training cluster of the prior (config `clusterPrior`) sits when the region is a cone. Over the
// whole sky chunk.ts draws the prior directly: distance volume-uniform on [d0, d1], height above the
// plane z exponential with the prior's scale height h (|z| < 0.999 d), longitude uniform. In a cone the
// clusters follow the same density restricted to the cone, which placed over the whole sky would put
// nearly all of them outside it (a 2° cone holds 0.03% of the sky).
//
// That density over distance d and direction Ω (s = sin b, dΩ = ds dl):
//   p(d) = 3d² / (d1³ − d0³),  p(z | d) = exp(−|z|/h) / (2h (1 − exp(−0.999 d/h))),  z = d s, dz = d ds
//   ⇒ p(d, Ω) ∝ g(d, |s|) = d³ exp(−d |s| / h) / (1 − exp(−0.999 d/h)),  |s| < 0.999.
// Directions are drawn uniformly over the cone and kept with probability W(|s|) / W(s_min), where
// W(|s|) = ∫ g(d, |s|) dd on a grid of distances and s_min is the cone's lowest |sin b| (W falls with |s|);
// a kept direction's distance is then drawn from g(·, |s|) on that grid, uniformly within its cell.
import { ConeFrame } from '../population/cone-frame.ts';
import type { Random } from './random.ts';

const DEG = Math.PI / 180;
/** Distance cells of the tabulated g(d, |s|). */
const CELLS = 256;
/** The prior's cap on |z| / d. */
const MAX_SIN_B = 0.999;
/** Tries before a configuration whose cone holds almost none of the prior is given up. */
const MAX_TRIES = 1_000_000;

export interface Cone {
  lDeg: number;
  bDeg: number;
  radiusDeg: number;
}

export interface Placement {
  lDeg: number;
  bDeg: number;
  distancePc: number;
}

export class ConePlacement {
  private readonly centres: Float64Array;
  private readonly width: number;
  private readonly cosRadius: number;
  /** log W(s_min), the largest W over the cone. */
  private readonly logWMax: number;
  private readonly frame: ConeFrame;
  private readonly weights = new Float64Array(CELLS);

  constructor(
    private readonly cone: Cone,
    minDistancePc: number,
    maxDistancePc: number,
    private readonly scaleHeightPc: number,
  ) {
    this.width = (maxDistancePc - minDistancePc) / CELLS;
    this.centres = Float64Array.from({ length: CELLS }, (_, k) => minDistancePc + (k + 0.5) * this.width);
    this.cosRadius = Math.cos(Math.min(180, cone.radiusDeg) * DEG);
    const lowest = Math.max(0, Math.abs(cone.bDeg) - cone.radiusDeg);
    this.logWMax = this.logW(Math.sin(lowest * DEG));
    this.frame = new ConeFrame(cone.lDeg, cone.bDeg);
  }

  draw(rng: Random): Placement {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const { lDeg, bDeg } = this.direction(rng);
      const s = Math.abs(Math.sin(bDeg * DEG));
      if (s >= MAX_SIN_B) continue;
      const logW = this.logW(s);
      if (rng.uniform() >= Math.exp(logW - this.logWMax)) continue;
      // this.weights holds exp(log g − logW) from logW(s), the cell probabilities of this direction.
      let u = rng.uniform();
      let k = 0;
      while (k < CELLS - 1 && u >= this.weights[k]!) {
        u -= this.weights[k]!;
        k++;
      }
      const distancePc = this.centres[k]! + (rng.uniform() - 0.5) * this.width;
      return { lDeg, bDeg, distancePc };
    }
    const { lDeg, bDeg, radiusDeg } = this.cone;
    throw new Error(
      `clusterPrior: the ${radiusDeg}° cone at (l, b) = (${lDeg}°, ${bDeg}°) holds almost none of the prior's ` +
        `clusters (scale height ${this.scaleHeightPc} pc): widen the cone, move it towards the plane or raise ` +
        'clusterPrior.scaleHeightPc',
    );
  }

  /** log ∫ g(d, s) dd over the grid; leaves the normalised cell probabilities in this.weights. */
  private logW(s: number): number {
    const h = this.scaleHeightPc;
    let max = -Infinity;
    for (let k = 0; k < CELLS; k++) {
      const d = this.centres[k]!;
      const log = 3 * Math.log(d) - (d * s) / h - Math.log(-Math.expm1((-MAX_SIN_B * d) / h));
      this.weights[k] = log;
      if (log > max) max = log;
    }
    let sum = 0;
    for (let k = 0; k < CELLS; k++) {
      this.weights[k] = Math.exp(this.weights[k]! - max);
      sum += this.weights[k]!;
    }
    for (let k = 0; k < CELLS; k++) this.weights[k] = this.weights[k]! / sum;
    return max + Math.log(sum * this.width);
  }

  /** A direction uniform over the cone. */
  private direction(rng: Random): { lDeg: number; bDeg: number } {
    const cosTheta = 1 - rng.uniform() * (1 - this.cosRadius);
    const phi = 2 * Math.PI * rng.uniform();
    const out = { lDeg: 0, bDeg: 0 };
    this.frame.toGalactic(cosTheta, phi, out);
    return out;
  }
}
