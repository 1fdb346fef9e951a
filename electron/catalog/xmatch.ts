// Cross-match two catalogs: by identifier, or by position within a radius using a k-d tree over unit
// vectors (chord distance 2·sin(θ/2) is monotonic in the angle θ, so a Euclidean radius search is an
// exact angular one). Separations are computed as atan2(|a×b|, a·b), accurate at every angle. The
// nearest match is a branch-and-bound search of the same tree, so a dense clump costs n log n.
// The output keeps every row of A (a left join) with B's columns (renamed '<name>_b' on a clash) and
// the separation in arcsec; with `all`, every pair within the radius gets a row.
import { Float64, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import { packValidity } from './columns.ts';
import { resolveQuantity } from './quality.ts';
import { recognise } from './recognise.ts';
import type { QuantitySource, Recognised } from './recognise.ts';
import type { NumericColumn } from './expression.ts';
import { buildTable, columnInfo } from './table.ts';
import type { CatalogTable } from './table.ts';
import { toStrings } from './numeric.ts';

const RAD = Math.PI / 180;

/** Parses '1arcsec', '0.5 arcmin', '2e-4deg', '300mas' into degrees. */
export function parseRadius(text: string): number {
  const match = /^\s*([0-9.]+(?:[eE][+-]?\d+)?)\s*(arcsec|asec|"|arcmin|amin|'|deg|d|mas)?\s*$/.exec(text);
  if (!match) throw new Error(`radius '${text}': expected a number and a unit (arcsec, arcmin, deg, mas)`);
  const value = Number(match[1]);
  const unit = match[2] ?? 'arcsec';
  const factor =
    unit === 'deg' || unit === 'd'
      ? 1
      : unit === 'arcmin' || unit === 'amin' || unit === "'"
        ? 1 / 60
        : unit === 'mas'
          ? 1 / 3.6e6
          : 1 / 3600;
  if (!(value > 0)) throw new Error(`radius '${text}' must be positive`);
  if (!(value * factor <= 180)) throw new Error(`radius '${text}' must be at most 180 deg`);
  return value * factor;
}

export interface UnitVectors {
  xyz: Float64Array;
  valid: Uint8Array;
}

export function unitVectors(raDeg: Float64Array, decDeg: Float64Array, valid: Uint8Array): UnitVectors {
  const n = raDeg.length;
  const xyz = new Float64Array(3 * n);
  for (let i = 0; i < n; i += 1) {
    if (!valid[i]) continue;
    const ra = raDeg[i]! * RAD;
    const dec = decDeg[i]! * RAD;
    const c = Math.cos(dec);
    xyz[3 * i] = c * Math.cos(ra);
    xyz[3 * i + 1] = c * Math.sin(ra);
    xyz[3 * i + 2] = Math.sin(dec);
  }
  return { xyz, valid };
}

/** Angular separation in degrees between points i of a and j of b. */
function separationDeg(a: Float64Array, i: number, b: Float64Array, j: number): number {
  const ax = a[3 * i]!,
    ay = a[3 * i + 1]!,
    az = a[3 * i + 2]!;
  const bx = b[3 * j]!,
    by = b[3 * j + 1]!,
    bz = b[3 * j + 2]!;
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.hypot(cx, cy, cz), ax * bx + ay * by + az * bz) / RAD;
}

/** A static 3-d tree over points; `order` holds point indices arranged as an implicit balanced tree. */
export class KdTree {
  private readonly order: Int32Array;
  private readonly axes: Uint8Array;

  constructor(
    private readonly xyz: Float64Array,
    valid: Uint8Array,
  ) {
    const indices: number[] = [];
    for (let i = 0; i < valid.length; i += 1) if (valid[i]) indices.push(i);
    this.order = Int32Array.from(indices);
    this.axes = new Uint8Array(this.order.length);
    this.build(0, this.order.length);
  }

  private build(lo: number, hi: number): void {
    const stack: [number, number][] = [[lo, hi]];
    while (stack.length > 0) {
      const [a, b] = stack.pop()!;
      if (b - a <= 1) continue;
      let axis = 0;
      let best = -1;
      for (let d = 0; d < 3; d += 1) {
        let min = Infinity;
        let max = -Infinity;
        for (let k = a; k < b; k += 1) {
          const v = this.xyz[3 * this.order[k]! + d]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        if (max - min > best) {
          best = max - min;
          axis = d;
        }
      }
      const mid = (a + b) >> 1;
      this.select(a, b - 1, mid, axis);
      this.axes[mid] = axis;
      stack.push([a, mid], [mid + 1, b]);
    }
  }

  /** Quickselect: puts the k-th smallest (by axis) at k within [lo, hi]. */
  private select(lo: number, hi: number, k: number, axis: number): void {
    const o = this.order;
    const key = (i: number): number => this.xyz[3 * o[i]! + axis]!;
    while (hi > lo) {
      const pivot = key((lo + hi) >> 1);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (key(i) < pivot) i += 1;
        while (key(j) > pivot) j -= 1;
        if (i <= j) {
          const t = o[i]!;
          o[i] = o[j]!;
          o[j] = t;
          i += 1;
          j -= 1;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /** Calls visit(index, chord²) for every point within chord distance `radius` of (x, y, z). */
  within(x: number, y: number, z: number, radius: number, visit: (index: number, d2: number) => void): void {
    const r2 = radius * radius;
    const q = [x, y, z];
    const stack: [number, number][] = [[0, this.order.length]];
    while (stack.length > 0) {
      const [a, b] = stack.pop()!;
      if (b <= a) continue;
      const mid = (a + b) >> 1;
      const p = this.order[mid]!;
      const dx = this.xyz[3 * p]! - x;
      const dy = this.xyz[3 * p + 1]! - y;
      const dz = this.xyz[3 * p + 2]! - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= r2) visit(p, d2);
      if (b - a === 1) continue;
      const axis = this.axes[mid]!;
      const diff = q[axis]! - this.xyz[3 * p + axis]!;
      if (diff <= radius) stack.push([a, mid]);
      if (diff >= -radius) stack.push([mid + 1, b]);
    }
  }

  /**
   * The point nearest (x, y, z) within chord distance `radius`: least `separation` (an angle in degrees;
   * NaN refuses the point), then lowest index; -1 when there is none. A subtree is skipped when its
   * splitting plane lies farther than the best separation so far, as a chord plus a margin far above
   * rounding, so every point that could tie or beat the best is still seen: the answer is that of a
   * search over every point within `radius`, in about log n steps where points crowd.
   */
  nearest(x: number, y: number, z: number, radius: number, separation: (index: number) => number): number {
    const q = [x, y, z];
    let best = -1;
    let bestSep = Infinity;
    let bound = radius;
    const lo = [0];
    const hi = [this.order.length];
    const plane = [0];
    while (lo.length > 0) {
      const a = lo.pop()!;
      const b = hi.pop()!;
      if (plane.pop()! > bound || b <= a) continue;
      const mid = (a + b) >> 1;
      const p = this.order[mid]!;
      const dx = this.xyz[3 * p]! - x;
      const dy = this.xyz[3 * p + 1]! - y;
      const dz = this.xyz[3 * p + 2]! - z;
      if (dx * dx + dy * dy + dz * dz <= bound * bound) {
        const sep = separation(p);
        if (sep < bestSep || (sep === bestSep && p < best)) {
          best = p;
          bestSep = sep;
          bound = Math.min(radius, 2 * Math.sin((sep * RAD) / 2) + CHORD_MARGIN);
        }
      }
      if (b - a === 1) continue;
      const diff = q[this.axes[mid]!]! - this.xyz[3 * p + this.axes[mid]!]!;
      // Far side first, so the near side (popped next) tightens the bound before the far one is seen.
      const near: [number, number] = diff <= 0 ? [a, mid] : [mid + 1, b];
      const far: [number, number] = diff <= 0 ? [mid + 1, b] : [a, mid];
      lo.push(far[0], near[0]);
      hi.push(far[1], near[1]);
      plane.push(Math.abs(diff), 0);
    }
    return best;
  }
}

/** Chord distance far above the rounding of a separation or a chord (~1e-16), and far below any
 * separation that matters (1e-12 rad is 2e-7 arcsec). */
const CHORD_MARGIN = 1e-12;

/**
 * `valid` less every point at exactly the position of a lower-indexed one: such a point is never
 * nearer than that one, and it ties with it, which the lower index wins. Without this, a nearest
 * search among many copies of one position would have to see every copy.
 */
function firstAtEachPosition(xyz: Float64Array, valid: Uint8Array): Uint8Array {
  const indices: number[] = [];
  for (let i = 0; i < valid.length; i += 1) if (valid[i]) indices.push(i);
  const order = Int32Array.from(indices).sort(
    (i, j) =>
      xyz[3 * i]! - xyz[3 * j]! ||
      xyz[3 * i + 1]! - xyz[3 * j + 1]! ||
      xyz[3 * i + 2]! - xyz[3 * j + 2]! ||
      i - j,
  );
  const out = valid.slice();
  for (let k = 1; k < order.length; k += 1) {
    const i = order[k - 1]!;
    const j = order[k]!;
    if (xyz[3 * i] === xyz[3 * j] && xyz[3 * i + 1] === xyz[3 * j + 1] && xyz[3 * i + 2] === xyz[3 * j + 2])
      out[j] = 0;
  }
  return out;
}

export interface MatchPairs {
  /** Row in A for each pair. */
  a: Int32Array;
  /** Row in B, or -1 for an unmatched A row. */
  b: Int32Array;
  /** Separation in arcsec (NaN when unmatched). */
  separationArcsec: Float64Array;
}

/** Rows a match may produce beyond one per A row (with `all`): their three arrays alone take ~1 GiB. */
const MAX_PAIRS = 50_000_000;

/** Positional match of every A point against B within radiusDeg: nearest only, or all. */
export function matchPositions(
  a: UnitVectors,
  b: UnitVectors,
  radiusDeg: number,
  all: boolean,
  maxPairs = MAX_PAIRS,
): MatchPairs {
  const tree = new KdTree(b.xyz, all ? b.valid : firstAtEachPosition(b.xyz, b.valid));
  const chord = 2 * Math.sin((radiusDeg * RAD) / 2) * (1 + 1e-12);
  const rowsA: number[] = [];
  const rowsB: number[] = [];
  const seps: number[] = [];
  const n = a.valid.length;
  if (!all) {
    for (let i = 0; i < n; i += 1) {
      const j = !a.valid[i]
        ? -1
        : tree.nearest(a.xyz[3 * i]!, a.xyz[3 * i + 1]!, a.xyz[3 * i + 2]!, chord, (k) => {
            const sep = separationDeg(a.xyz, i, b.xyz, k);
            return sep <= radiusDeg ? sep : Number.NaN;
          });
      rowsA.push(i);
      rowsB.push(j);
      seps.push(j < 0 ? Number.NaN : separationDeg(a.xyz, i, b.xyz, j) * 3600);
    }
    return {
      a: Int32Array.from(rowsA),
      b: Int32Array.from(rowsB),
      separationArcsec: Float64Array.from(seps),
    };
  }
  for (let i = 0; i < n; i += 1) {
    const found: { j: number; sep: number }[] = [];
    if (a.valid[i]) {
      tree.within(a.xyz[3 * i]!, a.xyz[3 * i + 1]!, a.xyz[3 * i + 2]!, chord, (j) => {
        const sep = separationDeg(a.xyz, i, b.xyz, j);
        if (sep <= radiusDeg) found.push({ j, sep });
      });
    }
    found.sort((p, q) => p.sep - q.sep || p.j - q.j);
    if (found.length === 0) {
      rowsA.push(i);
      rowsB.push(-1);
      seps.push(Number.NaN);
    }
    for (const { j, sep } of found) {
      rowsA.push(i);
      rowsB.push(j);
      seps.push(sep * 3600);
    }
    if (rowsA.length - (i + 1) > maxPairs) {
      throw new Error(
        `more than ${maxPairs.toLocaleString('en')} extra pairs within ${radiusDeg * 3600} arcsec in the first ` +
          `${i + 1} rows of A: the radius is too large for these catalogues, or they hold many sources at one position`,
      );
    }
  }
  return { a: Int32Array.from(rowsA), b: Int32Array.from(rowsB), separationArcsec: Float64Array.from(seps) };
}

/** Identifier match: B rows whose id text equals A's; first (or all) per A row. */
export function matchIds(idsA: (string | null)[], idsB: (string | null)[], all: boolean): MatchPairs {
  const index = new Map<string, number[]>();
  idsB.forEach((id, j) => {
    if (id === null) return;
    const list = index.get(id);
    if (list) list.push(j);
    else index.set(id, [j]);
  });
  const rowsA: number[] = [];
  const rowsB: number[] = [];
  idsA.forEach((id, i) => {
    const hits = id === null ? undefined : index.get(id);
    const keep = hits === undefined ? [-1] : all ? hits : hits.slice(0, 1);
    for (const j of keep) {
      rowsA.push(i);
      rowsB.push(j);
    }
  });
  return {
    a: Int32Array.from(rowsA),
    b: Int32Array.from(rowsB),
    separationArcsec: new Float64Array(rowsA.length).fill(Number.NaN),
  };
}

function take(vector: Vector, rows: Int32Array): Vector {
  const values = Array.from(rows, (r) => {
    if (r < 0) return null;
    const v: unknown = vector.get(r);
    if (v !== null && typeof v === 'object' && 'toArray' in v)
      return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray());
    return v ?? null;
  });
  return vectorFromArray(values as never[], vector.type);
}

function positions(catalog: CatalogTable, overrides: Record<string, QuantitySource>): UnitVectors {
  const recognition = recognise(catalog.table, overrides);
  const ra = recognition.get('ra');
  const dec = recognition.get('dec');
  if (ra === undefined || dec === undefined) {
    throw new Error(
      `${catalog.file}: no right ascension/declination columns recognised (save them with 'cradle catalog map FILE --set ra=COLUMN --set dec=COLUMN', or match with --by-id)`,
    );
  }
  // A sexagesimal cell that does not parse is named by column and row; the file is added here.
  const resolve = (source: Recognised): NumericColumn => {
    try {
      return resolveQuantity(catalog.table, recognition, source);
    } catch (error) {
      throw new Error(`${catalog.file}: ${(error as Error).message}`, { cause: error });
    }
  };
  const r = resolve(ra);
  const d = resolve(dec);
  const valid = r.valid.map((v, i) => v & d.valid[i]!);
  // A position off the sphere would never match and say nothing; it is a wrong column or unit.
  const where = (q: { column?: string; expression?: string }): string =>
    q.column !== undefined ? `column ${q.column}` : `'${q.expression ?? ''}'`;
  for (let i = 0; i < valid.length; i += 1) {
    if (!valid[i]) continue;
    if (!Number.isFinite(r.values[i]))
      throw new Error(`${catalog.file}: row ${i + 1}: right ascension (${where(ra)}) is ${r.values[i]}`);
    if (!(Math.abs(d.values[i]!) <= 90))
      throw new Error(
        `${catalog.file}: row ${i + 1}: declination (${where(dec)}) is ${d.values[i]}°, outside [-90°, 90°]`,
      );
  }
  return unitVectors(r.values, d.values, valid);
}

export interface CrossMatchOptions {
  radiusDeg: number;
  /** Saved mappings of A and B (where their ra/dec columns were set by hand). */
  overridesA?: Record<string, QuantitySource>;
  overridesB?: Record<string, QuantitySource>;
  all: boolean;
  byId?: string | undefined;
}

export function crossMatchTables(
  left: CatalogTable,
  right: CatalogTable,
  options: CrossMatchOptions,
): { table: Table; matched: number } {
  let pairs: MatchPairs;
  if (options.byId !== undefined) {
    const [colA, colB = colA] = options.byId.split('=').map((s) => s.trim());
    const a = left.table.getChild(colA!);
    const b = right.table.getChild(colB!);
    if (a === null) throw new Error(`${left.file}: no column '${colA}' to match on`);
    if (b === null) throw new Error(`${right.file}: no column '${colB}' to match on`);
    pairs = matchIds(
      toStrings(a).map((s) => s?.trim() ?? null),
      toStrings(b).map((s) => s?.trim() ?? null),
      options.all,
    );
  } else {
    pairs = matchPositions(
      positions(left, options.overridesA ?? {}),
      positions(right, options.overridesB ?? {}),
      options.radiusDeg,
      options.all,
    );
  }
  // Every output name distinct: B's clashing names get '_b' (then '_b2', …), as does the separation.
  const used = new Set(left.table.schema.fields.map((f) => f.name));
  const fresh = (name: string): string => {
    let out = name;
    for (let k = 1; used.has(out); k += 1) out = `${name}_b${k === 1 ? '' : k}`;
    used.add(out);
    return out;
  };
  const columns = [
    ...left.table.schema.fields.map((field, c) => ({
      name: field.name,
      vector: take(left.table.getChildAt(c)!, pairs.a),
      info: columnInfo(field),
    })),
    ...right.table.schema.fields.map((field, c) => ({
      name: fresh(field.name),
      vector: take(right.table.getChildAt(c)!, pairs.b),
      info: columnInfo(field),
    })),
  ];
  const n = pairs.a.length;
  const valid = pairs.separationArcsec.map((s) => (Number.isNaN(s) ? 0 : 1));
  const validity = packValidity(Uint8Array.from(valid), n);
  columns.push({
    name: fresh('separation_arcsec'),
    vector: makeVector(
      makeData({
        type: new Float64(),
        length: n,
        nullCount: validity.nullCount,
        nullBitmap: validity.bitmap,
        data: pairs.separationArcsec,
      }),
    ),
    info: { unit: 'arcsec', description: 'angular separation between the matched A and B positions' },
  });
  let matched = 0;
  for (const j of pairs.b) if (j >= 0) matched += 1;
  return { table: buildTable(columns), matched };
}
