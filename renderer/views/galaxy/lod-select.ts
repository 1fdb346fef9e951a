// Which octree nodes to draw (Potree's traversal, Schütz 2016 §3.3): nodes are taken largest
// projected size first — the size of the node's cube on screen, in pixels — until the point budget is
// spent, and a node's children are candidates only once the node is taken, so what is drawn is always a
// tree from the root down and thins out evenly with distance from the camera.
import type { GalaxyOctree } from '../../../electron/api/galaxy.ts';

export interface ViewPoint {
  /** Camera position, pc. */
  position: [number, number, number];
  /** Vertical field of view, radians, and the canvas height in pixels. */
  fovRad: number;
  heightPx: number;
}

/** Projected size (px) of a node's cube; infinite when the camera is inside it. */
export function projectedSize(octree: GalaxyOctree, node: number, view: ViewPoint): number {
  const c = octree.nodeCube;
  const size = c[4 * node + 3]!;
  const dx = c[4 * node]! + size / 2 - view.position[0];
  const dy = c[4 * node + 1]! + size / 2 - view.position[1];
  const dz = c[4 * node + 2]! + size / 2 - view.position[2];
  const radius = (size * Math.sqrt(3)) / 2;
  const distance = Math.hypot(dx, dy, dz);
  if (distance <= radius) return Number.POSITIVE_INFINITY;
  return (radius / distance) * (view.heightPx / 2 / Math.tan(view.fovRad / 2));
}

/** The nodes to draw within `pointBudget` points, largest on screen first; the root is always drawn. */
export function selectNodes(octree: GalaxyOctree, view: ViewPoint, pointBudget: number): number[] {
  const count = octree.nodeStart.length;
  if (count === 0) return [];
  const chosen: number[] = [];
  // A binary max-heap of [priority, node].
  const heap: [number, number][] = [[Number.POSITIVE_INFINITY, 0]];
  const push = (item: [number, number]): void => {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (heap[up]![0] >= heap[i]![0]) break;
      [heap[up], heap[i]] = [heap[i]!, heap[up]!];
      i = up;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < heap.length && heap[l]![0] > heap[best]![0]) best = l;
        if (r < heap.length && heap[r]![0] > heap[best]![0]) best = r;
        if (best === i) break;
        [heap[best], heap[i]] = [heap[i]!, heap[best]!];
        i = best;
      }
    }
    return top;
  };
  let points = 0;
  while (heap.length > 0) {
    const [, node] = pop();
    const size = octree.nodePoints[node]!;
    if (chosen.length > 0 && points + size > pointBudget) continue;
    chosen.push(node);
    points += size;
    const first = octree.nodeFirstChild[node]!;
    for (let c = 0; c < octree.nodeChildCount[node]!; c++)
      push([projectedSize(octree, first + c, view), first + c]);
  }
  return chosen;
}
