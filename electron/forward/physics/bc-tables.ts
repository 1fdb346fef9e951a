// Bolometric-correction tables: BC per band over (Teff, log g, [M/H], A_V, R_V), computed once per
// (library, extinction law) from the atmosphere grid by direct synthetic photometry, then interpolated
// multilinearly, so photometry of millions of stars costs table look-ups instead of integrals.
//
// Definition (IAU 2015 Resolution B2): M_bol = -2.5 log10(L / L0), L0 = 3.0128e35 erg/s (so M_bol,sun =
// 4.74), BC_b = M_bol - M_b, and the apparent Vega magnitude is m_b = M_bol - BC_b + 5 log10(d / 10 pc).
// With the surface flux F normalised to sigma Teff^4, BC_b = 2.5 log10( <F 10^(-0.4 A_V a(l))>_b / (sigma
// Teff^4) * L0 / (4 pi (10 pc)^2) / <F_Vega>_b ), independent of L and R.
//
// Table axes: Teff at the library's own nodes (so a node needs no SED interpolation), log g 0-5.5 in 0.5,
// [M/H] at the CK04 values, A_V 0-10 in steps of 1 then 12-20 in steps of 2, and R_V at 2.3, 2.6, 3.1, 3.6,
// 4.2, 5.0, 5.6 interpolated in 1/R_V (G23 is linear in 1/R_V). The band index is innermost, so one look-up
// reads ten contiguous values per corner. Storage is Float32 (~40 MB per table; built in ~1-2 s).
//
// Cool block (Teff < 3500 K, BT-Settl only): there the library's 100 K / 0.5 dex node spacing is too coarse
// for linear interpolation of BC - molecular bands make BP change by ~0.4 mag per 100 K, and the direct
// path's log-linear SED blend is far from linear in BC (up to 40 mmag in BP mid-cell). A second block,
// stored after the main one in the same `values`, samples Teff every <= 20 K (each library interval cut in
// equal parts, so every library node stays a table node) and log g every 0.1 over 4.0-5.5 (BT-Settl has no
// log g < 4 there: lower gravities are the 4.0 model, as in the library). [M/H] is not followed below
// 3500 K (atmospheres.ts), so that block has no [M/H] axis. Interpolation error drops as h^2, to <= 5 mmag.
import { BANDS, loadPassbands, loadVega, type Band } from './bands.ts';
import { type ExtinctionLaw, extinctionForSed } from './extinction.ts';
import { loadLibrary, type LibraryName, type SedLibrary } from './atmospheres.ts';
import { applyWeights, bandFlux, integrationWeights, type BandWeights } from './synthetic-photometry.ts';

export const L0_ERG_S = 3.0128e35; // IAU 2015 B2 zero point of absolute bolometric magnitude
export const MBOL_SUN = 4.74;
const PC_CM = 3.085677581491367e18;
const LOGG_AXIS = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5];
const MH_AXIS = [-2.5, -2, -1.5, -1, -0.5, 0, 0.2, 0.5];
const AV_AXIS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20];
const RV_AXIS = [2.3, 2.6, 3.1, 3.6, 4.2, 5.0, 5.6];
/** the cool block (module header) */
const COOL_MAX = 3500;
const COOL_TEFF_STEP = 20;
const COOL_LOGG = Array.from({ length: 16 }, (_, i) => (40 + i) / 10);
/** ten bands, unrolled in the look-up */
const NB = 10;
if (BANDS.length !== NB) throw new Error('bc-tables: the look-up is unrolled for ten bands');

export const PHOT_OUTSIDE = 1;

/** A table as plain data (structured-cloneable; `values` is SharedArrayBuffer-backed when built here). */
export interface BcTableParts {
  readonly library: LibraryName;
  readonly law: ExtinctionLaw;
  readonly teff: Float64Array;
  readonly values: Float32Array;
}

/** Stars in, by column. `logL` in log10 Lsun; distance in pc. */
export interface PhotometryBatch {
  readonly teff: Float64Array;
  readonly logg: Float64Array;
  readonly mh: Float64Array;
  readonly logL: Float64Array;
  readonly av: Float64Array;
  readonly rv: Float64Array;
  readonly distancePc: Float64Array;
}

