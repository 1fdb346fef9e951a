// What every spectrum loader returns, and the rules shared by them: uncertainty from inverse variance
// (σ = 1/√ivar, undefined where ivar ≤ 0 or not finite) and the bad-pixel mask.
//
// API:
//   interface Spectrum1D { wavelength, flux, uncertainty: Float64Array; mask: Uint8Array (1 = bad);
//     units: { wavelength: string; flux: string }; medium: 'vacuum' | 'air' | undefined;
//     wavelengthSource: string; source: { file: string; hdu: number; layout: string };
//     andMask?: Int32Array; orMask?: Int32Array }
//   toFloat64(values: NumericArray): Float64Array          (int64 images converted with Number)
//   uncertaintyFromIvar(ivar: ArrayLike<number>): Float64Array
//   badPixelMask(flux, ivar?, andMask?): Uint8Array
//     bad = flux not finite, or ivar ≤ 0 / not finite (when given), or andMask ≠ 0 (when given)
import type { NumericArray } from '../decode.ts';

export interface Spectrum1D {
  wavelength: Float64Array;
  flux: Float64Array;
  /** 1σ flux uncertainty; NaN where the file gives none. */
  uncertainty: Float64Array;
  /** 1 where the pixel must not be used. */
  mask: Uint8Array;
  units: { wavelength: string; flux: string };
  medium: 'vacuum' | 'air' | undefined;
  /** Where the wavelengths came from (a data row, a column, or a header convention). */
  wavelengthSource: string;
  source: { file: string; hdu: number; layout: string };
  /** Survey bit masks (LAMOST/SDSS ANDMASK and ORMASK), when the file has them. */
  andMask?: Int32Array;
  orMask?: Int32Array;
}

export function toFloat64(values: NumericArray): Float64Array {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array)
    return Float64Array.from(values, Number);
  return Float64Array.from(values);
}

export function uncertaintyFromIvar(ivar: ArrayLike<number>): Float64Array {
  const out = new Float64Array(ivar.length);
  for (let i = 0; i < ivar.length; i++) {
    const v = ivar[i]!;
    out[i] = v > 0 && Number.isFinite(v) ? 1 / Math.sqrt(v) : NaN;
  }
  return out;
}

export function badPixelMask(
  flux: ArrayLike<number>,
  ivar?: ArrayLike<number>,
  andMask?: ArrayLike<number>,
): Uint8Array {
  const mask = new Uint8Array(flux.length);
  for (let i = 0; i < flux.length; i++) {
    const badIvar = ivar !== undefined && !(ivar[i]! > 0 && Number.isFinite(ivar[i]!));
    const badBits = andMask !== undefined && andMask[i] !== 0;
    mask[i] = !Number.isFinite(flux[i]!) || badIvar || badBits ? 1 : 0;
  }
  return mask;
}
