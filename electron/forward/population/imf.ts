// Initial mass functions as multi-part power laws ξ(m) ∝ m^-α, continuous at the breaks. The default is
// Kroupa (2001, MNRAS 322, 231, eq. 2): α = 0.3 (0.01–0.08 M☉), 1.3 (0.08–0.5 M☉), 2.3 (> 0.5 M☉), used
// for clusters and the broad age prior; the Galactic components carry their own (components.ts).
// Sampling is exact inversion of the piecewise power-law CDF on any [lo, hi] sub-range, so a field
// sampler can draw only the masses that can be seen at a given distance and keep the count right with
// `fractionAbove`.

export interface PowerLawSegment {
  lo: number;
  hi: number;
  alpha: number;
}

/** Kroupa (2001) eq. 2, without the brown-dwarf segment by default (stars start at 0.08 M☉). */
export const KROUPA_2001: readonly PowerLawSegment[] = [
  { lo: 0.01, hi: 0.08, alpha: 0.3 },
  { lo: 0.08, hi: 0.5, alpha: 1.3 },
  { lo: 0.5, hi: 150, alpha: 2.3 },
];

export const STELLAR_MASS_MIN = 0.08;
export const STELLAR_MASS_MAX = 120;

/** ∫ m^(-α+p) dm from a to b. */
function powerIntegral(a: number, b: number, alpha: number, p: number): number {
  const e = 1 - alpha + p;
  if (Math.abs(e) < 1e-12) return Math.log(b / a);
  return (b ** e - a ** e) / e;
}

interface Segment extends PowerLawSegment {
  coeff: number;
}

export class Imf {
  private readonly segments: Segment[];
  /** Cumulative unnormalised count below each segment's start (and at the last one's end). */
  private readonly below: number[];

  constructor(segments: readonly PowerLawSegment[] = KROUPA_2001) {
    let coeff = 1;
    this.segments = [];
    segments.forEach((segment, i) => {
      if (i > 0) {
        const prev = this.segments[i - 1] as Segment;
        // continuity at the break: prev.coeff m^-prev.alpha = coeff m^-alpha
        coeff = prev.coeff * segment.lo ** (segment.alpha - prev.alpha);
      }
      this.segments.push({ ...segment, coeff });
    });
    this.below = [0];
    for (const seg of this.segments) {
      this.below.push(
        (this.below[this.below.length - 1] as number) +
          seg.coeff * powerIntegral(seg.lo, seg.hi, seg.alpha, 0),
      );
    }
  }

  /** ∫_a^b m^p ξ(m) dm (unnormalised): p = 0 counts stars, p = 1 their mass. */
  moment(a: number, b: number, p: number): number {
    let total = 0;
    for (const s of this.segments) {
      const lo = Math.max(a, s.lo);
      const hi = Math.min(b, s.hi);
      if (hi > lo) total += s.coeff * powerIntegral(lo, hi, s.alpha, p);
    }
    return total;
  }

  /** Fraction of the stars in [lo, hi] that lie in [a, hi]. */
  fractionAbove(a: number, lo: number, hi: number): number {
    const all = this.moment(lo, hi, 0);
    return all > 0 ? this.moment(Math.max(a, lo), hi, 0) / all : 0;
  }

  /** Mean mass (M☉) of stars drawn in [lo, hi]. */
  meanMass(lo: number, hi: number): number {
    return this.moment(lo, hi, 1) / this.moment(lo, hi, 0);
  }

  /** Stars from the lowest segment's start up to m (unnormalised cumulative count). */
  private cumulative(m: number): number {
    let total = 0;
    for (let k = 0; k < this.segments.length; k++) {
      const s = this.segments[k] as Segment;
      if (m <= s.lo) break;
      total +=
        m >= s.hi
          ? (this.below[k + 1] as number) - (this.below[k] as number)
          : s.coeff * powerIntegral(s.lo, m, s.alpha, 0);
      if (m < s.hi) break;
    }
    return total;
  }

  /** Inverse CDF on [lo, hi]: u ∈ [0, 1) → mass. */
  quantile(u: number, lo: number, hi: number): number {
    const c0 = this.cumulative(lo);
    return this.atCumulative(c0 + u * (this.cumulative(hi) - c0), lo, hi);
  }

  /** The unnormalised cumulative count at m (for callers that draw many masses on the same range and
   * pass `atCumulative` a target between two of these). */
  cumulativeAt(m: number): number {
    return this.cumulative(m);
  }

  /** The mass at which the unnormalised cumulative count reaches `target`, kept within [lo, hi]. */
  atCumulative(target: number, lo: number, hi: number): number {
    let k = 0;
    while (k < this.segments.length - 1 && (this.below[k + 1] as number) < target) k++;
    const s = this.segments[k] as Segment;
    const need = (target - (this.below[k] as number)) / s.coeff;
    const e = 1 - s.alpha;
    const m = Math.abs(e) < 1e-12 ? s.lo * Math.exp(need) : (s.lo ** e + e * need) ** (1 / e);
    return Math.min(hi, Math.max(lo, m));
  }
}
