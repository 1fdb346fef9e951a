// HDBSCAN (Campello, Moulavi & Sander 2013; McInnes, Healy & Astels 2017) for finding young groups in
// positions + scaled tangential velocities. Written here because the npm packages (hdbscan, hdbscanjs,
// hdbscan-ts) are small unreviewed ports without the excess-of-mass selection or a reference test; this
// one follows scikit-learn's `HDBSCAN` step by step (core distance counts the point itself, mutual
// reachability MST, single-linkage tree, condensed tree, EOM selection, root never a cluster) and is
// checked against it in test/python/test_galaxy_hdbscan.py. Neighbours come from an exact k-d tree
// (kd-tree.ts); Prim's MST is an exact O(n²) scan over the dense mutual-reachability graph, with no
// allocation beyond O(n), which suits the tens of thousands of young stars the Galaxy view clusters.
// `approximatePredict` places new points in a finished clustering the way the hdbscan library's
// `prediction.approximate_predict` does (McInnes, Healy & Astels 2017; checked against it in the same
// test file), so that stars left out of the clustering can join the groups it found.
import { KdTree } from './kd-tree.ts';

export interface HdbscanOptions {
  /** Smallest group counted as a cluster. */
  minClusterSize: number;
  /** Neighbours (including the point itself) defining the core distance; default minClusterSize. */
  minSamples?: number;
}

export interface HdbscanResult {
  /** Cluster index per point (0-based), −1 for noise. */
  labels: Int32Array;
  /** Membership strength in [0, 1] (λ at which the point left its cluster over the cluster's λ_max). */
  probabilities: Float64Array;
  clusterCount: number;
  /** What `approximatePredict` needs to place new points in this clustering. */
  prediction: PredictionData;
}

/** The fitted points, their core distances and the condensed tree (hdbscan's `PredictionData`). */
export interface PredictionData {
  points: Float64Array;
  dim: number;
  minSamples: number;
  core: Float64Array;
  /** Per fitted point: the condensed-tree cluster it left, and the λ at which it left. */
  pointParent: Int32Array;
  pointLambda: Float64Array;
  /** Per condensed-tree cluster node (child of a size > 1 edge): its parent node and birth λ. */
  clusterParent: Map<number, number>;
  clusterBirth: Map<number, number>;
  root: number;
  /** Selected clusters and every node below them → label, and the λ_max that scales a label's strength. */
  labelOfNode: Map<number, number>;
  maxLambdaOfNode: Map<number, number>;
}

export interface Prediction {
  labels: Int32Array;
  probabilities: Float64Array;
}

/** Euclidean distance between row i of `a` and row j of `b` (row-major, `dim` columns each). */
function distance(a: Float64Array, i: number, b: Float64Array, j: number, dim: number): number {
  let s = 0;
  const p = i * dim;
  const q = j * dim;
  for (let k = 0; k < dim; k++) {
    const d = a[p + k]! - b[q + k]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Distance from each point to its k-th nearest neighbour, the point itself being the first. */
export function coreDistances(points: Float64Array, dim: number, k: number): Float64Array {
  const n = points.length / dim;
  const out = new Float64Array(n);
  if (k === 1) return out;
  const nearDistance = new Float64Array(k - 1);
  const nearIndex = new Int32Array(k - 1);
  const tree = new KdTree(points, dim);
  for (let i = 0; i < n; i++) {
    tree.nearest(points, i, i, nearDistance, nearIndex);
    out[i] = nearDistance[k - 2]!;
  }
  return out;
}

interface Edge {
  a: number;
  b: number;
  weight: number;
}

/** Prim's minimum spanning tree over mutual reachability max(core_a, core_b, d(a, b)). */
function mutualReachabilityMst(points: Float64Array, dim: number, core: Float64Array): Edge[] {
  const n = core.length;
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n).fill(-1);
  const edges: Edge[] = [];
  let current = 0;
  inTree[0] = 1;
  for (let step = 1; step < n; step++) {
    let next = -1;
    let nextWeight = Number.POSITIVE_INFINITY;
    const coreCurrent = core[current]!;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const reach = Math.max(distance(points, current, points, j, dim), coreCurrent, core[j]!);
      if (reach < best[j]!) {
        best[j] = reach;
        from[j] = current;
      }
      if (best[j]! < nextWeight) {
        nextWeight = best[j]!;
        next = j;
      }
    }
    inTree[next] = 1;
    edges.push({ a: from[next]!, b: next, weight: nextWeight });
    current = next;
  }
  return edges;
}

interface Linkage {
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  size: Int32Array;
}

