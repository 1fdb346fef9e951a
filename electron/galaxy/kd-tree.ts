// Exact k-nearest-neighbour search over a fixed set of points in a few dimensions (HDBSCAN's core
// distances and its placement of new points, hdbscan.ts), through a k-d tree (Bentley 1975; Friedman,
// Bentley & Finkel 1977: split at the median of the widest axis, visit the nearer child first, skip a
// node whose box lies farther than the current k-th distance). Written here because the npm k-d trees
// answer radius queries over arrays of objects (@thi.ng/geom-accel) or are unmaintained, and the
// Galaxy view places a million stars among tens of thousands of young ones: a scan of every point per
// query took ~9 minutes at that size. The answer is the scan's, ties included: the k smallest by
// (distance, index).

const LEAF_SIZE = 12;

export class KdTree {
  readonly dim: number;
  private readonly points: Float64Array;
  /** Point indices, permuted so that every node's points are a contiguous range. */
  private readonly order: Int32Array;
  private readonly nodeStart: number[] = [];
  private readonly nodeEnd: number[] = [];
  /** Children of an inner node (−1 for a leaf). */
  private readonly nodeLeft: number[] = [];
  private readonly nodeRight: number[] = [];
  /** Per node, its points' bounding box: dim minima then dim maxima. */
  private readonly boxes: number[] = [];
  /** The points in tree order (row i is point order[i]), so a leaf's points are read in sequence. */
  private readonly sorted: Float64Array;

  constructor(points: Float64Array, dim: number) {
    this.dim = dim;
    this.points = points;
    const n = points.length / dim;
    if (!Number.isInteger(n)) throw new Error(`k-d tree: ${points.length} values are not rows of ${dim}`);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    if (n > 0) this.build(0, n);
    this.sorted = new Float64Array(points.length);
    this.order.forEach((j, i) => this.sorted.set(points.subarray(j * dim, (j + 1) * dim), i * dim));
  }

  private build(start: number, end: number): number {
    const node = this.nodeStart.length;
    const { dim, points, order } = this;
    this.nodeStart.push(start);
    this.nodeEnd.push(end);
    this.nodeLeft.push(-1);
    this.nodeRight.push(-1);
    const box = new Array<number>(2 * dim);
    for (let c = 0; c < dim; c++) {
      box[c] = Number.POSITIVE_INFINITY;
      box[dim + c] = Number.NEGATIVE_INFINITY;
    }
    for (let i = start; i < end; i++) {
      const p = order[i]! * dim;
      for (let c = 0; c < dim; c++) {
        const x = points[p + c]!;
        if (x < box[c]!) box[c] = x;
        if (x > box[dim + c]!) box[dim + c] = x;
      }
    }
    this.boxes.push(...box);
    if (end - start <= LEAF_SIZE) return node;
    let axis = 0;
    for (let c = 1; c < dim; c++) if (box[dim + c]! - box[c]! > box[dim + axis]! - box[axis]!) axis = c;
    if (!(box[dim + axis]! > box[axis]!)) return node;
    const middle = (start + end) >> 1;
    this.select(start, end, middle, axis);
    const left = this.build(start, middle);
    const right = this.build(middle, end);
    this.nodeLeft[node] = left;
    this.nodeRight[node] = right;
    return node;
  }

  /** Reorders order[start, end) so that the point at `k` has its sorted place on `axis` (Hoare's
   * selection), smaller ones before it and larger ones after. */
  private select(start: number, end: number, k: number, axis: number): void {
    const { dim, points, order } = this;
    const value = (i: number): number => points[order[i]! * dim + axis]!;
    let lo = start;
    let hi = end - 1;
    while (lo < hi) {
      const pivot = value((lo + hi) >> 1);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (value(i) < pivot) i++;
        while (value(j) > pivot) j--;
        if (i <= j) {
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /** Squared distance from row q of `query` to node's box (0 inside it): a sum of the same or smaller
   * terms than any of its points' squared distance, so never more than theirs. */
  private boxDistanceSq(node: number, query: Float64Array, q: number): number {
    const { dim, boxes } = this;
    const base = 2 * dim * node;
    let s = 0;
    for (let c = 0; c < dim; c++) {
      const x = query[q * dim + c]!;
      const lo = boxes[base + c]!;
      const hi = boxes[base + dim + c]!;
      const d = x < lo ? lo - x : x > hi ? x - hi : 0;
      s += d * d;
    }
    return s;
  }

  /**
   * The k points nearest to row q of `query` (k = nearDistance.length), skipping point `skip` (−1:
   * none): distances ascending into `nearDistance`, indices into `nearIndex`; equal distances in index
   * order; slots beyond the points there are stay +∞.
   */
  nearest(
    query: Float64Array,
    q: number,
    skip: number,
    nearDistance: Float64Array,
    nearIndex: Int32Array,
  ): void {
    const k = nearDistance.length;
    nearDistance.fill(Number.POSITIVE_INFINITY);
    nearIndex.fill(-1);
    if (this.nodeStart.length === 0 || k === 0) return;
    const { dim, sorted, order } = this;
    // Candidates are compared by squared distance against the k-th distance squared, widened so that
    // rounding never drops one whose distance (a square root, as the scan compares) would tie or win.
    let worstSq = Number.POSITIVE_INFINITY;
    const stack: number[] = [0];
    const stackDistance: number[] = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const bound = stackDistance.pop()!;
      if (bound > worstSq) continue;
      const left = this.nodeLeft[node]!;
      if (left < 0) {
        for (let i = this.nodeStart[node]!; i < this.nodeEnd[node]!; i++) {
          let s = 0;
          for (let c = 0; c < dim; c++) {
            const d = query[q * dim + c]! - sorted[i * dim + c]!;
            s += d * d;
          }
          if (s > worstSq) continue;
          const j = order[i]!;
          if (j === skip) continue;
          const d = Math.sqrt(s);
          const worst = nearDistance[k - 1]!;
          if (d > worst || (d === worst && j > nearIndex[k - 1]! && nearIndex[k - 1]! >= 0)) continue;
          let p = k - 1;
          while (
            p > 0 &&
            (nearDistance[p - 1]! > d || (nearDistance[p - 1] === d && nearIndex[p - 1]! > j))
          ) {
            nearDistance[p] = nearDistance[p - 1]!;
            nearIndex[p] = nearIndex[p - 1]!;
            p--;
          }
          nearDistance[p] = d;
          nearIndex[p] = j;
          const last = nearDistance[k - 1]!;
          worstSq = last * last * (1 + 1e-9);
        }
        continue;
      }
      const right = this.nodeRight[node]!;
      const dl = this.boxDistanceSq(left, query, q);
      const dr = this.boxDistanceSq(right, query, q);
      // Pushed last, popped first: the nearer child.
      if (dl <= dr) {
        stack.push(right, left);
        stackDistance.push(dr, dl);
      } else {
        stack.push(left, right);
        stackDistance.push(dl, dr);
      }
    }
  }
}
