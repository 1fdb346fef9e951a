// The least a header must offer to the codec and WCS modules: keyword lookup. electron/fits/header.ts's
// Header satisfies it, and so does a plain Map, which keeps those modules testable on their own.
export interface KeywordSource {
  get(keyword: string): unknown;
}

/** A numeric keyword value as a number (bigints converted), or undefined for absent/non-numeric. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** A keyword value as text for error messages (complex values as JSON). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value) ?? 'undefined';
}
