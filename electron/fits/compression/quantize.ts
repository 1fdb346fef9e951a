// Restoring floating-point pixels from quantized integers (FITS Standard 4.0, §10.2 "Quantization of
// floating-point data" with its subtractive-dithering rules, and Appendix I, the random-number
// generator; Pence, White & Seaman 2010, PASP 122, 1065, "Optimal compression of floating-point
// astronomical images without significant loss of information").
//
//   NO_DITHER             value = q·ZSCALE + ZZERO
//   SUBTRACTIVE_DITHER_1  value = (q − R_i + 0.5)·ZSCALE + ZZERO, R_i from the shared random sequence
//   SUBTRACTIVE_DITHER_2  as _1, except q = −2147483646 (ZERO_VALUE) restores an exact 0.0
//
// The random sequence is the Park & Miller (1988, CACM 31, 1192) minimal standard generator
// seed ← 16807·seed mod (2^31 − 1), seed₀ = 1, stored as 10 000 single-precision values seed/(2^31−1);
// the standard requires the 10 000th seed to be 1043618065, which `ditherRandoms` checks. Tile t
// (0-based) starts at sequence index (t + ZDITHER0 − 1) mod 10000; the offset into the table is
// floor(500·R[index]) (in single precision), and the index advances by one per pixel, re-seeding from the
// next table entry when the offset runs past the table. Arithmetic follows the reference decoder
// exactly: double-precision evaluation, one rounding to float32 for BITPIX −32 images.
//
// API:
//   ditherRandoms(): Float32Array                       the 10 000-entry table (computed once)
//   type DitherMethod = 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2'
//   parseDitherMethod(zquantiz: string | undefined): DitherMethod   (absent → NO_DITHER, §10.2; 'NONE',
//     which fpack writes for losslessly stored floats, also → NO_DITHER: such tiles carry no ZSCALE)
//   unquantizeTile(quantized, options, output: Float32Array | Float64Array): void
//     options = { scale, zero, method, tileIndex (0-based), ditherSeed (ZDITHER0), blank? }
//     pixels equal to `blank` become NaN; the dither sequence still advances over them.

export type DitherMethod = 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2';

const RANDOM_COUNT = 10000;
const PARK_MILLER_A = 16807;
const PARK_MILLER_M = 2147483647;
const PARK_MILLER_CHECK = 1043618065;
/** Quantized value that SUBTRACTIVE_DITHER_2 reserves for pixels that were exactly zero. */
export const ZERO_VALUE = -2147483646;

let randoms: Float32Array | undefined;

export function ditherRandoms(): Float32Array {
  if (randoms) return randoms;
  const table = new Float32Array(RANDOM_COUNT);
  let seed = 1;
  for (let i = 0; i < RANDOM_COUNT; i++) {
    const product = PARK_MILLER_A * seed;
    seed = product - PARK_MILLER_M * Math.trunc(product / PARK_MILLER_M);
    table[i] = seed / PARK_MILLER_M;
  }
  if (seed !== PARK_MILLER_CHECK)
    throw new Error('dither random sequence is wrong (10000th seed check failed)');
  randoms = table;
  return table;
}

export function parseDitherMethod(zquantiz: string | undefined): DitherMethod {
  const value = (zquantiz ?? 'NO_DITHER').trim().toUpperCase();
  if (value === 'NONE') return 'NO_DITHER';
  if (value === 'NO_DITHER' || value === 'SUBTRACTIVE_DITHER_1' || value === 'SUBTRACTIVE_DITHER_2')
    return value;
  throw new Error(
    `unknown quantization method '${zquantiz ?? ''}' (expected NO_DITHER or SUBTRACTIVE_DITHER_1/2)`,
  );
}

export interface UnquantizeOptions {
  scale: number;
  zero: number;
  method: DitherMethod;
  /** 0-based tile (row) number in the compressed table. */
  tileIndex: number;
  /** ZDITHER0. */
  ditherSeed: number;
  /** Quantized value marking undefined pixels (ZBLANK), if any. */
  blank?: number | undefined;
}

type QuantizedValues = ArrayLike<number>;

export function unquantizeTile(
  quantized: QuantizedValues,
  options: UnquantizeOptions,
  output: Float32Array | Float64Array,
): void {
  const { scale, zero, method, blank } = options;
  const count = quantized.length;
  if (method === 'NO_DITHER') {
    for (let i = 0; i < count; i++) {
      const q = quantized[i]!;
      output[i] = q === blank ? NaN : q * scale + zero;
    }
    return;
  }
  const table = ditherRandoms();
  const start = (((options.tileIndex + options.ditherSeed - 1) % RANDOM_COUNT) + RANDOM_COUNT) % RANDOM_COUNT;
  let seedIndex = start;
  let next = Math.floor(Math.fround(table[seedIndex]! * 500));
  const keepZeros = method === 'SUBTRACTIVE_DITHER_2';
  for (let i = 0; i < count; i++) {
    const q = quantized[i]!;
    if (q === blank) output[i] = NaN;
    else if (keepZeros && q === ZERO_VALUE) output[i] = 0;
    else output[i] = (q - table[next]! + 0.5) * scale + zero;
    next++;
    if (next === RANDOM_COUNT) {
      seedIndex = (seedIndex + 1) % RANDOM_COUNT;
      next = Math.floor(Math.fround(table[seedIndex]! * 500));
    }
  }
}