/** Single-linkage merge tree from the MST (node n + i is the i-th merge), scipy/sklearn layout. */
function singleLinkage(edges: Edge[], n: number): Linkage {
  edges.sort((p, q) => p.weight - q.weight);
  const parent = new Int32Array(2 * n - 1).map((_, i) => i);
  const size = new Int32Array(2 * n - 1).fill(1);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const up = parent[x]!;
      parent[x] = root;
      x = up;
    }
    return root;
  };
  const m = n - 1;
  const linkage: Linkage = {
    left: new Int32Array(m),
    right: new Int32Array(m),
    distance: new Float64Array(m),
    size: new Int32Array(m),
  };
  edges.forEach((edge, i) => {
    const ra = find(edge.a);
    const rb = find(edge.b);
    const node = n + i;
    linkage.left[i] = ra;
    linkage.right[i] = rb;
    linkage.distance[i] = edge.weight;
    linkage.size[i] = size[ra]! + size[rb]!;
    size[node] = linkage.size[i]!;
    parent[ra] = node;
    parent[rb] = node;
  });
  return linkage;
}

interface Condensed {
  parent: number[];
  child: number[];
  lambda: number[];
  childSize: number[];
}

/** sklearn `_condense_tree`: walk down from the root, keeping splits where both sides are big enough. */
function condense(linkage: Linkage, n: number, minClusterSize: number): Condensed {
  const root = 2 * n - 2;
  const out: Condensed = { parent: [], child: [], lambda: [], childSize: [] };
  const relabel = new Int32Array(2 * n - 1);
  relabel[root] = n;
  let nextLabel = n + 1;
  const ignore = new Uint8Array(2 * n - 1);
  const sizeOf = (node: number): number => (node < n ? 1 : linkage.size[node - n]!);
  const leaves = (node: number): number[] => {
    const found: number[] = [];
    const stack = [node];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x < n) found.push(x);
      else stack.push(linkage.left[x - n]!, linkage.right[x - n]!);
    }
    return found;
  };
  const subtree = (node: number): number[] => {
    const found: number[] = [];
    const stack = [node];
    while (stack.length > 0) {
      const x = stack.pop()!;
      found.push(x);
      if (x >= n) stack.push(linkage.left[x - n]!, linkage.right[x - n]!);
    }
    return found;
  };
  const emit = (parent: number, child: number, lambda: number, size: number): void => {
    out.parent.push(parent);
    out.child.push(child);
    out.lambda.push(lambda);
    out.childSize.push(size);
  };
  // Breadth-first from the root, as sklearn's bfs_from_hierarchy orders the walk.
  const queue = [root];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    if (node >= n) queue.push(linkage.left[node - n]!, linkage.right[node - n]!);
  }
  for (const node of queue) {
    if (node < n || ignore[node]) continue;
    const row = node - n;
    const left = linkage.left[row]!;
    const right = linkage.right[row]!;
    const d = linkage.distance[row]!;
    const lambda = d > 0 ? 1 / d : Number.POSITIVE_INFINITY;
    const leftCount = sizeOf(left);
    const rightCount = sizeOf(right);
    const parentLabel = relabel[node]!;
    if (leftCount >= minClusterSize && rightCount >= minClusterSize) {
      relabel[left] = nextLabel++;
      emit(parentLabel, relabel[left], lambda, leftCount);
      relabel[right] = nextLabel++;
      emit(parentLabel, relabel[right], lambda, rightCount);
    } else if (leftCount < minClusterSize && rightCount < minClusterSize) {
      for (const side of [left, right]) {
        for (const point of leaves(side)) emit(parentLabel, point, lambda, 1);
        for (const x of subtree(side)) ignore[x] = 1;
      }
    } else {
      const [small, big] = leftCount < minClusterSize ? [left, right] : [right, left];
      relabel[big] = parentLabel;
      for (const point of leaves(small)) emit(parentLabel, point, lambda, 1);
      for (const x of subtree(small)) ignore[x] = 1;
    }
  }
  return out;
}

/** Excess-of-mass selection (sklearn `_get_clusters` with allow_single_cluster = false). */
function selectClusters(tree: Condensed, n: number): Set<number> {
  const birth = new Map<number, number>([[n, 0]]);
  const stability = new Map<number, number>([[n, 0]]);
  const children = new Map<number, number[]>();
  for (let e = 0; e < tree.child.length; e++) {
    const child = tree.child[e]!;
    if (tree.childSize[e]! > 1) {
      birth.set(child, tree.lambda[e]!);
      stability.set(child, 0);
      const list = children.get(tree.parent[e]!) ?? [];
      list.push(child);
      children.set(tree.parent[e]!, list);
    }
  }
  for (let e = 0; e < tree.child.length; e++) {
    const parent = tree.parent[e]!;
    stability.set(
      parent,
      stability.get(parent)! + (tree.lambda[e]! - birth.get(parent)!) * tree.childSize[e]!,
    );
  }
  const isCluster = new Map<number, boolean>();
  for (const c of stability.keys()) isCluster.set(c, true);
  const descendants = (c: number): number[] => {
    const found: number[] = [];
    const stack = [...(children.get(c) ?? [])];
    while (stack.length > 0) {
      const x = stack.pop()!;
      found.push(x);
      stack.push(...(children.get(x) ?? []));
    }
    return found;
  };
  const order = [...stability.keys()].sort((a, b) => b - a).filter((c) => c !== n);
  for (const c of order) {
    const childSum = (children.get(c) ?? []).reduce((s, x) => s + stability.get(x)!, 0);
    if (childSum > stability.get(c)!) {
      isCluster.set(c, false);
      stability.set(c, childSum);
    } else for (const x of descendants(c)) isCluster.set(x, false);
  }
  return new Set(order.filter((c) => isCluster.get(c)));
}

