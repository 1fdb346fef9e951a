// Reader for the physics grids that `python -m assets.make` writes to assets/grids/: the manifest and the
// gzip container of named little-endian arrays (layout documented in assets/make/gridfile.py). It owns
// integrity (sha256 of each file against the manifest) and de-quantisation, so the physics modules get
// plain Float64Array/Float32Array values and never see storage details.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export interface GridAxis {
  readonly name: string;
  readonly unit: string;
  readonly values: readonly number[];
}

interface ArrayEntry {
  readonly name: string;
  readonly dtype: 'float32' | 'float64' | 'uint16' | 'int32' | 'uint8';
  readonly shape: readonly number[];
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly quantised?: { offset: number; scale: number; missing: number };
}

export interface GridEntry {
  readonly name: string;
  readonly file: string;
  readonly sha256: string;
  readonly axes: readonly GridAxis[];
  readonly arrays: readonly ArrayEntry[];
  readonly source: Readonly<Record<string, unknown>>;
  readonly licence: string;
  readonly notes: readonly string[];
}

interface Manifest {
  readonly schema: string;
  readonly grids: readonly GridEntry[];
}

/** assets/grids relative to this source file (engine code lives at electron/forward/physics/). */
export function defaultGridDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '..', '..', '..', 'assets', 'grids');
}

export class Grid {
  readonly entry: GridEntry;
  private readonly bytes: Buffer;
  private readonly path: string;

  constructor(entry: GridEntry, bytes: Buffer, path: string) {
    this.entry = entry;
    this.bytes = bytes;
    this.path = path;
  }

  axis(name: string): Float64Array {
    const axis = this.entry.axes.find((a) => a.name === name);
    if (!axis)
      throw new Error(`${this.path}: manifest lists no axis '${name}' for grid '${this.entry.name}'`);
    return Float64Array.from(axis.values);
  }

  has(name: string): boolean {
    return this.entry.arrays.some((a) => a.name === name);
  }

  shape(name: string): readonly number[] {
    return this.find(name).shape;
  }

  /** The array as numbers; quantised arrays are expanded (missing -> NaN). */
  float64(name: string): Float64Array {
    const a = this.find(name);
    const raw = this.view(a);
    const out = new Float64Array(raw.length);
    if (a.quantised) {
      const { offset, scale, missing } = a.quantised;
      for (let i = 0; i < raw.length; i++) {
        const q = raw[i] as number;
        out[i] = q === missing ? Number.NaN : offset + scale * q;
      }
    } else {
      for (let i = 0; i < raw.length; i++) out[i] = raw[i] as number;
    }
    return out;
  }

  float32(name: string): Float32Array {
    return Float32Array.from(this.float64(name));
  }

  int32(name: string): Int32Array {
    const a = this.find(name);
    if (a.dtype !== 'int32') throw new Error(`${this.path}: array '${name}' is ${a.dtype}, expected int32`);
    return this.view(a) as Int32Array;
  }

  private find(name: string): ArrayEntry {
    const a = this.entry.arrays.find((x) => x.name === name);
    if (!a) throw new Error(`${this.path}: grid '${this.entry.name}' has no array '${name}'`);
    return a;
  }

  private view(a: ArrayEntry): Float32Array | Float64Array | Uint16Array | Int32Array | Uint8Array {
    const count = a.shape.reduce((p, n) => p * n, 1);
    const end = a.byteOffset + a.byteLength;
    if (end > this.bytes.length) {
      throw new Error(
        `${this.path}: array '${a.name}' ends at byte ${end}, past the data (${this.bytes.length})`,
      );
    }
    const copy = this.bytes.buffer.slice(this.bytes.byteOffset + a.byteOffset, this.bytes.byteOffset + end);
    switch (a.dtype) {
      case 'float32':
        return new Float32Array(copy, 0, count);
      case 'float64':
        return new Float64Array(copy, 0, count);
      case 'uint16':
        return new Uint16Array(copy, 0, count);
      case 'int32':
        return new Int32Array(copy, 0, count);
      case 'uint8':
        return new Uint8Array(copy, 0, count);
    }
  }
}

const cache = new Map<string, Grid>();
const manifests = new Map<string, Manifest>();

function readManifest(dir: string): Manifest {
  const hit = manifests.get(dir);
  if (hit) return hit;
  const path = join(dir, 'manifest.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `${path}: cannot read the grid manifest (${(error as Error).message}); run python -m assets.make`,
      { cause: error },
    );
  }
  const m = doc as Partial<Manifest>;
  if (m.schema !== 'cradle.grids/1' || !Array.isArray(m.grids)) {
    throw new Error(
      `${path}: schema is '${String(m.schema)}', expected 'cradle.grids/1' with a 'grids' list`,
    );
  }
  manifests.set(dir, m as Manifest);
  return m as Manifest;
}

/** Names of the grids the manifest lists. */
export function gridNames(dir = defaultGridDir()): string[] {
  return readManifest(dir).grids.map((g) => g.name);
}

/** Loads (once per process) and verifies one grid. */
export function loadGrid(name: string, dir = defaultGridDir()): Grid {
  const key = `${dir}\0${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const manifest = readManifest(dir);
  const entry = manifest.grids.find((g) => g.name === name);
  if (!entry) {
    throw new Error(`${join(dir, 'manifest.json')}: no grid '${name}' (have: ${gridNames(dir).join(', ')})`);
  }
  const path = join(dir, entry.file);
  const packed = readFileSync(path);
  const sha = createHash('sha256').update(packed).digest('hex');
  if (sha !== entry.sha256) {
    throw new Error(
      `${path}: sha256 ${sha} does not match the manifest (${entry.sha256}); rebuild with python -m assets.make`,
    );
  }
  const grid = new Grid(entry, gunzipSync(packed), path);
  cache.set(key, grid);
  return grid;
}
