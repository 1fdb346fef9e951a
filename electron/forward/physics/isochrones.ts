// Stellar parameters from (initial mass, age, [M/H]) through the isochrone grids in assets/grids:
// PARSEC v1.2S at 7 metallicities (Bressan et al. 2012) and solar pre-main-sequence grids (Baraffe et al.
// 2015, Feiden 2016, MIST v1.2, PARSEC v1.2/v2.0 as ysoisochrone resamples them). The PMS grids are
// regular in (log age, log mass) and stop at the end of the main sequence (assets/make), so bilinear
// interpolation there never crosses a phase jump; evolved stars come from PARSEC.
//
// Interpolation respects track phases by matching equivalent evolutionary points (EEPs) between grid
// nodes instead of reading every node at the same initial mass. Each PARSEC isochrone gets four anchors in
// log initial mass: its lowest mass, the turn-off (hottest row of the upper main sequence), the tip (most
// luminous row after it: RGB tip or, for massive stars, the end) and its end (the last computed phase; a
// death mass once the isochrone is old enough to lose stars). A star's position is expressed as a
// fractional coordinate along the segment it lies in (e.g. 40 % of the way from turn-off to tip, with
// the anchors interpolated to the star's own age and [M/H]); each of the 2-4 bracketing nodes is read at
// the mass with the same coordinate on its own anchors, by linear interpolation in log M_ini between that
// isochrone's rows (sampled densely through the turn-off, RGB and core-He phases); the node values are
// then blended in log age and [M/H]. A main-sequence star is never mixed with a giant at the next node,
// and the post-main-sequence, which spans a tiny range of initial mass, is stretched to the same phases
// at every node. A star beyond the end mass is dead (NaN, flag DEAD); outside the grids' age or [M/H]
// span the result is NaN with flag OUTSIDE (no extrapolation).
import { defaultGridDir, loadGrid } from './grid-file.ts';

export const ISOCHRONE_SETS = [
  'parsec12',
  'baraffe2015',
  'feiden2016',
  'mist_v1p2',
  'parsec_v1p2',
  'parsec_v2p0',
] as const;
export type IsochroneSetName = (typeof ISOCHRONE_SETS)[number];

export const FLAG_OUTSIDE = 1;
export const FLAG_DEAD = 2;
export const FLAG_SOLAR_ONLY = 4;

/** log10 g of the Sun from the IAU 2015 nominal GM_sun = 1.3271244e26 cm3 s-2 and R_sun = 6.957e10 cm. */
const LOGG_SUN = Math.log10(1.3271244e26 / (6.957e10 * 6.957e10));
const TEFF_SUN = 5772; // K, IAU 2015 Resolution B3
/** below turn-off - this (dex in initial mass), stars are matched at fixed mass */
const MS_BLEND_DEX = 0.1;
const PHASES = ['ms', 'turnoff', 'rgb', 'late'] as const;
/** a luminosity drop this large after a maximum marks the RGB tip (He ignition); the SGB dip is ~0.3 dex */
const TIP_DROP_DEX = 0.4;

export interface StarBatchIn {
  /** initial mass, Msun */
  readonly massInit: Float64Array;
  /** log10 age / yr */
  readonly logAge: Float64Array;
  /** [M/H], dex */
  readonly mh: Float64Array;
}

export interface StarBatchOut {
  readonly teff: Float64Array;
  readonly logg: Float64Array;
  readonly logL: Float64Array;
  readonly radius: Float64Array;
  /** current mass, Msun */
  readonly mass: Float64Array;
  readonly flags: Uint8Array;
}

export interface IsochroneSet {
  readonly name: IsochroneSetName;
  readonly mhRange: readonly [number, number];
  readonly logAgeRange: readonly [number, number];
  readonly massRange: readonly [number, number];
  interpolate(batch: StarBatchIn): StarBatchOut;
  /**
   * Leave-one-node-out check along log age: every stored row of every interior age node is predicted from
   * the two neighbouring age nodes (twice the real spacing, so an upper bound on the interpolation error).
   */
  leaveOneAgeOut(): LeaveOneOutStats;
}