export function hdbscan(points: Float64Array, dim: number, options: HdbscanOptions): HdbscanResult {
  const n = points.length / dim;
  const minClusterSize = options.minClusterSize;
  const minSamples = options.minSamples ?? minClusterSize;
  if (!Number.isInteger(n) || dim < 1)
    throw new Error(`hdbscan: ${points.length} values are not rows of ${dim}`);
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2)
    throw new Error(`hdbscan: minClusterSize must be an integer ≥ 2, got ${minClusterSize}`);
  if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > n)
    throw new Error(`hdbscan: minSamples must be an integer in [1, ${n}], got ${minSamples}`);
  for (let i = 0; i < points.length; i++)
    if (!Number.isFinite(points[i]!))
      throw new Error(`hdbscan: point ${Math.floor(i / dim)} has a non-finite coordinate ${i % dim}`);
  const labels = new Int32Array(n).fill(-1);
  const probabilities = new Float64Array(n);
  const core = coreDistances(points, dim, minSamples);
  if (n < 2)
    return { labels, probabilities, clusterCount: 0, prediction: emptyPrediction(points, dim, core) };
  const linkage = singleLinkage(mutualReachabilityMst(points, dim, core), n);
  const tree = condense(linkage, n, minClusterSize);
  const clusters = selectClusters(tree, n);
  const sorted = [...clusters].sort((a, b) => a - b);
  const labelOf = new Map(sorted.map((c, i) => [c, i]));
  // sklearn `_do_labelling`: union every condensed edge whose child is not a selected cluster.
  // A loop, not Math.max(...tree.child): spreading ~n arguments overflows the stack past ~10^5 points.
  let maxNode = n;
  for (let e = 0; e < tree.child.length; e += 1) maxNode = Math.max(maxNode, tree.child[e]!, tree.parent[e]!);
  maxNode += 1;
  const up = new Int32Array(maxNode).map((_, i) => i);
  const find = (x: number): number => {
    while (up[x] !== x) {
      up[x] = up[up[x]!]!;
      x = up[x]!;
    }
    return x;
  };
  for (let e = 0; e < tree.child.length; e++) {
    const child = tree.child[e]!;
    if (!clusters.has(child)) up[find(child)] = find(tree.parent[e]!);
  }
  const deathLambda = new Float64Array(n);
  for (let e = 0; e < tree.child.length; e++)
    if (tree.child[e]! < n) deathLambda[tree.child[e]!] = tree.lambda[e]!;
  const maxLambda = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const top = find(i);
    const label = labelOf.get(top);
    if (label === undefined) continue;
    labels[i] = label;
    maxLambda.set(top, Math.max(maxLambda.get(top) ?? 0, deathLambda[i]!));
  }
  for (let i = 0; i < n; i++) {
    if (labels[i]! < 0) continue;
    const most = maxLambda.get(find(i))!;
    probabilities[i] = !Number.isFinite(most) || most === 0 ? 1 : Math.min(deathLambda[i]!, most) / most;
  }
  return {
    labels,
    probabilities,
    clusterCount: sorted.length,
    prediction: predictionData(points, dim, minSamples, core, tree, n, labelOf),
  };
}

function emptyPrediction(points: Float64Array, dim: number, core: Float64Array): PredictionData {
  const n = core.length;
  return {
    points,
    dim,
    minSamples: 1,
    core,
    pointParent: new Int32Array(n).fill(n),
    pointLambda: new Float64Array(n),
    clusterParent: new Map(),
    clusterBirth: new Map(),
    root: n,
    labelOfNode: new Map(),
    maxLambdaOfNode: new Map(),
  };
}

