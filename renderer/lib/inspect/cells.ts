// Table cells as text: single-precision columns (TFORM E, C) in the shortest decimal that reads
// back to the same float32 — what the file holds, not the float64 expansion of it — nulls as "—",
// logicals as T/F, vectors as their length and first elements.
import type { JsonCell } from '../../../electron/api/inspect.ts';

/** The shortest decimal form of a float32 value (at most 9 significant digits). */
export function float32Text(value: number): string {
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

export function cellText(value: JsonCell, single: boolean): string {
  if (value === null) return '—';
  if (Array.isArray(value)) {
    const head = value.slice(0, 3).map((element) => cellText(element, single));
    return `[${value.length}] ${head.join(', ')}${value.length > 3 ? ', …' : ''}`;
  }
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number' && single) return float32Text(value);
  return String(value);
}

/** Whether a TFORM stores single-precision floats (E, or complex C), also as P/Q array elements. */
export function isSinglePrecision(format: string): boolean {
  return /^\s*\d*\s*[PQ]?\s*[EC]/i.test(format);
}