export interface ErrorStats {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

export interface LeaveOneOutStats {
  readonly count: number;
  /** the same split by phase where the grid knows phases (PARSEC: main sequence/PMS, turn-off, to the RGB tip, after it) */
  readonly byPhase?: Readonly<Record<string, { count: number; logTeff: ErrorStats; logL: ErrorStats }>>;
  /** |delta log Teff|, dex */
  readonly logTeff: ErrorStats;
  /** |delta log L|, dex */
  readonly logL: ErrorStats;
}

function stats(values: number[]): ErrorStats {
  const v = Float64Array.from(values).sort();
  const at = (q: number): number =>
    v.length ? (v[Math.min(v.length - 1, Math.floor(q * v.length))] as number) : Number.NaN;
  return { median: at(0.5), p95: at(0.95), max: v.length ? (v[v.length - 1] as number) : Number.NaN };
}

function bracket(axis: Float64Array, x: number): [number, number] | null {
  const n = axis.length;
  if (n === 1) return Math.abs(x - (axis[0] as number)) < 1e-9 ? [0, 0] : null;
  if (!(x >= (axis[0] as number) - 1e-9 && x <= (axis[n - 1] as number) + 1e-9)) return null;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((axis[mid] as number) > x) hi = mid;
    else lo = mid;
  }
  const t = Math.min(
    1,
    Math.max(0, (x - (axis[lo] as number)) / ((axis[hi] as number) - (axis[lo] as number))),
  );
  return [lo, t];
}

function allocate(n: number): StarBatchOut {
  return {
    teff: new Float64Array(n),
    logg: new Float64Array(n),
    logL: new Float64Array(n),
    radius: new Float64Array(n),
    mass: new Float64Array(n),
    flags: new Uint8Array(n),
  };
}

function setNaN(out: StarBatchOut, i: number, flag: number): void {
  out.teff[i] = Number.NaN;
  out.logg[i] = Number.NaN;
  out.logL[i] = Number.NaN;
  out.radius[i] = Number.NaN;
  out.mass[i] = Number.NaN;
  out.flags[i] = (out.flags[i] as number) | flag;
}

