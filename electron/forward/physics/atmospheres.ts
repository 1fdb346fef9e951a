// Model-atmosphere SEDs: surface F_lambda for (Teff, log g, [M/H]) from the reduced Castelli-Kurucz 2004 and
// BT-Settl CIFIST grids in assets/grids (both on one wavelength grid, 0.3-30 um; see assets/make/atmospheres.py).
//
// Interpolation is trilinear in (Teff, log g, [M/H]) of log10(F_lambda / sigma Teff^4), then scaled back by
// sigma Teff^4, so the bolometric normalisation follows the requested Teff exactly between nodes.
// Missing nodes (Kurucz hot low-gravity corners; BT-Settl log g < 4 below 4100 K) are filled from the
// nearest gravity with a model at the same Teff and [M/H]; `filled` says which, so tests and callers can
// tell a model from a fill.
//
// How the two libraries join (a choice, documented here and in the manifest notes):
// * `kurucz`: CK04 at Teff >= 3750 K with its 8 [M/H]. CK04 has no models below 3500 K, so below 3500 K
//   the SED is BT-Settl, and across 3500-3750 K the two are blended linearly in Teff in log flux, so
//   colours stay continuous.
// * `btsettl`: BT-Settl at Teff <= 6750 K; hotter stars take CK04 (blended over 6750-7000 K).
// * BT-Settl is solar only here. Its [M/H] dependence is borrowed from CK04 as the differential
//   log F(CK04, [M/H]) - log F(CK04, 0) at the same (Teff, log g), faded in linearly over 3500-3750 K;
//   below 3500 K [M/H] is not followed (flag MH_IGNORED, also set while the fade is partial). The fade
//   keeps the SED continuous in Teff at any [M/H].
import { defaultGridDir, loadGrid } from './grid-file.ts';

export const LIBRARIES = ['kurucz', 'btsettl'] as const;
export type LibraryName = (typeof LIBRARIES)[number];

export const SED_OUTSIDE = 1;
export const SED_FILLED = 2;
export const SED_MH_IGNORED = 4;
export const SED_LOGG_CLAMPED = 8;

const SIGMA_SB = 5.670374419e-5; // erg s-1 cm-2 K-4 (CODATA 2018)
const LOG_SIGMA = Math.log10(SIGMA_SB);

/** One stored library: log10(F / sigma T^4) on [mh][teff][logg][wave], gaps filled. */
export class AtmosphereGrid {
  readonly name: string;
  readonly wavelength: Float64Array;
  readonly binEdges: Float64Array;
  readonly mh: Float64Array;
  readonly teff: Float64Array;
  readonly logg: Float64Array;
  /** log10(F_lambda / (sigma Teff^4)), per Angstrom */
  readonly logNorm: Float32Array;
  /** 1 where the node was filled from another gravity */
  readonly filled: Uint8Array;

  constructor(gridName: string, dir: string) {
    const g = loadGrid(gridName, dir);
    this.name = gridName;
    this.wavelength = g.float64('wavelength');
    this.binEdges = g.float64('bin_edges');
    this.mh = g.axis('mh');
    this.teff = g.axis('teff');
    this.logg = g.axis('logg');
    const nw = this.wavelength.length;
    const nm = this.mh.length;
    const nt = this.teff.length;
    const ng = this.logg.length;
    const raw = g.float64('log_flux');
    if (raw.length !== nm * nt * ng * nw) {
      throw new Error(`${gridName}: log_flux has ${raw.length} values, expected ${nm}x${nt}x${ng}x${nw}`);
    }
    const mask = g.float64('mask');
    this.logNorm = new Float32Array(raw.length);
    this.filled = new Uint8Array(nm * nt * ng);
    for (let i = 0; i < nm; i++) {
      for (let j = 0; j < nt; j++) {
        const base = (i * nt + j) * ng;
        const have: number[] = [];
        for (let k = 0; k < ng; k++) if ((mask[base + k] as number) > 0) have.push(k);
        if (have.length === 0)
          throw new Error(`${gridName}: no model at [M/H]=${this.mh[i]}, Teff=${this.teff[j]}`);
        const shift = LOG_SIGMA + 4 * Math.log10(this.teff[j] as number);
        for (let k = 0; k < ng; k++) {
          let src = k;
          if (!((mask[base + k] as number) > 0)) {
            src = have.reduce(
              (best, h) => (Math.abs(h - k) < Math.abs(best - k) ? h : best),
              have[0] as number,
            );
            this.filled[base + k] = 1;
          }
          const from = (base + src) * nw;
          const to = (base + k) * nw;
          for (let w = 0; w < nw; w++) this.logNorm[to + w] = (raw[from + w] as number) - shift;
        }
      }
    }
  }

