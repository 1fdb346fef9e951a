// Unresolved binaries: a companion of mass q·m1 whose light adds to the primary's in every band.
// Fraction vs primary mass from Duchêne & Kraus (2013, ARA&A 51, 269, Table 1 / Fig. 1): ≈ 0.22 for
// 0.1–0.5 M☉, 0.46 for 0.7–1.3 M☉ (Raghavan et al. 2010), ≈ 0.6 for 1.5–5 M☉, interpolated linearly in
// log mass; mass ratios uniform in [0.1, 1] (Raghavan et al. 2010 find a flat q distribution). Only
// systems closer than the resolution of Gaia/2MASS are unresolved; the caller scales these fractions
// by the unresolved share (`fraction` in the config, 1 = all).
const POINTS: readonly (readonly [number, number])[] = [
  [0.1, 0.22],
  [0.5, 0.26],
  [1.0, 0.46],
  [3.0, 0.6],
];

export function binaryFraction(massInit: number): number {
  const lm = Math.log10(massInit);
  const first = POINTS[0] as readonly [number, number];
  const last = POINTS[POINTS.length - 1] as readonly [number, number];
  if (lm <= Math.log10(first[0])) return first[1];
  if (lm >= Math.log10(last[0])) return last[1];
  for (let i = 1; i < POINTS.length; i++) {
    const [m1, f1] = POINTS[i] as readonly [number, number];
    const [m0, f0] = POINTS[i - 1] as readonly [number, number];
    if (massInit <= m1) {
      const t = (lm - Math.log10(m0)) / (Math.log10(m1) - Math.log10(m0));
      return f0 + t * (f1 - f0);
    }
  }
  return last[1];
}

export const Q_MIN = 0.1;

const MINUS_0P4_LN10 = -0.4 * Math.LN10;

/** Magnitude of the light of two stars together: -2.5 log10(10^(-0.4 m1) + 10^(-0.4 m2)), computed
 * relative to the brighter star so that neither flux under- or overflows. */
export function combineMagnitudes(m1: number, m2: number): number {
  if (!Number.isFinite(m2)) return m1;
  if (!Number.isFinite(m1)) return m2;
  const bright = Math.min(m1, m2);
  const faint = Math.max(m1, m2);
  return bright + Math.log1p(Math.exp(MINUS_0P4_LN10 * (faint - bright))) / MINUS_0P4_LN10;
}
