// HDBSCAN behaviour that follows from its definition (label parity with scikit-learn is checked in
// test/python/test_galaxy_hdbscan.py): core distances count the point itself, separated groups come
// out as clusters, a far point is noise, a single group is never a cluster (the root is excluded), and
// bad input is refused with what is wrong.
import { describe, expect, it } from 'vitest';
import { coreDistances, hdbscan } from '../../../electron/galaxy/hdbscan.ts';

/** Deterministic pseudo-random normal deviates (Box–Muller over an LCG). */
function normals(count: number, seed: number): number[] {
  let state = seed;
  const uniform = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  return Array.from(
    { length: count },
    () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
}

function blob(centre: [number, number], count: number, seed: number): number[] {
  const noise = normals(2 * count, seed);
  return Array.from({ length: 2 * count }, (_, i) => centre[i % 2]! + noise[i]!);
}

describe('hdbscan', () => {
  it('measures the core distance to the k-th neighbour, the point itself first', () => {
    const points = Float64Array.from([0, 0, 1, 0, 3, 0, 7, 0]);
    expect([...coreDistances(points, 2, 2)]).toEqual([1, 1, 2, 4]);
    expect([...coreDistances(points, 2, 1)]).toEqual([0, 0, 0, 0]);
  });

  it('finds separated groups and leaves a far point as noise', () => {
    const points = Float64Array.from([...blob([0, 0], 40, 1), ...blob([30, 0], 50, 2), 200, 200]);
    const { labels, clusterCount, probabilities } = hdbscan(points, 2, { minClusterSize: 10 });
    expect(clusterCount).toBe(2);
    const first = new Set(labels.slice(0, 40));
    const second = new Set(labels.slice(40, 90));
    expect(first.size).toBe(1);
    expect(second.size).toBe(1);
    expect([...first][0]).not.toBe([...second][0]);
    expect(labels[90]).toBe(-1);
    expect(probabilities[90]).toBe(0);
    expect(Math.max(...probabilities)).toBe(1);
  });

  it('does not call a single group a cluster', () => {
    const { clusterCount } = hdbscan(Float64Array.from(blob([0, 0], 60, 3)), 2, { minClusterSize: 40 });
    expect(clusterCount).toBe(0);
  });

  it('refuses bad input with what is wrong', () => {
    expect(() => hdbscan(Float64Array.from([0, 0, 1]), 2, { minClusterSize: 5 })).toThrow(/not rows of 2/);
    expect(() => hdbscan(Float64Array.from([0, 0, 1, 1]), 2, { minClusterSize: 1 })).toThrow(
      /minClusterSize/,
    );
    expect(() => hdbscan(Float64Array.from([0, Number.NaN, 1, 1]), 2, { minClusterSize: 2 })).toThrow(
      /point 0 has a non-finite coordinate 1/,
    );
  });
});