/** PARSEC v1.2S: one isochrone per (log age, [M/H]) node, rows increasing in initial mass. */
class RaggedIsochrones implements IsochroneSet {
  readonly name: IsochroneSetName;
  readonly mhRange: readonly [number, number];
  readonly logAgeRange: readonly [number, number];
  readonly massRange: readonly [number, number];
  private readonly mh: Float64Array;
  private readonly ages: Float64Array;
  private readonly offsets: Int32Array;
  private readonly logMini: Float64Array;
  /** per row: logTe, logL, logg, mass ratio, log R */
  private readonly cols: Float64Array[];
  /** per node (i * nAge + j): log10 of [lowest, turn-off, tip, end] initial mass */
  private readonly anchors: Float64Array;
  constructor(name: IsochroneSetName, dir: string) {
    const g = loadGrid(`isochrones-${name}`, dir);
    this.name = name;
    this.mh = g.axis('mh');
    this.ages = g.axis('log_age');
    this.offsets = g.int32('offsets');
    const mini = g.float64('mass_init');
    this.logMini = mini.map(Math.log10);
    this.cols = ['log_teff', 'log_lum', 'logg', 'mass_ratio', 'log_radius'].map((n) => g.float64(n));
    this.mhRange = [this.mh[0] as number, this.mh[this.mh.length - 1] as number];
    this.logAgeRange = [this.ages[0] as number, this.ages[this.ages.length - 1] as number];
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (const m of mini) {
      lo = Math.min(lo, m);
      hi = Math.max(hi, m);
    }
    this.massRange = [lo, hi];
    if (this.offsets.length !== this.mh.length * this.ages.length + 1) {
      throw new Error(
        `isochrones-${name}: 'offsets' has ${this.offsets.length} entries, expected ${this.mh.length * this.ages.length + 1}`,
      );
    }
    this.anchors = new Float64Array(4 * this.mh.length * this.ages.length);
    for (let i = 0; i < this.mh.length; i++) {
      const na = this.ages.length;
      let cap = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < na; j++)
        cap = Math.max(cap, this.logMini[(this.offsets[i * na + j + 1] as number) - 1] as number);
      for (let j = 0; j < na; j++) this.findAnchors(i * na + j, cap - 0.02);
    }
  }

  /**
   * Anchors of node k. The turn-off and tip are searched within 0.15 dex below the end mass (where every
   * post-main-sequence phase lies); an isochrone whose end is the grid's mass cap (young ages: nothing has
   * died yet) has no evolved part and its turn-off = tip = end.
   */
  private findAnchors(k: number, evolvedBelow: number): void {
    const a = this.offsets[k] as number;
    const b = (this.offsets[k + 1] as number) - 1;
    const lm = this.logMini;
    const lt = this.cols[0] as Float64Array;
    const ll = this.cols[1] as Float64Array;
    const end = lm[b] as number;
    let to = b;
    let tip = b;
    if (end < evolvedBelow) {
      let first = b;
      while (first > a && (lm[first - 1] as number) > end - 0.15) first--;
      // turn-off: hottest row before the first big luminosity drop (which is the RGB tip -> core-He
      // burning transition; without one, e.g. massive stars, the hottest row of the window)
      let drop = b;
      for (let r = first + 1; r <= b && drop === b; r++) {
        let peak = r;
        for (let u = first; u < r; u++) if ((ll[u] as number) > (ll[peak] as number)) peak = u;
        if ((ll[peak] as number) - (ll[r] as number) > TIP_DROP_DEX && peak > first) {
          drop = r;
          tip = peak;
        }
      }
      to = first;
      for (let r = first; r <= Math.min(tip, drop); r++) if ((lt[r] as number) > (lt[to] as number)) to = r;
      if (tip < to) tip = b;
    }
    const lto = lm[to] as number;
    this.anchors.set([Math.max(lm[a] as number, lto - MS_BLEND_DEX), lto, lm[tip] as number, end], 4 * k);
  }

  /**
   * EEP coordinate of log mass x on anchors q: below q[0] the coordinate is the mass itself (main sequence
   * and PMS, where a star evolves slowly and fixed mass is right), encoded as x - q[0] - 1 (< -1... i.e.
   * negative); 0-1 from q[0] to the turn-off, 1-2 to the tip, 2-3 to the end; NaN past the end.
   */
  private static coordinate(x: number, q: ArrayLike<number>): number {
    if (x > (q[3] as number) + 1e-12) return Number.NaN;
    if (x < (q[0] as number)) return x - (q[0] as number);
    for (let seg = 0; seg < 3; seg++) {
      const lo = q[seg] as number;
      const hi = q[seg + 1] as number;
      if (x <= hi || seg === 2)
        return hi > lo ? seg + Math.min(1, Math.max(0, (x - lo) / (hi - lo))) : seg + 1;
    }
    return Number.NaN;
  }

  /** log mass at EEP coordinate c on node k's anchors, for a star whose own anchors are q */
  private massAt(k: number, c: number, q: ArrayLike<number>): number {
    if (c < 0) return (q[0] as number) + c;
    const seg = Math.min(2, Math.floor(c));
    let lo = this.anchors[4 * k + seg] as number;
    const hi = this.anchors[4 * k + seg + 1] as number;
    // the blend segment starts where fixed mass stops, so the mapping is continuous at q[0]
    if (seg === 0) lo = q[0] as number;
    return lo + (c - seg) * (hi - lo);
  }

  /** Values at log M_ini on node (i, j) into acc with weight w; false if the mass is not on that isochrone. */
  private addNode(i: number, j: number, logM: number, w: number, acc: Float64Array): boolean {
    const k = i * this.ages.length + j;
    const a = this.offsets[k] as number;
    const b = (this.offsets[k + 1] as number) - 1;
    const lm = this.logMini;
    if (logM < (lm[a] as number) - 1e-12 || logM > (lm[b] as number) + 1e-12) return false;
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((lm[mid] as number) > logM) hi = mid;
      else lo = mid;
    }
    const span = (lm[hi] as number) - (lm[lo] as number);
    const t = span > 0 ? Math.min(1, Math.max(0, (logM - (lm[lo] as number)) / span)) : 0;
    for (let c = 0; c < 5; c++) {
      const col = this.cols[c] as Float64Array;
      acc[c] =
        (acc[c] as number) + w * ((col[lo] as number) + t * ((col[hi] as number) - (col[lo] as number)));
    }
    return true;
  }

  leaveOneAgeOut(): LeaveOneOutStats {
    const dT: number[] = [];
    const dL: number[] = [];
    const phT: Record<string, number[]> = {};
    const phL: Record<string, number[]> = {};
    const acc = new Float64Array(5);
    const na = this.ages.length;
    for (let i = 0; i < this.mh.length; i++) {
      for (let j = 1; j + 1 < na; j++) {
        const t =
          ((this.ages[j] as number) - (this.ages[j - 1] as number)) /
          ((this.ages[j + 1] as number) - (this.ages[j - 1] as number));
        const k = i * na + j;
        for (let r = this.offsets[k] as number; r < (this.offsets[k + 1] as number); r++) {
          acc.fill(0);
          // the held-out node's anchors are predicted from its neighbours, like a star between nodes
          const q = new Float64Array(4);
          for (let c = 0; c < 4; c++)
            q[c] =
              (1 - t) * (this.anchors[4 * (k - 1) + c] as number) +
              t * (this.anchors[4 * (k + 1) + c] as number);
          const eep = RaggedIsochrones.coordinate(this.logMini[r] as number, q);
          if (Number.isNaN(eep)) continue;
          if (
            !this.addNode(i, j - 1, this.massAt(k - 1, eep, q), 1 - t, acc) ||
            !this.addNode(i, j + 1, this.massAt(k + 1, eep, q), t, acc)
          )
            continue;
          const et = Math.abs((acc[0] as number) - ((this.cols[0] as Float64Array)[r] as number));
          const el = Math.abs((acc[1] as number) - ((this.cols[1] as Float64Array)[r] as number));
          dT.push(et);
          dL.push(el);
          const phase = PHASES[eep < 0 ? 0 : Math.min(3, 1 + Math.floor(eep))] as string;
          (phT[phase] ??= []).push(et);
          (phL[phase] ??= []).push(el);
        }
      }
    }
    const byPhase: Record<string, { count: number; logTeff: ErrorStats; logL: ErrorStats }> = {};
    for (const ph of PHASES) {
      byPhase[ph] = {
        count: phT[ph]?.length ?? 0,
        logTeff: stats(phT[ph] ?? []),
        logL: stats(phL[ph] ?? []),
      };
    }
    return { count: dT.length, logTeff: stats(dT), logL: stats(dL), byPhase };
  }

  interpolate(batch: StarBatchIn): StarBatchOut {
    const n = batch.massInit.length;
    const out = allocate(n);
    const acc = new Float64Array(5);
    const q = new Float64Array(4);
    const na = this.ages.length;
    for (let s = 0; s < n; s++) {
      const m = batch.massInit[s] as number;
      const bz = bracket(this.mh, batch.mh[s] as number);
      const ba = bracket(this.ages, batch.logAge[s] as number);
      if (!bz || !ba || !(m > 0)) {
        setNaN(out, s, FLAG_OUTSIDE);
        continue;
      }
      const logM = Math.log10(m);
      // anchors at the star's own age and [M/H]
      q.fill(0);
      for (let dz = 0; dz < 2; dz++) {
        const wz = dz === 0 ? 1 - bz[1] : bz[1];
        if (wz === 0) continue;
        for (let da = 0; da < 2; da++) {
          const wa = da === 0 ? 1 - ba[1] : ba[1];
          if (wa === 0) continue;
          const k = (bz[0] + dz) * na + ba[0] + da;
          for (let c = 0; c < 4; c++) q[c] = (q[c] as number) + wz * wa * (this.anchors[4 * k + c] as number);
        }
      }
      const eep = RaggedIsochrones.coordinate(logM, q);
      if (Number.isNaN(eep)) {
        setNaN(out, s, logM > (q[3] as number) ? FLAG_DEAD : FLAG_OUTSIDE);
        continue;
      }
      acc.fill(0);
      let ok = true;
      for (let dz = 0; dz < 2 && ok; dz++) {
        const wz = dz === 0 ? 1 - bz[1] : bz[1];
        if (wz === 0) continue;
        for (let da = 0; da < 2 && ok; da++) {
          const wa = da === 0 ? 1 - ba[1] : ba[1];
          if (wa === 0) continue;
          const k = (bz[0] + dz) * na + ba[0] + da;
          ok = this.addNode(bz[0] + dz, ba[0] + da, this.massAt(k, eep, q), wz * wa, acc);
        }
      }
      if (!ok) {
        setNaN(out, s, m > this.massRange[0] ? FLAG_DEAD : FLAG_OUTSIDE);
        continue;
      }
      out.teff[s] = 10 ** (acc[0] as number);
      out.logL[s] = acc[1] as number;
      out.logg[s] = acc[2] as number;
      out.mass[s] = m * (acc[3] as number);
      out.radius[s] = 10 ** (acc[4] as number);
    }
    return out;
  }
}

