// Nearest-neighbour cross-match: the branch-and-bound search gives the answer of the exhaustive one
// (every B source within the radius, least separation first, then lowest row), agrees with astropy's
// match_coordinates_sky (astropy/reference.json, written by astropy/make_reference.py), and inside a
// dense clump looks at a few sources per query, not all of them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KdTree, matchPositions, unitVectors } from '../../../electron/catalog/xmatch.ts';
import type { MatchPairs, UnitVectors } from '../../../electron/catalog/xmatch.ts';

const reference = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'astropy/reference.json'), 'utf8'),
) as {
  xmatch: {
    a: { ra: number[]; dec: number[] };
    b: { ra: number[]; dec: number[] };
    nearest: number[];
    separationArcsec: number[];
  };
};

function points(ra: number[], dec: number[]): UnitVectors {
  return unitVectors(Float64Array.from(ra), Float64Array.from(dec), new Uint8Array(ra.length).fill(1));
}

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** A clump of `n` sources within `sizeArcsec` of (ra0, dec0). */
function clump(n: number, ra0: number, dec0: number, sizeArcsec: number, next: () => number) {
  const ra = Array.from({ length: n }, () => ra0 + ((next() - 0.5) * sizeArcsec) / 3600);
  const dec = Array.from({ length: n }, () => dec0 + ((next() - 0.5) * sizeArcsec) / 3600);
  return { ra, dec };
}

/** The nearest match of each A row from the exhaustive search: the first of its rows with `all`. */
function firstOfAll(all: MatchPairs, rows: number): { b: number[]; sep: number[] } {
  const b = new Array<number>(rows).fill(-2);
  const sep = new Array<number>(rows).fill(Number.NaN);
  all.a.forEach((i, k) => {
    if (b[i] !== -2) return;
    b[i] = all.b[k]!;
    sep[i] = all.separationArcsec[k]!;
  });
  return { b, sep };
}

describe('nearest cross-match', () => {
  it('agrees with astropy match_coordinates_sky', () => {
    const { a, b, nearest, separationArcsec } = reference.xmatch;
    const radiusArcsec = 10;
    const result = matchPositions(points(a.ra, a.dec), points(b.ra, b.dec), radiusArcsec / 3600, false);
    expect(Array.from(result.a)).toEqual(a.ra.map((_, i) => i));
    const expected = nearest.map((j, i) => (separationArcsec[i]! <= radiusArcsec ? j : -1));
    // Some rows of each kind: matched in the field, in the clump, and unmatched.
    expect(expected.filter((j) => j >= 0).length).toBeGreaterThan(150);
    expect(expected.filter((j) => j < 0).length).toBeGreaterThan(10);
    expect(Array.from(result.b)).toEqual(expected);
    result.separationArcsec.forEach((s, i) => {
      if (expected[i]! < 0) expect(s).toBeNaN();
      else expect(Math.abs(s - separationArcsec[i]!)).toBeLessThan(1e-6);
    });
  });

  it('gives the exhaustive answer inside a dense clump, ties to the lowest row', () => {
    const next = random(11);
    const cb = clump(1500, 150, 2, 0.36, next);
    // Copies of one position (the first copy must win), and one source twice in A.
    for (let k = 0; k < 50; k += 1) {
      cb.ra.push(cb.ra[10]!);
      cb.dec.push(cb.dec[10]!);
    }
    cb.ra.splice(5, 0, cb.ra[10]!);
    cb.dec.splice(5, 0, cb.dec[10]!);
    const ca = clump(300, 150, 2, 0.5, next);
    ca.ra.push(cb.ra[11]!, cb.ra[11]!, 151);
    ca.dec.push(cb.dec[11]!, cb.dec[11]!, 2);
    const a = points(ca.ra, ca.dec);
    const b = points(cb.ra, cb.dec);
    for (const radius of [0.02, 0.1, 0.5]) {
      const nearest = matchPositions(a, b, radius / 3600, false);
      const exhaustive = firstOfAll(matchPositions(a, b, radius / 3600, true), ca.ra.length);
      expect(Array.from(nearest.b)).toEqual(exhaustive.b);
      expect(Array.from(nearest.separationArcsec)).toEqual(exhaustive.sep);
    }
    const nearest = matchPositions(a, b, 1 / 3600, false);
    expect(nearest.b[300]).toBe(5);
    expect(nearest.b[301]).toBe(5);
    expect(nearest.b[302]).toBe(-1);
  });

  it('looks at a few sources per query in a clump of 5000', () => {
    const next = random(3);
    const c = clump(5000, 30, -60, 0.36, next);
    const b = points(c.ra, c.dec);
    const tree = new KdTree(b.xyz, b.valid);
    const radius = 2 * Math.sin((1 / 3600) * (Math.PI / 180));
    let visited = 0;
    for (let i = 0; i < 200; i += 1) {
      const j = tree.nearest(b.xyz[3 * i]!, b.xyz[3 * i + 1]!, b.xyz[3 * i + 2]!, radius, (k) => {
        visited += 1;
        return k === i ? 0 : 1;
      });
      expect(j).toBe(i);
    }
    // A search of every source within the radius would see all 5000 for each query.
    expect(visited / 200).toBeLessThan(100);
  });
});