export interface PhotometryResult {
  /** Vega magnitudes per band, one Float32Array per band */
  readonly mags: Record<Band, Float32Array>;
  /** PHOT_OUTSIDE where a parameter is outside the table (magnitudes NaN) */
  readonly flags: Uint8Array;
}

/** Extinction-weighted synthetic photometry of one SED on the library grid, for the table and references. */
export class DirectPhotometry {
  readonly library: SedLibrary;
  readonly law: ExtinctionLaw;
  readonly weights: BandWeights[];
  /** <F_Vega>_b */
  readonly vegaFlux: Float64Array;
  /** 2.5 log10(L0 / (4 pi (10 pc)^2)) - 2.5 log10 <F_Vega>_b : the band's BC constant */
  readonly bcConst: Float64Array;

  constructor(library: LibraryName, law: ExtinctionLaw) {
    this.library = loadLibrary(library);
    this.law = law;
    const bands = loadPassbands();
    const vega = loadVega();
    this.weights = bands.map((b) => integrationWeights(this.library.wavelength, b));
    this.vegaFlux = Float64Array.from(bands.map((b) => bandFlux(vega, b)));
    const d10 = 10 * PC_CM;
    this.bcConst = this.vegaFlux.map(
      (v) => 2.5 * Math.log10(L0_ERG_S / (4 * Math.PI * d10 * d10)) - 2.5 * Math.log10(v),
    );
  }

  /** A(lambda)/A(V) on the library grid */
  curve(rv: number): Float64Array {
    return extinctionForSed(this.law, this.library.wavelength, rv);
  }

  /** BC per band for one star, by interpolating its SED and integrating (the reference path). */
  bc(teff: number, logg: number, mh: number, av: number, rv: number, out: Float64Array): number {
    const lib = this.library;
    const f = new Float64Array(lib.wavelength.length);
    const flags = lib.logNormalised(teff, logg, mh, f);
    const a = this.curve(rv);
    for (let k = 0; k < f.length; k++) f[k] = 10 ** ((f[k] as number) - 0.4 * av * (a[k] as number));
    for (let b = 0; b < NB; b++)
      out[b] =
        2.5 * Math.log10(applyWeights(this.weights[b] as BandWeights, f)) + (this.bcConst[b] as number);
    return flags;
  }
}

export class BcTable {
  readonly library: LibraryName;
  readonly law: ExtinctionLaw;
  readonly teff: Float64Array;
  readonly logg = Float64Array.from(LOGG_AXIS);
  readonly mh = Float64Array.from(MH_AXIS);
  readonly av = Float64Array.from(AV_AXIS);
  /** 1/R_V nodes, increasing */
  readonly invRv: Float64Array;
  /** [teff][logg][mh][invRv][av][band], then the cool block [teffCool][loggCool][invRv][av][band] */
  readonly values: Float32Array;
  readonly teffCool: Float64Array;
  readonly loggCool = Float64Array.from(COOL_LOGG);
  /** where the cool block starts in `values` */
  private readonly coolOffset: number;
  private readonly index: {
    teff: AxisIndex;
    logg: AxisIndex;
    mh: AxisIndex;
    invRv: AxisIndex;
    av: AxisIndex;
    teffCool: AxisIndex;
    loggCool: AxisIndex;
  };

