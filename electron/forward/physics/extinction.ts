// Dust extinction curves A(lambda)/A(V) with R(V) as a parameter: Gordon et al. 2023 (G23, ApJ 950, 86)
// and Fitzpatrick 1999 (F99, PASP 111, 63). Written out here because the engine needs them on typed arrays
// without Python; the coefficients are the papers' and the piecewise construction (overlap smoothsteps,
// F99's natural cubic spline through the optical/IR anchor points) follows the reference implementation
// `dust_extinction` 1.7 (Gordon 2024, JOSS 9, 7023), which the parity tests compare against (<= 0.1 %).
// Wavelengths are in Angstrom throughout; x = 1/lambda[um] internally.

export type ExtinctionLaw = 'G23' | 'F99';

export interface LawInfo {
  /** validity in Angstrom */
  readonly waveRange: readonly [number, number];
  readonly rvRange: readonly [number, number];
}

export const LAWS: Readonly<Record<ExtinctionLaw, LawInfo>> = {
  // G23: 0.0912-32 um, R(V) 2.3-5.6 (Gordon et al. 2023, Sect. 5)
  G23: { waveRange: [912, 320000], rvRange: [2.3, 5.6] },
  // F99: x = 0.3-10 um^-1, R(V) 2.0-6.0
  F99: { waveRange: [1000, 1e5 / 3], rvRange: [2.0, 6.0] },
};

/** dust_extinction's smoothstep with N = 1: 3u^2 - 2u^3 on u = clip((x - a)/(b - a)). */
function smoothstep(x: number, a: number, b: number): number {
  const u = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return u * u * (3 - 2 * u);
}

/** astropy Drude1D: amp (fwhm/x0)^2 / ((x/x0 - x0/x)^2 + (fwhm/x0)^2) */
function drude(x: number, amp: number, x0: number, fwhm: number): number {
  const f = fwhm / x0;
  const d = x / x0 - x0 / x;
  return (amp * f * f) / (d * d + f * f);
}

/** Modified Drude with variable asymmetry (Gordon et al. 2021, ApJ 916, 33, eq. 3). */
function modifiedDrude(w: number, scale: number, w0: number, gamma0: number, asym: number): number {
  const gamma = (2 * gamma0) / (1 + Math.exp(asym * (w - w0)));
  const g = gamma / w0;
  const d = w / w0 - w0 / w;
  return (scale * g * g) / (d * d + g * g);
}

/** Fitzpatrick & Massa 1990 UV shape, E(x-V)/E(B-V). */
function fm90(x: number, c1: number, c2: number, c3: number, c4: number, x0: number, gamma: number): number {
  const x2 = x * x;
  let e = c1 + c2 * x + (c3 * x2) / ((x2 - x0 * x0) ** 2 + x2 * gamma * gamma);
  if (x >= 5.9) {
    const y = x - 5.9;
    e += c4 * (0.5392 * y * y + 0.05644 * y * y * y);
  }
  return e;
}

// ---- G23 coefficients (Gordon et al. 2023, Table 3) ----
// NIR/MIR intercept: scale, alpha1, alpha2, break wave, break width, two silicate modified Drudes
const G23_IR_A = [
  0.38526, 1.68467, 0.78791, 4.30578, 4.78338, 0.06652, 9.8434, 2.21205, -0.24703, 0.0267, 19.58294, 17.0,
  -0.27,
] as const;
// NIR/MIR slope: power law amplitude, x0, alpha in x
const G23_IR_B = [-1.01251, 1.0, -1.06099] as const;
// optical: 4th-order polynomial in x + three Drude intermediate-scale structures (amp, x0, fwhm)
const G23_OPT_A = [
  -0.35848, 0.7122, 0.08746, -0.05403, 0.00674, 0.03893, 2.288, 0.243, 0.02965, 2.054, 0.179, 0.01747, 1.587,
  0.243,
] as const;
const G23_OPT_B = [
  0.12354, -2.68335, 2.01901, -0.39299, 0.03355, 0.18453, 2.288, 0.243, 0.19728, 2.054, 0.179, 0.1713, 1.587,
  0.243,
] as const;
// UV: FM90 C1, C2, C3, C4, x0, gamma
const G23_UV_A = [0.81297, 0.2775, 1.06295, 0.11303, 4.6, 0.99] as const;
const G23_UV_B = [-2.97868, 1.89808, 3.10334, 0.65484, 4.6, 0.99] as const;
/** dust_extinction's default renormalisation (F19 ground photometry vs STIS offset, ~1.5 %). */
export const G23_NORM = 0.9854;

function g23IrA(x: number): number {
  const w = 1 / x;
  const p = G23_IR_A;
  const pow1 = p[0] * w ** -p[1];
  const ratio = p[3] ** -p[1] / p[3] ** -p[2];
  const pow2 = p[0] * ratio * w ** -p[2];
  const s = smoothstep(w, p[3] - p[4] / 2, p[3] + p[4] / 2);
  return (
    pow1 * (1 - s) +
    pow2 * s +
    modifiedDrude(w, p[5], p[6], p[7], p[8]) +
    modifiedDrude(w, p[9], p[10], p[11], p[12])
  );
}

