// The card's per-variable maps between physical units and the network's space
// (native-models/cradle_models/variables.py): z = (transform(value) − mean) / std, an uncertainty
// carried to first order, err_z = err · |d transform / d value| / std, and the inverse for samples.
import type { CardVariable } from './card.ts';

/** Physical value → network space; NaN when the transform is undefined there (log10 of ≤ 0). */
export function toNetwork(v: CardVariable, value: number): number {
  const y = v.transform.kind === 'log10' ? Math.log10(value + v.transform.offset) : value;
  return Number.isFinite(y) ? (y - v.mean) / v.std : Number.NaN;
}

/** An uncertainty in physical units → network space (first order); 0 means "none". */
export function errorToNetwork(v: CardVariable, value: number, err: number): number {
  if (!(err > 0) || !Number.isFinite(err)) return 0;
  const slope = v.transform.kind === 'log10' ? 1 / ((value + v.transform.offset) * Math.LN10) : 1;
  const e = (err * Math.abs(slope)) / v.std;
  return Number.isFinite(e) ? e : 0;
}

/** Network space → physical value. */
export function toPhysical(v: CardVariable, z: number): number {
  const y = z * v.std + v.mean;
  return v.transform.kind === 'log10' ? 10 ** y - v.transform.offset : y;
}
