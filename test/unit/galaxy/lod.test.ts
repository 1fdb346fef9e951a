// The octree level-of-detail build: every star with a position lands in exactly one node, inside that
// node's cube; nodes keep at most their capacity (except at the depth limit); children are consecutive
// and one level down; stars without a position are left out; the reorder follows the tree's order.
import { describe, expect, it } from 'vitest';
import { buildOctree, reorder } from '../../../electron/galaxy/lod.ts';

function cloud(count: number): Float32Array {
  let state = 7;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out = new Float32Array(3 * count);
  for (let i = 0; i < count; i++) {
    // A dense core and a sparse halo, so depths differ across the tree.
    const r = i % 4 === 0 ? 1000 * random() : 50 * random();
    out.set([r * (2 * random() - 1), r * (2 * random() - 1), r * (2 * random() - 1)], 3 * i);
  }
  return out;
}

describe('octree', () => {
  const positions = cloud(20_000);
  positions[3 * 5] = Number.NaN;
  const tree = buildOctree(positions, { nodeCapacity: 500, maxDepth: 10, seed: 3 });

  it('holds every star with a position exactly once, and none without', () => {
    expect(tree.order.length).toBe(19_999);
    const seen = new Uint8Array(20_000);
    for (const i of tree.order) seen[i]!++;
    expect(seen[5]).toBe(0);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(19_999);
    let covered = 0;
    for (let node = 0; node < tree.nodeCount; node++) covered += tree.nodePoints[node]!;
    expect(covered).toBe(19_999);
  });

  it('keeps each node within capacity, its points inside its cube, children one level down', () => {
    expect(tree.nodeCount).toBeGreaterThan(8);
    expect(tree.nodePoints[0]).toBe(500);
    let outside = 0;
    for (let node = 0; node < tree.nodeCount; node++) {
      const [x0, y0, z0, size] = tree.nodeCube.subarray(4 * node, 4 * node + 4) as unknown as number[];
      if (tree.nodeLevel[node]! < 10) expect(tree.nodePoints[node]).toBeLessThanOrEqual(500);
      for (let k = tree.nodeStart[node]!; k < tree.nodeStart[node]! + tree.nodePoints[node]!; k++) {
        const i = tree.order[k]!;
        for (const [c, lo] of [x0!, y0!, z0!].entries()) {
          const v = positions[3 * i + c]!;
          if (v < lo || v > lo + size!) outside++;
        }
      }
      for (let c = 0; c < tree.nodeChildCount[node]!; c++)
        expect(tree.nodeLevel[tree.nodeFirstChild[node]! + c]).toBe(tree.nodeLevel[node]! + 1);
    }
    expect(outside).toBe(0);
  });

  it('reorders attributes to the tree order and is deterministic for a seed', () => {
    const ids = Float32Array.from({ length: 20_000 }, (_, i) => i);
    expect([...reorder(ids, tree.order).subarray(0, 10)]).toEqual([...tree.order.subarray(0, 10)]);
    const again = buildOctree(positions, { nodeCapacity: 500, maxDepth: 10, seed: 3 });
    expect(again.order).toEqual(tree.order);
  });

  it('refuses a capacity below one', () => {
    expect(() => buildOctree(positions, { nodeCapacity: 0, maxDepth: 4, seed: 1 })).toThrow(/nodeCapacity/);
  });
});