function g23IrB(x: number): number {
  return G23_IR_B[0] * (x / G23_IR_B[1]) ** -G23_IR_B[2];
}

function g23Opt(x: number, c: readonly number[]): number {
  const poly =
    (c[0] as number) +
    x * ((c[1] as number) + x * ((c[2] as number) + x * ((c[3] as number) + x * (c[4] as number))));
  return (
    poly +
    drude(x, c[5] as number, c[6] as number, c[7] as number) +
    drude(x, c[8] as number, c[9] as number, c[10] as number) +
    drude(x, c[11] as number, c[12] as number, c[13] as number)
  );
}

function g23Uv(x: number, c: readonly number[]): number {
  return fm90(
    x,
    c[0] as number,
    c[1] as number,
    c[2] as number,
    c[3] as number,
    c[4] as number,
    c[5] as number,
  );
}

function g23Single(x: number, rv: number, norm: number): number {
  let a: number;
  let b: number;
  if (x < 1 / 1.1) {
    a = g23IrA(x);
    b = g23IrB(x);
  } else if (x <= 1 / 0.9) {
    // optical/IR overlap 0.9-1.1 um
    const s = smoothstep(1 / x, 0.9, 1.1);
    a = (1 - s) * g23Opt(x, G23_OPT_A) + s * g23IrA(x);
    b = (1 - s) * g23Opt(x, G23_OPT_B) + s * g23IrB(x);
  } else if (x < 1 / 0.33) {
    a = g23Opt(x, G23_OPT_A);
    b = g23Opt(x, G23_OPT_B);
  } else if (x <= 1 / 0.3) {
    // UV/optical overlap 0.30-0.33 um
    const s = smoothstep(1 / x, 0.3, 0.33);
    a = (1 - s) * g23Uv(x, G23_UV_A) + s * g23Opt(x, G23_OPT_A);
    b = (1 - s) * g23Uv(x, G23_UV_B) + s * g23Opt(x, G23_OPT_B);
  } else {
    a = g23Uv(x, G23_UV_A);
    b = g23Uv(x, G23_UV_B);
  }
  return (a + b * (1 / rv - 1 / 3.1)) / norm;
}

/** Natural cubic spline through (xs, ys), evaluated at x (xs increasing). */
function naturalSpline(xs: readonly number[], ys: readonly number[]): (x: number) => number {
  const n = xs.length;
  const m = new Float64Array(n);
  const u = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const hPrev = (xs[i] as number) - (xs[i - 1] as number);
    const hNext = (xs[i + 1] as number) - (xs[i] as number);
    const sig = hPrev / (hPrev + hNext);
    const p = sig * (m[i - 1] as number) + 2;
    m[i] = (sig - 1) / p;
    const d =
      ((ys[i + 1] as number) - (ys[i] as number)) / hNext -
      ((ys[i] as number) - (ys[i - 1] as number)) / hPrev;
    u[i] = ((6 * d) / (hPrev + hNext) - sig * (u[i - 1] as number)) / p;
  }
  m[n - 1] = 0;
  for (let i = n - 2; i >= 0; i--) m[i] = (m[i] as number) * (m[i + 1] as number) + (u[i] as number);
  return (x: number) => {
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((xs[mid] as number) > x) hi = mid;
      else lo = mid;
    }
    const h = (xs[hi] as number) - (xs[lo] as number);
    const a = ((xs[hi] as number) - x) / h;
    const b = (x - (xs[lo] as number)) / h;
    return (
      a * (ys[lo] as number) +
      b * (ys[hi] as number) +
      (((a * a * a - a) * (m[lo] as number) + (b * b * b - b) * (m[hi] as number)) * h * h) / 6
    );
  };
}

function f99Curve(rv: number): (x: number) => number {
  // Fitzpatrick 1999, Table 3 / Sect. 3: FM90 UV with C2 = -0.824 + 4.717/R, C1 = 2.030 - 3.007 C2,
  // C3 = 3.23, C4 = 0.41, x0 = 4.596, gamma = 0.99; optical/IR spline anchors at 26500 ... 4110 A.
  const c2 = -0.824 + 4.717 / rv;
  const c1 = 2.03 - 3.007 * c2;
  const uv = (x: number): number => fm90(x, c1, c2, 3.23, 0.41, 4.596, 0.99) / rv + 1;
  const anchorX = [
    0,
    1e4 / 26500,
    1e4 / 12200,
    1e4 / 6000,
    1e4 / 5470,
    1e4 / 4670,
    1e4 / 4110,
    1e4 / 2700,
    1e4 / 2600,
  ];
  const anchorY = [
    0,
    (0.265 * rv) / 3.1 / rv,
    (0.829 * rv) / 3.1 / rv,
    (-0.426 + 1.0044 * rv) / rv,
    (-0.05 + 1.0016 * rv) / rv,
    (0.701 + 1.0016 * rv) / rv,
    (1.208 + 1.0032 * rv - 0.00033 * rv * rv) / rv,
    uv(1e4 / 2700),
    uv(1e4 / 2600),
  ];
  const spline = naturalSpline(anchorX, anchorY);
  return (x: number) => (x >= 1e4 / 2700 ? uv(x) : spline(x));
}