  /**
   * Builds the table, or, given `values` from another table of the same (library, law) - typically its
   * SharedArrayBuffer-backed `values` posted to a worker thread - wraps them without rebuilding.
   */
  constructor(library: LibraryName, law: ExtinctionLaw, values?: Float32Array, teffNodes?: Float64Array) {
    this.library = library;
    this.law = law;
    this.teff = teffNodes ?? loadLibrary(library).teffNodes();
    this.invRv = Float64Array.from(RV_AXIS.map((r) => 1 / r)).sort();
    const nt = this.teff.length;
    const ng = this.logg.length;
    const nm = this.mh.length;
    const nr = this.invRv.length;
    const na = this.av.length;
    this.teffCool = subdivide(
      this.teff.filter((t) => t <= COOL_MAX),
      COOL_TEFF_STEP,
    );
    const ntc = this.teffCool.length;
    const ngc = this.loggCool.length;
    this.coolOffset = nt * ng * nm * nr * na * NB;
    const size = this.coolOffset + ntc * ngc * nr * na * NB;
    this.index = {
      teff: new AxisIndex(this.teff),
      logg: new AxisIndex(this.logg),
      mh: new AxisIndex(this.mh),
      invRv: new AxisIndex(this.invRv),
      av: new AxisIndex(this.av),
      teffCool: new AxisIndex(this.teffCool),
      loggCool: new AxisIndex(this.loggCool),
    };
    if (values) {
      if (values.length !== size) {
        throw new Error(`BC table ${library}/${law}: given ${values.length} values, the axes need ${size}`);
      }
      this.values = values;
      return;
    }
    // shared memory, so worker threads can use the same table without a copy
    this.values = new Float32Array(new SharedArrayBuffer(size * Float32Array.BYTES_PER_ELEMENT));
    const lib = loadLibrary(library);
    const direct = new DirectPhotometry(library, law);
    const nw = lib.wavelength.length;
    // transmission 10^(-0.4 A_V a) per (R_V, A_V) on the grid
    const trans = new Float64Array(nr * na * nw);
    for (let r = 0; r < nr; r++) {
      const a = direct.curve(1 / (this.invRv[r] as number));
      for (let v = 0; v < na; v++) {
        const av = this.av[v] as number;
        for (let k = 0; k < nw; k++) trans[(r * na + v) * nw + k] = 10 ** (-0.4 * av * (a[k] as number));
      }
    }
    const logF = new Float64Array(nw);
    const f = new Float64Array(nw);
    /** BC of the SED at (teff, logg, mh) for every (R_V, A_V) node, from values[base] on */
    const fill = (teff: number, logg: number, mh: number, base: number): void => {
      lib.logNormalised(teff, logg, mh, logF);
      for (let k = 0; k < nw; k++) f[k] = 10 ** (logF[k] as number);
      for (let rv = 0; rv < nr * na; rv++) {
        const toff = rv * nw;
        const out = base + rv * NB;
        for (let b = 0; b < NB; b++) {
          const w = direct.weights[b] as BandWeights;
          const ws = w.weights;
          let s = 0;
          for (let i = 0; i < ws.length; i++)
            s += (ws[i] as number) * (f[w.start + i] as number) * (trans[toff + w.start + i] as number);
          this.values[out + b] = 2.5 * Math.log10(s / w.norm) + (direct.bcConst[b] as number);
        }
      }
    };
    for (let t = 0; t < nt; t++)
      for (let g = 0; g < ng; g++)
        for (let m = 0; m < nm; m++)
          fill(
            this.teff[t] as number,
            this.logg[g] as number,
            this.mh[m] as number,
            ((t * ng + g) * nm + m) * nr * na * NB,
          );
    for (let t = 0; t < ntc; t++)
      for (let g = 0; g < ngc; g++)
        fill(
          this.teffCool[t] as number,
          this.loggCool[g] as number,
          0,
          this.coolOffset + (t * ngc + g) * nr * na * NB,
        );
  }

  /** What a worker thread needs to wrap this table without rebuilding it (values stay in shared memory). */
  parts(): BcTableParts {
    return { library: this.library, law: this.law, teff: this.teff, values: this.values };
  }

  static fromParts(parts: BcTableParts): BcTable {
    return new BcTable(parts.library, parts.law, parts.values, parts.teff);
  }

  /**
   * Vega magnitudes for a batch of stars: the hot path. Per star, 16 corners in (Teff, log g, [M/H], 1/R_V)
   * times 3 A_V nodes, ten bands each; no allocation per star.
   */
  photometry(batch: PhotometryBatch): PhotometryResult {
    const n = batch.teff.length;
    const mags = {} as Record<Band, Float32Array>;
    for (const b of BANDS) mags[b] = new Float32Array(n);
    const out = { mags, flags: new Uint8Array(n) };
    this.photometryInto(batch, out, 0, n);
    return out;
  }

