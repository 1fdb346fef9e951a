// The k-d tree must give exactly what a scan of every point gives — the k smallest by (distance, index),
// ties included — whatever the data: spread points, points on an integer grid (many equal distances),
// duplicates, and a skipped point.
import { describe, expect, it } from 'vitest';
import { KdTree } from '../../../electron/galaxy/kd-tree.ts';

/** The reference: every point's distance, sorted by (distance, index). */
function scan(points: Float64Array, dim: number, query: Float64Array, q: number, skip: number, k: number) {
  const n = points.length / dim;
  const all: [number, number][] = [];
  for (let j = 0; j < n; j++) {
    if (j === skip) continue;
    let s = 0;
    for (let c = 0; c < dim; c++) s += (query[q * dim + c]! - points[j * dim + c]!) ** 2;
    all.push([Math.sqrt(s), j]);
  }
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return all.slice(0, k);
}

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

describe('k-d tree nearest neighbours', () => {
  it.each([
    ['spread points in 5-D', 5, 2000, (r: () => number) => 100 * r()],
    ['an integer grid in 3-D (ties)', 3, 1500, (r: () => number) => Math.floor(6 * r())],
    ['duplicates in 2-D', 2, 600, (r: () => number) => Math.floor(3 * r())],
  ])('equal a scan of every point: %s', (_, dim, n, draw) => {
    const r = random(dim * 1000 + n);
    const points = Float64Array.from({ length: n * dim }, () => draw(r));
    const queries = Float64Array.from(
      { length: 200 * dim },
      () => draw(r) + (dim === 5 ? 0 : 0.5 * Math.floor(2 * r())),
    );
    const tree = new KdTree(points, dim);
    for (const k of [1, 7, 40]) {
      const distance = new Float64Array(k);
      const index = new Int32Array(k);
      for (let q = 0; q < 200; q++) {
        tree.nearest(queries, q, -1, distance, index);
        const expected = scan(points, dim, queries, q, -1, k);
        expect([...index]).toEqual(expected.map((e) => e[1]));
        expect([...distance]).toEqual(expected.map((e) => e[0]));
      }
      // A point's own neighbours, itself skipped (HDBSCAN's core distances).
      for (let q = 0; q < n; q += 37) {
        tree.nearest(points, q, q, distance, index);
        expect([...index]).toEqual(scan(points, dim, points, q, q, k).map((e) => e[1]));
      }
    }
  });

  it('leaves the slots it cannot fill at +∞', () => {
    const tree = new KdTree(Float64Array.from([0, 0, 3, 4]), 2);
    const distance = new Float64Array(4);
    const index = new Int32Array(4);
    tree.nearest(Float64Array.from([0, 0]), 0, -1, distance, index);
    expect([...distance]).toEqual([0, 5, Infinity, Infinity]);
    expect([...index.slice(0, 2)]).toEqual([0, 1]);
    const empty = new KdTree(new Float64Array(0), 2);
    empty.nearest(Float64Array.from([1, 1]), 0, -1, distance, index);
    expect([...distance]).toEqual([Infinity, Infinity, Infinity, Infinity]);
  });
});