  /**
   * Adds weight * log10(F/sigma T^4) at (teff, logg, mh) into acc; returns flags. Teff must be inside the
   * grid (caller's job); log g and [M/H] are clamped to the grid edges with a flag.
   */
  accumulate(
    teff: number,
    logg: number,
    mh: number,
    weight: number,
    acc: Float64Array,
    k0 = 0,
    k1 = acc.length,
  ): number {
    let flags = 0;
    const [jt, tt] = locate(this.teff, teff);
    const gl = clamp(logg, this.logg);
    if (gl !== logg) flags |= SED_LOGG_CLAMPED;
    const [jg, tg] = locate(this.logg, gl);
    const ml = clamp(mh, this.mh);
    if (ml !== mh && this.mh.length > 1) flags |= SED_OUTSIDE;
    const [jm, tm] = this.mh.length > 1 ? locate(this.mh, ml) : [0, 0];
    const nw = this.wavelength.length;
    const nt = this.teff.length;
    const ng = this.logg.length;
    for (let a = 0; a < 2; a++) {
      const wm = a === 0 ? 1 - tm : tm;
      if (wm === 0) continue;
      for (let b = 0; b < 2; b++) {
        const wt = b === 0 ? 1 - tt : tt;
        if (wt === 0) continue;
        for (let c = 0; c < 2; c++) {
          const wg = c === 0 ? 1 - tg : tg;
          if (wg === 0) continue;
          const node = ((jm + a) * nt + jt + b) * ng + jg + c;
          if (this.filled[node]) flags |= SED_FILLED;
          const w = weight * wm * wt * wg;
          const off = node * nw;
          for (let k = k0; k < k1; k++) acc[k] = (acc[k] as number) + w * (this.logNorm[off + k] as number);
        }
      }
    }
    return flags;
  }
}

function clamp(x: number, axis: Float64Array): number {
  return Math.min(axis[axis.length - 1] as number, Math.max(axis[0] as number, x));
}

/** index of the lower node and the fraction toward the next (x clamped inside the axis) */
export function locate(axis: Float64Array, x: number): [number, number] {
  const n = axis.length;
  if (n === 1) return [0, 0];
  if (x <= (axis[0] as number)) return [0, 0];
  if (x >= (axis[n - 1] as number)) return [n - 2, 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((axis[mid] as number) > x) hi = mid;
    else lo = mid;
  }
  return [lo, (x - (axis[lo] as number)) / ((axis[hi] as number) - (axis[lo] as number))];
}

const grids = new Map<string, AtmosphereGrid>();

export function loadAtmosphereGrid(
  which: 'atmos-kurucz' | 'atmos-btsettl',
  dir = defaultGridDir(),
): AtmosphereGrid {
  const key = `${dir}\0${which}`;
  let g = grids.get(key);
  if (!g) {
    g = new AtmosphereGrid(which, dir);
    grids.set(key, g);
  }
  return g;
}

// join points (K), see the module header
const KURUCZ_JOIN: readonly [number, number] = [3500, 3750];
const BTSETTL_JOIN: readonly [number, number] = [6750, 7000];
const MH_FADE: readonly [number, number] = [3500, 3750];

/** A library as the app uses it: one grid, or two joined (module header). */
export class SedLibrary {
  readonly name: LibraryName;
  readonly wavelength: Float64Array;
  readonly teffRange: readonly [number, number];
  private readonly kurucz: AtmosphereGrid;
  private readonly btsettl: AtmosphereGrid;