  /** As photometry(), for stars start..end-1 of the batch, into caller-owned outputs (worker threads). */
  photometryInto(batch: PhotometryBatch, out: PhotometryResult, start: number, end: number): void {
    const cols: Float32Array[] = BANDS.map((b) => out.mags[b]);
    const flags = out.flags;
    const bc = new Float64Array(NB);
    // Visit stars grouped by table cell (a counting sort): the table is ~40 MB and random look-ups miss the
    // cache on every corner; grouped, neighbouring stars reuse the same few kilobytes.
    const order = this.cellOrder(batch, start, end);
    for (let o = 0; o < order.length; o++) {
      const s = order[o] as number;
      const ok = this.lookup(
        batch.teff[s] as number,
        batch.logg[s] as number,
        batch.mh[s] as number,
        batch.av[s] as number,
        batch.rv[s] as number,
        bc,
      );
      const dm =
        MBOL_SUN - 2.5 * (batch.logL[s] as number) + 5 * Math.log10((batch.distancePc[s] as number) / 10);
      flags[s] = !ok || !Number.isFinite(dm) ? PHOT_OUTSIDE : 0;
      for (let b = 0; b < NB; b++) (cols[b] as Float32Array)[s] = ok ? dm - (bc[b] as number) : Number.NaN;
    }
  }

  /** indices start..end-1 ordered by the table cell in (Teff, log g, [M/H]) (counting sort; out-of-range first) */
  private cellOrder(batch: PhotometryBatch, start: number, end: number): Uint32Array {
    const tn = this.teff;
    const nt = tn.length;
    const g = this.logg;
    const ng = g.length;
    const m = this.mh;
    const nm = m.length;
    const n = end - start;
    const cell = new Int32Array(n);
    const count = new Uint32Array(nt * ng * nm + 1);
    for (let i = 0; i < n; i++) {
      const s = start + i;
      const t = batch.teff[s] as number;
      let c = 0;
      if (t >= (tn[0] as number) && t <= (tn[nt - 1] as number)) {
        const gc = Math.min(Math.max(batch.logg[s] as number, g[0] as number), g[ng - 1] as number);
        const mc = Math.min(Math.max(batch.mh[s] as number, m[0] as number), m[nm - 1] as number);
        c = (this.index.teff.cell(t) * ng + this.index.logg.cell(gc)) * nm + this.index.mh.cell(mc) + 1;
      }
      cell[i] = c;
      count[c] = (count[c] as number) + 1;
    }
    let acc = 0;
    for (let c = 0; c < count.length; c++) {
      const k = count[c] as number;
      count[c] = acc;
      acc += k;
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const c = cell[i] as number;
      order[count[c] as number] = start + i;
      count[c] = (count[c] as number) + 1;
    }
    return order;
  }