/** hdbscan's `PredictionData.__init__`: each selected cluster's λ_max is over its own rows of the tree. */
function predictionData(
  points: Float64Array,
  dim: number,
  minSamples: number,
  core: Float64Array,
  tree: Condensed,
  n: number,
  labelOf: Map<number, number>,
): PredictionData {
  const data = emptyPrediction(points, dim, core);
  data.minSamples = minSamples;
  const children = new Map<number, number[]>();
  const ownMaxLambda = new Map<number, number>();
  for (let e = 0; e < tree.child.length; e++) {
    const parent = tree.parent[e]!;
    const child = tree.child[e]!;
    ownMaxLambda.set(parent, Math.max(ownMaxLambda.get(parent) ?? 0, tree.lambda[e]!));
    if (child < n) {
      data.pointParent[child] = parent;
      data.pointLambda[child] = tree.lambda[e]!;
    } else {
      data.clusterParent.set(child, parent);
      data.clusterBirth.set(child, tree.lambda[e]!);
      children.set(parent, [...(children.get(parent) ?? []), child]);
    }
  }
  for (const [cluster, label] of labelOf) {
    const maxLambda = ownMaxLambda.get(cluster) ?? 0;
    const stack = [cluster];
    while (stack.length > 0) {
      const node = stack.pop()!;
      data.labelOfNode.set(node, label);
      data.maxLambdaOfNode.set(node, maxLambda);
      stack.push(...(children.get(node) ?? []));
    }
  }
  return data;
}

/**
 * Labels and membership strengths of new points in a finished clustering, by the placement rule of the
 * hdbscan library's `approximate_predict`: the new point joins the tree beside its nearest fitted point
 * in mutual reachability, at λ = 1/that distance, and takes the label of the tree node it lands in —
 * the neighbour's cluster, or the ancestor still alive at that λ; its strength is λ over the cluster's
 * λ_max, capped at 1. The new point's core distance counts the point itself, as the fit's do (its
 * (minSamples − 1)-th nearest fitted point); the library instead takes its (minSamples + 1)-th, one
 * step off its own fit's convention, so the reference test passes it the consistent core distances.
 * With `minStrength`, a point whose nearest fitted point alone puts its λ too low for any cluster to
 * give it that strength is left unlabelled (−1, strength 0) without the full neighbour search: its λ is
 * at most 1/that distance, and its strength at most λ over the smallest λ_max. A million stars placed
 * among tens of thousands of young ones are mostly such.
 */
export function approximatePredict(data: PredictionData, points: Float64Array, minStrength = 0): Prediction {
  const { dim, core } = data;
  const fitted = core.length;
  const m = points.length / dim;
  if (!Number.isInteger(m))
    throw new Error(`approximatePredict: ${points.length} values are not rows of ${dim}`);
  const labels = new Int32Array(m).fill(-1);
  const probabilities = new Float64Array(m);
  const k = Math.min(2 * data.minSamples, fitted);
  if (data.labelOfNode.size === 0 || k === 0) return { labels, probabilities };
  const nearDistance = new Float64Array(k);
  const nearIndex = new Int32Array(k);
  const tree = new KdTree(data.points, dim);
  const maxLambdas = [...data.maxLambdaOfNode.values()];
  // Below this λ no cluster gives the strength asked for (widened against rounding); 0 when a cluster
  // has λ_max 0, whose members all get strength 1.
  const lambdaFloor = maxLambdas.some((l) => !(l > 0))
    ? 0
    : minStrength * Math.min(...maxLambdas) * (1 - 1e-9);
  const nearestOne = new Float64Array(1);
  const nearestOneIndex = new Int32Array(1);
  for (let i = 0; i < m; i++) {
    if (lambdaFloor > 0) {
      tree.nearest(points, i, -1, nearestOne, nearestOneIndex);
      if (1 / nearestOne[0]! < lambdaFloor) continue;
    }
    tree.nearest(points, i, -1, nearDistance, nearIndex);
    const ownCore = data.minSamples < 2 ? 0 : nearDistance[Math.min(data.minSamples - 2, k - 1)]!;
    let neighbour = nearIndex[0]!;
    let reach = Number.POSITIVE_INFINITY;
    for (let q = 0; q < k; q++) {
      const r = Math.max(core[nearIndex[q]!]!, ownCore, nearDistance[q]!);
      if (r < reach) {
        reach = r;
        neighbour = nearIndex[q]!;
      }
    }
    const lambda = reach > 0 ? 1 / reach : Number.MAX_VALUE;
    let node = data.pointParent[neighbour]!;
    if (data.pointLambda[neighbour]! > lambda)
      while (node > data.root && data.clusterBirth.get(node)! >= lambda) node = data.clusterParent.get(node)!;
    const label = data.labelOfNode.get(node);
    if (label === undefined) continue;
    labels[i] = label;
    const maxLambda = data.maxLambdaOfNode.get(node)!;
    probabilities[i] = maxLambda > 0 ? Math.min(maxLambda, lambda) / maxLambda : 1;
  }
  return { labels, probabilities };
}