  constructor(name: LibraryName, dir = defaultGridDir()) {
    this.name = name;
    this.kurucz = loadAtmosphereGrid('atmos-kurucz', dir);
    this.btsettl = loadAtmosphereGrid('atmos-btsettl', dir);
    if (this.kurucz.wavelength.length !== this.btsettl.wavelength.length) {
      throw new Error(
        'atmos-kurucz and atmos-btsettl are on different wavelength grids; rebuild with python -m assets.make',
      );
    }
    this.wavelength = this.kurucz.wavelength;
    this.teffRange = [
      this.btsettl.teff[0] as number,
      this.kurucz.teff[this.kurucz.teff.length - 1] as number,
    ];
  }

  /**
   * Teff nodes for tables: the models of the grid in use at each Teff, plus a node every 50 K below 3500 K
   * (where Wien-side bands change fastest) and across the join and [M/H]-fade zones (blended SEDs).
   */
  teffNodes(): Float64Array {
    const bt = Array.from(this.btsettl.teff);
    const ck = Array.from(this.kurucz.teff);
    const nodes =
      this.name === 'kurucz'
        ? [...bt.filter((t) => t < KURUCZ_JOIN[0]), ...ck]
        : [...bt.filter((t) => t <= BTSETTL_JOIN[1]), ...ck.filter((t) => t > BTSETTL_JOIN[1])];
    for (const [lo, hi] of [KURUCZ_JOIN, BTSETTL_JOIN, MH_FADE])
      for (let t = lo; t <= hi; t += 50) nodes.push(t);
    return Float64Array.from(new Set(nodes)).sort();
  }

  /** log10(F_lambda / sigma Teff^4) at the surface into out (length = wavelength); returns flags. */
  logNormalised(teff: number, logg: number, mh: number, out: Float64Array, k0 = 0, k1 = out.length): number {
    out.fill(0, k0, k1);
    if (!(teff >= this.teffRange[0] && teff <= this.teffRange[1])) {
      out.fill(Number.NaN);
      return SED_OUTSIDE;
    }
    const [lo, hi] = this.name === 'kurucz' ? KURUCZ_JOIN : BTSETTL_JOIN;
    // weight of CK04 in the blend
    const wk = smooth(teff, lo, hi);
    let flags = 0;
    if (wk > 0) flags |= this.kurucz.accumulate(teff, logg, mh, wk, out, k0, k1);
    if (wk < 1) {
      flags |= this.btsettl.accumulate(teff, logg, 0, 1 - wk, out, k0, k1);
      if (mh !== 0) {
        // borrow the [M/H] dependence from CK04, faded in over 3500-3750 K (module header)
        const wm = (1 - wk) * smooth(teff, MH_FADE[0], MH_FADE[1]);
        if (wm > 0) {
          flags |= this.kurucz.accumulate(teff, logg, mh, wm, out, k0, k1);
          flags |= this.kurucz.accumulate(teff, logg, 0, -wm, out, k0, k1);
        }
        if (teff < MH_FADE[1]) flags |= SED_MH_IGNORED;
      }
    }
    return flags;
  }

  /** Surface F_lambda (erg s-1 cm-2 A-1) into out; returns flags. */
  surfaceFlux(teff: number, logg: number, mh: number, out: Float64Array): number {
    const flags = this.logNormalised(teff, logg, mh, out);
    const shift = LOG_SIGMA + 4 * Math.log10(teff);
    for (let k = 0; k < out.length; k++) out[k] = 10 ** ((out[k] as number) + shift);
    return flags;
  }

  /** A fresh array with the surface flux, for one-off use. */
  surfaceSpectrum(teff: number, logg: number, mh: number): { flux: Float64Array; flags: number } {
    const flux = new Float64Array(this.wavelength.length);
    const flags = this.surfaceFlux(teff, logg, mh, flux);
    return { flux, flags };
  }
}

/** linear ramp 0 at lo to 1 at hi */
function smooth(x: number, lo: number, hi: number): number {
  return Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
}

const libraries = new Map<string, SedLibrary>();

export function isLibraryName(name: string): name is LibraryName {
  return (LIBRARIES as readonly string[]).includes(name);
}

export function loadLibrary(name: LibraryName, dir = defaultGridDir()): SedLibrary {
  const key = `${dir}\0${name}`;
  let lib = libraries.get(key);
  if (!lib) {
    lib = new SedLibrary(name, dir);
    libraries.set(key, lib);
  }
  return lib;
}