  /** BC per band into out; false (and NaN) outside the table. log g and [M/H] are clamped to the table. */
  lookup(teff: number, logg: number, mh: number, av: number, rv: number, out: Float64Array): boolean {
    const tn = this.teff;
    const nt = tn.length;
    if (!(
      teff >= (tn[0] as number) &&
      teff <= (tn[nt - 1] as number) &&
      av >= 0 &&
      av <= 20 &&
      rv >= 2.3 &&
      rv <= 5.6
    )) {
      out.fill(Number.NaN);
      return false;
    }
    if (teff < COOL_MAX) return this.lookupCool(teff, logg, av, rv, out);
    const ix = this.index;
    const it = ix.teff.cell(teff);
    const ft = (teff - (tn[it] as number)) / ((tn[it + 1] as number) - (tn[it] as number));
    const g = this.logg;
    const gc = Math.min(Math.max(logg, g[0] as number), g[g.length - 1] as number);
    const ig = ix.logg.cell(gc);
    const fg = (gc - (g[ig] as number)) / ((g[ig + 1] as number) - (g[ig] as number));
    const m = this.mh;
    const mc = Math.min(Math.max(mh, m[0] as number), m[m.length - 1] as number);
    const im = ix.mh.cell(mc);
    const fm = (mc - (m[im] as number)) / ((m[im + 1] as number) - (m[im] as number));
    const r = this.invRv;
    const x = 1 / rv;
    const ir = ix.invRv.cell(x);
    const fr = (x - (r[ir] as number)) / ((r[ir + 1] as number) - (r[ir] as number));
    // A_V: quadratic (3-point Lagrange) through the nearest three nodes; band-integrated extinction is
    // curved in A_V (the spread of A(lambda)/A(V) across a broad band), linear would cost ~5 mmag in BP
    const a = this.av;
    const na = a.length;
    const ia = ix.av.cell(av);
    const nearLower = av - (a[ia] as number) < 0.5 * ((a[ia + 1] as number) - (a[ia] as number));
    const i0 = Math.min(Math.max(0, ia - (nearLower ? 1 : 0)), na - 3);
    const x0 = a[i0] as number;
    const x1 = a[i0 + 1] as number;
    const x2 = a[i0 + 2] as number;
    const l0 = ((av - x1) * (av - x2)) / ((x0 - x1) * (x0 - x2));
    const l1 = ((av - x0) * (av - x2)) / ((x1 - x0) * (x1 - x2));
    const l2 = ((av - x0) * (av - x1)) / ((x2 - x0) * (x2 - x1));
    const sR = na * NB;
    const sM = this.invRv.length * sR;
    const sG = this.mh.length * sM;
    const sT = this.logg.length * sG;
    const v = this.values;
    let b0 = 0,
      b1 = 0,
      b2 = 0,
      b3 = 0,
      b4 = 0,
      b5 = 0,
      b6 = 0,
      b7 = 0,
      b8 = 0,
      b9 = 0;
    for (let c = 0; c < 16; c++) {
      const dt = c & 1;
      const dg = (c >> 1) & 1;
      const dmh = (c >> 2) & 1;
      const dr = (c >> 3) & 1;
      const w4 = (dt ? ft : 1 - ft) * (dg ? fg : 1 - fg) * (dmh ? fm : 1 - fm) * (dr ? fr : 1 - fr);
      if (w4 === 0) continue;
      let off = (it + dt) * sT + (ig + dg) * sG + (im + dmh) * sM + (ir + dr) * sR + i0 * NB;
      for (let q = 0; q < 3; q++, off += NB) {
        const w = w4 * (q === 0 ? l0 : q === 1 ? l1 : l2);
        b0 += w * (v[off] as number);
        b1 += w * (v[off + 1] as number);
        b2 += w * (v[off + 2] as number);
        b3 += w * (v[off + 3] as number);
        b4 += w * (v[off + 4] as number);
        b5 += w * (v[off + 5] as number);
        b6 += w * (v[off + 6] as number);
        b7 += w * (v[off + 7] as number);
        b8 += w * (v[off + 8] as number);
        b9 += w * (v[off + 9] as number);
      }
    }
    out[0] = b0;
    out[1] = b1;
    out[2] = b2;
    out[3] = b3;
    out[4] = b4;
    out[5] = b5;
    out[6] = b6;
    out[7] = b7;
    out[8] = b8;
    out[9] = b9;
    return true;
  }

  /** lookup() in the cool block: (Teff, log g, 1/R_V) bilinear corners times the quadratic in A_V */
  private lookupCool(teff: number, logg: number, av: number, rv: number, out: Float64Array): boolean {
    const ix = this.index;
    const tn = this.teffCool;
    const it = ix.teffCool.cell(teff);
    const ft = (teff - (tn[it] as number)) / ((tn[it + 1] as number) - (tn[it] as number));
    const g = this.loggCool;
    const gc = Math.min(Math.max(logg, g[0] as number), g[g.length - 1] as number);
    const ig = ix.loggCool.cell(gc);
    const fg = (gc - (g[ig] as number)) / ((g[ig + 1] as number) - (g[ig] as number));
    const r = this.invRv;
    const x = 1 / rv;
    const ir = ix.invRv.cell(x);
    const fr = (x - (r[ir] as number)) / ((r[ir + 1] as number) - (r[ir] as number));
    const [i0, l0, l1, l2] = this.avWeights(av);
    const sR = this.av.length * NB;
    const sG = this.invRv.length * sR;
    const sT = g.length * sG;
    const v = this.values;
    out.fill(0);
    for (let c = 0; c < 8; c++) {
      const dt = c & 1;
      const dg = (c >> 1) & 1;
      const dr = (c >> 2) & 1;
      const w3 = (dt ? ft : 1 - ft) * (dg ? fg : 1 - fg) * (dr ? fr : 1 - fr);
      if (w3 === 0) continue;
      let off = this.coolOffset + (it + dt) * sT + (ig + dg) * sG + (ir + dr) * sR + i0 * NB;
      for (let q = 0; q < 3; q++, off += NB) {
        const w = w3 * (q === 0 ? l0 : q === 1 ? l1 : l2);
        for (let b = 0; b < NB; b++) out[b] = (out[b] as number) + w * (v[off + b] as number);
      }
    }
    return true;
  }

