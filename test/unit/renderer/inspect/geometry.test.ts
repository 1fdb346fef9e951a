// Image-view geometry (fit, zoom about a point, pyramid level, visible tiles, pixel under the
// pointer) and the table's virtual scrolling (first row for a scroll position, the last row
// reachable however many rows, the row windows to fetch); table cells as text.
import { describe, expect, it } from 'vitest';
import { cellText, float32Text, isSinglePrecision } from '../../../../renderer/lib/inspect/cells.ts';
import {
  firstRowAt,
  MAX_SCROLL_HEIGHT,
  ROW_HEIGHT,
  scrollHeight,
  scrollTopFor,
  windowsFor,
} from '../../../../renderer/lib/inspect/table-window.ts';
import {
  fitView,
  levelFor,
  overviewLevel,
  pixelAt,
  TILE_SIDE,
  visibleTiles,
  zoomAbout,
} from '../../../../renderer/lib/inspect/view-math.ts';

describe('image view geometry', () => {
  it('fits an image and keeps the point under the pointer when zooming', () => {
    const view = fitView(4096, 2048, 1000, 800);
    expect(view.zoom).toBeCloseTo((1000 / 4096) * 0.98, 12);
    const zoomed = zoomAbout(view, view.zoom * 4, 300, 200);
    const before = [(300 - view.panX) / view.zoom, (200 - view.panY) / view.zoom];
    const after = [(300 - zoomed.panX) / zoomed.zoom, (200 - zoomed.panY) / zoomed.zoom];
    expect(after[0]).toBeCloseTo(before[0]!, 9);
    expect(after[1]).toBeCloseTo(before[1]!, 9);
  });

  it('picks the coarsest level that is still as fine as the screen', () => {
    expect(overviewLevel(4096, 4096)).toBe(2);
    expect(overviewLevel(1000, 20)).toBe(0);
    expect(levelFor(0.25, 2)).toBe(2);
    expect(levelFor(0.3, 2)).toBe(1);
    expect(levelFor(2, 2)).toBe(0);
  });

  it('lists the tiles that cover the visible part only', () => {
    // Visible: x 600–1100, y 100–600 of a 4096² image at level 0 (512-pixel tiles).
    const view = { zoom: 1, panX: -600, panY: -100 };
    const tiles = visibleTiles(view, 500, 500, 4096, 4096, 0);
    expect(tiles.map((t) => [t.tx, t.ty])).toEqual([
      [1, 0],
      [2, 0],
      [1, 1],
      [2, 1],
    ]);
    expect(TILE_SIDE).toBe(512);
    expect(visibleTiles({ zoom: 1, panX: 5000, panY: 0 }, 500, 500, 4096, 4096, 0)).toEqual([]);
  });

  it('reads the pixel under the pointer, y up, and nothing outside the image', () => {
    const view = { zoom: 10, panX: 5, panY: 7 };
    expect(pixelAt(view, 5 + 10 * 3.5, 7 + 10 * 2.5, 20, 21)).toEqual([3, 2]);
    expect(pixelAt(view, 0, 0, 20, 21)).toBeNull();
  });
});

describe('table virtual scrolling', () => {
  it('caps the scroll height and still reaches the last row', () => {
    const rows = 1_000_000;
    expect(scrollHeight(rows)).toBe(Math.min(rows * ROW_HEIGHT, MAX_SCROLL_HEIGHT));
    const viewport = 600;
    const visible = Math.floor(viewport / ROW_HEIGHT);
    expect(firstRowAt(0, rows, viewport)).toBe(0);
    expect(firstRowAt(scrollHeight(rows) - viewport, rows, viewport)).toBe(rows - visible);
    const top = scrollTopFor(500_000, rows, viewport);
    expect(Math.abs(firstRowAt(top, rows, viewport) - 500_000)).toBeLessThanOrEqual(1);
  });

  it('maps one pixel to one row when the table fits under the cap', () => {
    expect(firstRowAt(ROW_HEIGHT * 40, 1000, 600)).toBe(40);
  });

  it('names the windows that hold the shown rows', () => {
    expect(windowsFor(95, 30, 1000)).toEqual([0, 1]);
    expect(windowsFor(990, 30, 1000)).toEqual([9]);
  });
});

describe('table cells', () => {
  it('writes float32 values in their shortest exact decimal', () => {
    expect(float32Text(Math.fround(10.00025))).toBe('10.00025');
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(cellText(Math.fround(-1.45), true)).toBe('-1.45');
    expect(cellText(Math.fround(-1.45), false)).toBe(String(Math.fround(-1.45)));
    expect(cellText([1, 2, 3, 4], false)).toBe('[4] 1, 2, 3, …');
    expect(cellText(null, true)).toBe('—');
    expect([
      isSinglePrecision('1E'),
      isSinglePrecision('PE(10)'),
      isSinglePrecision('D'),
      isSinglePrecision('20A'),
    ]).toEqual([true, true, false, false]);
  });
});