/** Regular (log age, log mass) grid of log Teff and log L at solar metallicity (ysoisochrone layout). */
class RegularTracks implements IsochroneSet {
  readonly name: IsochroneSetName;
  readonly mhRange: readonly [number, number] = [0, 0];
  readonly logAgeRange: readonly [number, number];
  readonly massRange: readonly [number, number];
  private readonly ages: Float64Array;
  private readonly logMass: Float64Array;
  private readonly logTe: Float64Array;
  private readonly logL: Float64Array;

  constructor(name: IsochroneSetName, dir: string) {
    const g = loadGrid(`isochrones-${name}`, dir);
    this.name = name;
    this.ages = g.axis('log_age');
    this.logMass = g.axis('log_mass');
    this.logTe = g.float64('log_teff');
    this.logL = g.float64('log_lum');
    this.logAgeRange = [this.ages[0] as number, this.ages[this.ages.length - 1] as number];
    this.massRange = [
      10 ** (this.logMass[0] as number),
      10 ** (this.logMass[this.logMass.length - 1] as number),
    ];
  }

  leaveOneAgeOut(): LeaveOneOutStats {
    const dT: number[] = [];
    const dL: number[] = [];
    const nm = this.logMass.length;
    for (let j = 1; j + 1 < this.ages.length; j++) {
      const t =
        ((this.ages[j] as number) - (this.ages[j - 1] as number)) /
        ((this.ages[j + 1] as number) - (this.ages[j - 1] as number));
      for (let m = 0; m < nm; m++) {
        const k = j * nm + m;
        const pt = (1 - t) * (this.logTe[k - nm] as number) + t * (this.logTe[k + nm] as number);
        const pl = (1 - t) * (this.logL[k - nm] as number) + t * (this.logL[k + nm] as number);
        if (!Number.isFinite(pt) || !Number.isFinite(pl) || !Number.isFinite(this.logTe[k])) continue;
        dT.push(Math.abs(pt - (this.logTe[k] as number)));
        dL.push(Math.abs(pl - (this.logL[k] as number)));
      }
    }
    return { count: dT.length, logTeff: stats(dT), logL: stats(dL) };
  }

