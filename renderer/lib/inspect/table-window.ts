// Virtual scrolling of a table far taller than a browser can lay out: the scroll bar's range is
// capped, and scroll position maps proportionally onto the first row shown, so the last row stays
// reachable whatever the row count. Rows are fetched in fixed windows and cached by window.

export const ROW_HEIGHT = 26;
export const WINDOW_ROWS = 100;
/** Under every browser's limit on an element's height (Firefox ≈ 17.9 M px). */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export function scrollHeight(rows: number): number {
  return Math.min(rows * ROW_HEIGHT, MAX_SCROLL_HEIGHT);
}

/** The first row shown for a scroll position. */
export function firstRowAt(scrollTop: number, rows: number, viewportHeight: number): number {
  const visible = Math.floor(viewportHeight / ROW_HEIGHT);
  const lastFirst = Math.max(0, rows - visible);
  const scrollRange = scrollHeight(rows) - viewportHeight;
  if (scrollRange <= 0) return 0;
  return Math.min(lastFirst, Math.max(0, Math.round((scrollTop / scrollRange) * lastFirst)));
}

/** The scroll position that shows `row` first. */
export function scrollTopFor(row: number, rows: number, viewportHeight: number): number {
  const visible = Math.floor(viewportHeight / ROW_HEIGHT);
  const lastFirst = Math.max(0, rows - visible);
  const scrollRange = Math.max(0, scrollHeight(rows) - viewportHeight);
  return lastFirst === 0 ? 0 : (Math.min(row, lastFirst) / lastFirst) * scrollRange;
}

/** The windows that hold rows [first, first + count). */
export function windowsFor(first: number, count: number, rows: number): number[] {
  const last = Math.min(rows, first + count) - 1;
  const out: number[] = [];
  for (let w = Math.floor(first / WINDOW_ROWS); w * WINDOW_ROWS <= last; w++) out.push(w);
  return out;
}
