// Octree level of detail for the Galaxy view, after Potree (Schütz 2016, "Potree: Rendering Large Point
// Clouds in Web Browsers", §3): every node keeps up to `nodeCapacity` representative points — a random
// sample of the points inside it — and passes the rest to its eight children, so drawing a node and its
// ancestors gives a uniform thinning of the stars, and the view asks for more nodes only where the
// camera is close. The build reorders the stars so each node's points are one contiguous range; the
// renderer then draws ranges of one set of GPU buffers, never one object per star.

export interface OctreeOptions {
  /** Representative points per node (Potree's spacing, as a count). */
  nodeCapacity: number;
  /** Deepest level; nodes there keep all their points. */
  maxDepth: number;
  /** Seed of the sampling order (the build is deterministic). */
  seed: number;
}

export const DEFAULT_OCTREE: OctreeOptions = { nodeCapacity: 16384, maxDepth: 12, seed: 1 };

export interface Octree {
  /** For each position in the reordered buffers, the star's original index. */
  order: Uint32Array;
  nodeCount: number;
  /** First point (in `order`) and number of points of each node. */
  nodeStart: Uint32Array;
  nodePoints: Uint32Array;
  nodeLevel: Uint8Array;
  /** Axis-aligned bounds of each node, pc: minX, minY, minZ, size (a cube). */
  nodeCube: Float32Array;
  /** Index of each node's first child (children are consecutive) and how many it has; 0 for a leaf. */
  nodeFirstChild: Uint32Array;
  nodeChildCount: Uint8Array;
}

/** Stars with a non-finite position are left out of the tree (they have no place to be drawn). */
export function buildOctree(positions: Float32Array, options: OctreeOptions = DEFAULT_OCTREE): Octree {
  const { nodeCapacity, maxDepth } = options;
  if (!Number.isInteger(nodeCapacity) || nodeCapacity < 1)
    throw new Error(`octree: nodeCapacity must be a positive integer, got ${nodeCapacity}`);
  const total = positions.length / 3;
  let n = 0;
  const order = new Uint32Array(total);
  let min = [Infinity, Infinity, Infinity];
  let max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < total; i++) {
    const x = positions[3 * i]!;
    const y = positions[3 * i + 1]!;
    const z = positions[3 * i + 2]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) continue;
    order[n++] = i;
    if (x < min[0]!) min[0] = x;
    if (y < min[1]!) min[1] = y;
    if (z < min[2]!) min[2] = z;
    if (x > max[0]!) max[0] = x;
    if (y > max[1]!) max[1] = y;
    if (z > max[2]!) max[2] = z;
  }
  if (n === 0) {
    min = [0, 0, 0];
    max = [1, 1, 1];
  }
  // A random order (seeded Fisher–Yates), so the first k points of any node's range are a fair sample.
  let state = options.seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const scratch = new Uint32Array(n);
  const size = Math.max(max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!, 1e-6) * (1 + 1e-6);
  const nodes: { start: number; points: number; level: number; cube: number[]; children: number[] }[] = [];
  // Breadth-first, so a node's children are consecutive and parents come before children.
  const pending = [{ lo: 0, hi: n, level: 0, cube: [min[0]!, min[1]!, min[2]!, size] }];
  const childCounts = new Uint32Array(8);
  for (let p = 0; p < pending.length; p++) {
    const { lo, hi, level, cube } = pending[p]!;
    const keep = hi - lo <= nodeCapacity || level >= maxDepth ? hi - lo : nodeCapacity;
    const node = { start: lo, points: keep, level, cube, children: [] as number[] };
    nodes.push(node);
    if (keep === hi - lo) continue;
    // Counting sort of the rest into octants (stable, so each child's range stays a random order).
    const half = cube[3]! / 2;
    const cx = cube[0]! + half;
    const cy = cube[1]! + half;
    const cz = cube[2]! + half;
    const octant = (i: number): number =>
      (positions[3 * i]! >= cx ? 1 : 0) |
      (positions[3 * i + 1]! >= cy ? 2 : 0) |
      (positions[3 * i + 2]! >= cz ? 4 : 0);
    childCounts.fill(0);
    for (let k = lo + keep; k < hi; k++) childCounts[octant(order[k]!)]!++;
    const offsets = new Uint32Array(8);
    let running = lo + keep;
    for (let o = 0; o < 8; o++) {
      offsets[o] = running;
      running += childCounts[o]!;
    }
    const starts = offsets.slice();
    for (let k = lo + keep; k < hi; k++) {
      const i = order[k]!;
      scratch[offsets[octant(i)]!++] = i;
    }
    order.set(scratch.subarray(lo + keep, hi), lo + keep);
    for (let o = 0; o < 8; o++) {
      if (childCounts[o] === 0) continue;
      node.children.push(pending.length);
      pending.push({
        lo: starts[o]!,
        hi: starts[o]! + childCounts[o]!,
        level: level + 1,
        cube: [
          cube[0]! + (o & 1 ? half : 0),
          cube[1]! + (o & 2 ? half : 0),
          cube[2]! + (o & 4 ? half : 0),
          half,
        ],
      });
    }
  }
  const count = nodes.length;
  const tree: Octree = {
    order: order.subarray(0, n),
    nodeCount: count,
    nodeStart: new Uint32Array(count),
    nodePoints: new Uint32Array(count),
    nodeLevel: new Uint8Array(count),
    nodeCube: new Float32Array(4 * count),
    nodeFirstChild: new Uint32Array(count),
    nodeChildCount: new Uint8Array(count),
  };
  nodes.forEach((node, i) => {
    tree.nodeStart[i] = node.start;
    tree.nodePoints[i] = node.points;
    tree.nodeLevel[i] = node.level;
    tree.nodeCube.set(node.cube, 4 * i);
    tree.nodeFirstChild[i] = node.children[0] ?? 0;
    tree.nodeChildCount[i] = node.children.length;
  });
  return tree;
}

/** A float attribute reordered to the octree's point order. */
export function reorder(values: Float32Array, order: Uint32Array, components = 1): Float32Array {
  const out = new Float32Array(order.length * components);
  for (let k = 0; k < order.length; k++)
    for (let c = 0; c < components; c++) out[k * components + c] = values[order[k]! * components + c]!;
  return out;
}