function checkRange(law: ExtinctionLaw, waveAA: ArrayLike<number>, rv: number): void {
  const info = LAWS[law];
  if (!(rv >= info.rvRange[0] && rv <= info.rvRange[1])) {
    throw new Error(`extinction ${law}: R(V) = ${rv} is outside ${info.rvRange[0]}-${info.rvRange[1]}`);
  }
  for (let i = 0; i < waveAA.length; i++) {
    const w = waveAA[i] as number;
    if (!(w >= info.waveRange[0] * (1 - 1e-6) && w <= info.waveRange[1] * (1 + 1e-6))) {
      throw new Error(
        `extinction ${law}: wavelength ${w} A is outside ${info.waveRange[0]}-${info.waveRange[1]} A`,
      );
    }
  }
}

/** A(lambda)/A(V) at each wavelength (Angstrom). Throws outside the law's validity. */
export function extinctionCurve(
  law: ExtinctionLaw,
  waveAA: ArrayLike<number>,
  rv: number,
  g23Norm = G23_NORM,
): Float64Array {
  checkRange(law, waveAA, rv);
  const out = new Float64Array(waveAA.length);
  if (law === 'G23') {
    for (let i = 0; i < out.length; i++) out[i] = g23Single(1e4 / (waveAA[i] as number), rv, g23Norm);
  } else {
    const f = f99Curve(rv);
    for (let i = 0; i < out.length; i++) out[i] = f(1e4 / (waveAA[i] as number));
  }
  return out;
}

/**
 * A(lambda)/A(V) for SEDs that reach the mid-IR (WISE W3/W4, up to 30 um). G23 is valid to 32 um as is.
 * F99's validity stops at 3.33 um, but its optical/IR natural spline is anchored at A = 0 for x = 0
 * (infinite wavelength, F99 Sect. 3), so longer wavelengths lie inside the spline, not beyond it: they
 * are evaluated there (an interpolation toward zero, documented as outside the paper's fitted range).
 */
export function extinctionForSed(law: ExtinctionLaw, waveAA: ArrayLike<number>, rv: number): Float64Array {
  const info = LAWS[law];
  const inRange: number[] = [];
  for (let i = 0; i < waveAA.length; i++) {
    const w = waveAA[i] as number;
    if (w < info.waveRange[0])
      throw new Error(`extinction ${law}: wavelength ${w} A is below ${info.waveRange[0]} A`);
    if (w <= info.waveRange[1]) inRange.push(w);
  }
  checkRange(law, inRange, rv);
  if (law === 'G23') return extinctionCurve(law, waveAA, rv);
  const f = f99Curve(rv);
  const out = new Float64Array(waveAA.length);
  for (let i = 0; i < out.length; i++) out[i] = f(1e4 / (waveAA[i] as number));
  return out;
}

/**
 * A(lambda)/A(V) on a fixed wavelength grid for many R_V values: curves precomputed at R_V nodes and
 * blended linearly in 1/R_V. Exact for G23 (linear in 1/R_V by construction, Gordon et al. 2023 eq. 9);
 * for F99 the blend differs from the direct curve by < 0.5 % between the nodes used (2.3-5.6 in ~0.3 steps).
 */
export class ExtinctionOnGrid {
  private readonly inv: Float64Array;
  private readonly curves: Float64Array[];
  readonly length: number;

  constructor(law: ExtinctionLaw, waveAA: ArrayLike<number>) {
    const rvs = [5.6, 5.0, 4.5, 4.0, 3.6, 3.3, 3.1, 2.9, 2.7, 2.5, 2.3];
    this.inv = Float64Array.from(rvs.map((r) => 1 / r));
    this.curves = rvs.map((r) => extinctionForSed(law, waveAA, r));
    this.length = waveAA.length;
  }

  /** the curve at R_V into out; throws outside 2.3-5.6 */
  curveInto(rv: number, out: Float64Array): void {
    const x = 1 / rv;
    const inv = this.inv;
    const n = inv.length;
    if (!(x >= (inv[0] as number) - 1e-12 && x <= (inv[n - 1] as number) + 1e-12)) {
      throw new Error(`extinction: R(V) = ${rv} is outside 2.3-5.6`);
    }
    let i = 0;
    while (i < n - 2 && (inv[i + 1] as number) < x) i++;
    const t = Math.min(
      1,
      Math.max(0, (x - (inv[i] as number)) / ((inv[i + 1] as number) - (inv[i] as number))),
    );
    const a = this.curves[i] as Float64Array;
    const b = this.curves[i + 1] as Float64Array;
    for (let k = 0; k < this.length; k++)
      out[k] = (a[k] as number) + t * ((b[k] as number) - (a[k] as number));
  }
}
