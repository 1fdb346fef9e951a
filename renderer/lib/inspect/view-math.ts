// Image-view geometry: fitting an image in the canvas, zooming about a point, which pyramid level
// suits a zoom, and which tiles of that level cover the visible part of the image.
import type { View } from './image-gl.ts';

/** Largest side, in texels, of the overview tile that is always loaded. */
export const OVERVIEW_SIDE = 1024;
/** Side of a detail tile, in texels of its level. */
export const TILE_SIDE = 512;

export function overviewLevel(width: number, height: number): number {
  return Math.max(0, Math.ceil(Math.log2(Math.max(width, height) / OVERVIEW_SIDE)));
}

export function fitView(width: number, height: number, canvasWidth: number, canvasHeight: number): View {
  const zoom = Math.min(canvasWidth / width, canvasHeight / height) * 0.98;
  return { zoom, panX: (canvasWidth - width * zoom) / 2, panY: (canvasHeight - height * zoom) / 2 };
}

/** The view with pixel scale `zoom`, keeping the image point under canvas point (cx, cy) fixed. */
export function zoomAbout(view: View, zoom: number, cx: number, cy: number): View {
  const clamped = Math.min(256, Math.max(1 / 256, zoom));
  const ix = (cx - view.panX) / view.zoom;
  const iy = (cy - view.panY) / view.zoom;
  return { zoom: clamped, panX: cx - ix * clamped, panY: cy - iy * clamped };
}

/** The level whose texels are at least as fine as canvas pixels (0 = full resolution). */
export function levelFor(zoom: number, maxLevel: number): number {
  return Math.min(maxLevel, Math.max(0, Math.floor(Math.log2(1 / zoom))));
}

export interface TileKey {
  level: number;
  tx: number;
  ty: number;
}

/** The detail tiles of `level` that cover the visible rectangle of a width × height image. */
export function visibleTiles(
  view: View,
  canvasWidth: number,
  canvasHeight: number,
  width: number,
  height: number,
  level: number,
): TileKey[] {
  const span = TILE_SIDE * 2 ** level;
  const x0 = Math.max(0, -view.panX / view.zoom);
  const x1 = Math.min(width, (canvasWidth - view.panX) / view.zoom);
  const y0 = Math.max(0, -view.panY / view.zoom);
  const y1 = Math.min(height, (canvasHeight - view.panY) / view.zoom);
  const tiles: TileKey[] = [];
  if (x1 <= x0 || y1 <= y0) return tiles;
  for (let ty = Math.floor(y0 / span); ty * span < y1; ty++) {
    for (let tx = Math.floor(x0 / span); tx * span < x1; tx++) tiles.push({ level, tx, ty });
  }
  return tiles;
}

/** The image pixel (0-based column, row) under canvas point (cx, cy), y up; null outside. */
export function pixelAt(
  view: View,
  cx: number,
  cy: number,
  width: number,
  height: number,
): [number, number] | null {
  const x = Math.floor((cx - view.panX) / view.zoom);
  const y = Math.floor((cy - view.panY) / view.zoom);
  return x >= 0 && y >= 0 && x < width && y < height ? [x, y] : null;
}