  /** first node and 3-point Lagrange weights of the quadratic in A_V through the nearest three nodes */
  private avWeights(av: number): [number, number, number, number] {
    const a = this.av;
    const na = a.length;
    const ia = this.index.av.cell(av);
    const nearLower = av - (a[ia] as number) < 0.5 * ((a[ia + 1] as number) - (a[ia] as number));
    const i0 = Math.min(Math.max(0, ia - (nearLower ? 1 : 0)), na - 3);
    const x0 = a[i0] as number;
    const x1 = a[i0 + 1] as number;
    const x2 = a[i0 + 2] as number;
    return [
      i0,
      ((av - x1) * (av - x2)) / ((x0 - x1) * (x0 - x2)),
      ((av - x0) * (av - x2)) / ((x1 - x0) * (x1 - x2)),
      ((av - x0) * (av - x1)) / ((x2 - x0) * (x2 - x1)),
    ];
  }
}

/** the axis with each interval cut into equal parts no wider than `step` (the nodes themselves kept) */
function subdivide(nodes: Float64Array, step: number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i] as number;
    const b = nodes[i + 1] as number;
    const parts = Math.ceil((b - a) / step - 1e-9);
    for (let k = 0; k < parts; k++) out.push(a + ((b - a) * k) / parts);
  }
  out.push(nodes[nodes.length - 1] as number);
  return Float64Array.from(out);
}

/**
 * O(1) cell finder for a sorted, non-uniform axis: a look-up table over the axis range with bins finer
 * than its smallest spacing, so one read and at most one comparison give the cell (no branchy binary
 * search in the per-star loop).
 */
class AxisIndex {
  private readonly axis: Float64Array;
  private readonly lut: Int32Array;
  private readonly x0: number;
  private readonly scale: number;

  constructor(axis: Float64Array) {
    this.axis = axis;
    let minStep = Number.POSITIVE_INFINITY;
    for (let i = 1; i < axis.length; i++)
      minStep = Math.min(minStep, (axis[i] as number) - (axis[i - 1] as number));
    this.x0 = axis[0] as number;
    const span = (axis[axis.length - 1] as number) - this.x0;
    const bins = Math.ceil((2 * span) / minStep) + 1;
    this.scale = bins / span;
    this.lut = new Int32Array(bins + 1);
    for (let k = 0; k <= bins; k++) this.lut[k] = findCell(axis, this.x0 + k / this.scale);
  }

  /** lower index of the cell holding x (x inside the axis) */
  cell(x: number): number {
    const a = this.axis;
    let c = this.lut[Math.floor((x - this.x0) * this.scale)] as number;
    if (c < a.length - 2 && x >= (a[c + 1] as number)) c++;
    return c;
  }
}

/** lower index of the cell of a sorted axis holding x (x inside [axis0, axisN]) */
function findCell(axis: Float64Array, x: number): number {
  let lo = 0;
  let hi = axis.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((axis[mid] as number) > x) hi = mid;
    else lo = mid;
  }
  return lo;
}

const tables = new Map<string, BcTable>();

/** The table for (library, law), built on first use and kept for the process. */
export function bcTable(library: LibraryName, law: ExtinctionLaw = 'G23'): BcTable {
  const key = `${library}/${law}`;
  let t = tables.get(key);
  if (!t) {
    t = new BcTable(library, law);
    tables.set(key, t);
  }
  return t;
}

/** log10 L/Lsun from radius (Rsun) and Teff (K): Stefan-Boltzmann with IAU 2015 nominal values. */
export function logLFromRadius(radius: number, teff: number): number {
  return 2 * Math.log10(radius) + 4 * Math.log10(teff / 5772);
}
