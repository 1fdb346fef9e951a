// Evaluation of a clamped B-spline from knots and coefficients (de Boor's algorithm), the form in which
// the Gaia DPAC publishes its photometric-uncertainty model (scipy.interpolate.BSpline(t, c, k)
// semantics, extrapolate=False: outside [t_k, t_n] the value is NaN). Small and exact, so no library.

export class BSpline {
  private readonly n: number;

  constructor(
    readonly knots: Float64Array,
    readonly coeffs: Float64Array,
    readonly degree: number,
  ) {
    this.n = knots.length - degree - 1;
    if (this.n < degree + 1 || coeffs.length < this.n) {
      throw new Error(
        `B-spline: ${knots.length} knots and ${coeffs.length} coefficients do not make a degree-${degree} spline`,
      );
    }
  }

  get domain(): readonly [number, number] {
    return [this.knots[this.degree] as number, this.knots[this.n] as number];
  }

  evaluate(x: number): number {
    const t = this.knots;
    const k = this.degree;
    const [lo, hi] = this.domain;
    if (!(x >= lo && x <= hi)) return Number.NaN;
    // Interval index: t[i] <= x < t[i+1], with the right end folded into the last interval.
    let i = k;
    while (i < this.n - 1 && x >= (t[i + 1] as number)) i++;
    const d: number[] = [];
    for (let j = 0; j <= k; j++) d.push(this.coeffs[i - k + j] as number);
    for (let r = 1; r <= k; r++) {
      for (let j = k; j >= r; j--) {
        const left = t[i - k + j] as number;
        const right = t[i + 1 + j - r] as number;
        const alpha = right === left ? 0 : (x - left) / (right - left);
        d[j] = (1 - alpha) * (d[j - 1] as number) + alpha * (d[j] as number);
      }
    }
    return d[k] as number;
  }
}