  interpolate(batch: StarBatchIn): StarBatchOut {
    const n = batch.massInit.length;
    const out = allocate(n);
    const nm = this.logMass.length;
    for (let s = 0; s < n; s++) {
      const m = batch.massInit[s] as number;
      const ba = bracket(this.ages, batch.logAge[s] as number);
      const bm = m > 0 ? bracket(this.logMass, Math.log10(m)) : null;
      if (!ba || !bm) {
        setNaN(out, s, FLAG_OUTSIDE);
        continue;
      }
      let lt = 0;
      let ll = 0;
      for (let da = 0; da < 2; da++) {
        const wa = da === 0 ? 1 - ba[1] : ba[1];
        if (wa === 0) continue;
        for (let dm = 0; dm < 2; dm++) {
          const wm = dm === 0 ? 1 - bm[1] : bm[1];
          if (wm === 0) continue;
          const k = (ba[0] + da) * nm + bm[0] + dm;
          lt += wa * wm * (this.logTe[k] as number);
          ll += wa * wm * (this.logL[k] as number);
        }
      }
      if (!Number.isFinite(lt) || !Number.isFinite(ll)) {
        setNaN(out, s, FLAG_OUTSIDE);
        continue;
      }
      const teff = 10 ** lt;
      const radius = Math.sqrt(10 ** ll) * (TEFF_SUN / teff) ** 2;
      out.teff[s] = teff;
      out.logL[s] = ll;
      out.radius[s] = radius;
      out.mass[s] = m;
      out.logg[s] = LOGG_SUN + Math.log10(m) - 2 * Math.log10(radius);
      if (Math.abs(batch.mh[s] as number) > 1e-9) out.flags[s] = (out.flags[s] as number) | FLAG_SOLAR_ONLY;
    }
    return out;
  }
}

const sets = new Map<string, IsochroneSet>();

export function isIsochroneSetName(name: string): name is IsochroneSetName {
  return (ISOCHRONE_SETS as readonly string[]).includes(name);
}

export function loadIsochrones(name: IsochroneSetName, dir = defaultGridDir()): IsochroneSet {
  const key = `${dir}\0${name}`;
  const hit = sets.get(key);
  if (hit) return hit;
  const set = name === 'parsec12' ? new RaggedIsochrones(name, dir) : new RegularTracks(name, dir);
  sets.set(key, set);
  return set;
}
