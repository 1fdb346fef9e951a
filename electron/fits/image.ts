// Image data (FITS 4.0 §5.3–§5.4): BITPIX storage, BSCALE/BZERO to physical values, BLANK to NaN,
// the unsigned-integer BZERO convention, 64-bit integers kept exact, cubes in numpy order (slowest
// axis first). Output types follow astropy.io.fits (hdu/image.py `_dtype_for_bitpix`, `_scale_data`):
// scaled 8/16-bit integers become float32 (arithmetic in float32), scaled 32/64-bit become float64.
import { BITPIX_STORAGE, STORAGE_BYTES, decodeBigEndian, flipSign } from './decode.ts';
import type { NumericArray, StorageCode } from './decode.ts';
import type { FitsFile } from './file.ts';
import { imageShape } from './hdu.ts';
import type { Hdu } from './hdu.ts';
import type { Header } from './header.ts';
import { withContext } from './errors.ts';

export type ImageKind = 'raw' | 'unsigned' | 'float32' | 'float64';

export interface ImageLayout {
  bitpix: number;
  code: StorageCode;
  shape: number[];
  count: number;
  bscale: number;
  bzero: number;
  blank: bigint | undefined;
  kind: ImageKind;
}

export interface ImageData {
  shape: number[];
  data: NumericArray;
}

export type PixelValue = number | bigint | null;

export function imageLayout(file: FitsFile, hdu: Hdu): ImageLayout {
  return withContext({ file: file.path, hdu: hdu.index, hduName: hdu.name || undefined }, () => {
    const header = hdu.header;
    const bitpix = header.integer('BITPIX');
    const blank = bitpix > 0 ? header.optionalBigInteger('BLANK') : undefined;
    return scaledLayout(header, bitpix, imageShape(header), blank);
  });
}

/** The layout of an image of `bitpix` and `shape` scaled by the header's BSCALE/BZERO. */
export function scaledLayout(
  header: Header,
  bitpix: number,
  shape: number[],
  blank: bigint | undefined,
): ImageLayout {
  const code = BITPIX_STORAGE[bitpix]!;
  const count = shape.length === 0 ? 0 : shape.reduce((a, b) => a * b, 1);
  const bscale = header.optionalNumber('BSCALE') ?? 1;
  const bzero = header.optionalNumber('BZERO') ?? 0;
  let kind: ImageKind = 'raw';
  const unsignedZero = bitpix === 8 ? -128 : 2 ** (bitpix - 1);
  if (bscale === 1 && bitpix > 0 && bzero === unsignedZero && isExactZero(header.get('BZERO'), bitpix)) {
    kind = 'unsigned';
  } else if (bscale !== 1 || bzero !== 0 || blank !== undefined) {
    kind = bitpix === -64 || bitpix > 16 ? 'float64' : 'float32';
  }
  return { bitpix, code, shape, count, bscale, bzero, blank, kind };
}

/** BZERO = 2^63 must be written exactly (9223372036854775808) to mean unsigned 64-bit. */
function isExactZero(value: unknown, bitpix: number): boolean {
  if (bitpix !== 64) return true;
  return typeof value === 'bigint' ? value === 2n ** 63n : value === 2 ** 63;
}

/** Physical values of `count` pixels from their big-endian bytes. */
export function decodePixels(layout: ImageLayout, bytes: Uint8Array, count: number): NumericArray {
  return scalePixels(layout, decodeBigEndian(bytes, layout.code, count));
}

/** Physical values from stored values already in native order (the array may be reused). */
export function scalePixels(layout: ImageLayout, raw: NumericArray): NumericArray {
  if (layout.kind === 'raw') return raw;
  if (layout.kind === 'unsigned') return flipSign(raw);
  const count = raw.length;
  const out = layout.kind === 'float32' ? new Float32Array(count) : new Float64Array(count);
  const { bscale, bzero } = layout;
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    const blank = layout.blank;
    for (let i = 0; i < count; i += 1) {
      const v = raw[i]!;
      out[i] = blank !== undefined && v === blank ? NaN : Number(v) * bscale + bzero;
    }
    return out;
  }
  const numeric = raw;
  const blank = layout.blank === undefined ? undefined : Number(layout.blank);
  if (layout.kind === 'float32') {
    // astropy: np.array(raw, float32); data *= bscale; data += bzero — each step rounded to float32.
    const s = Math.fround(bscale);
    const z = Math.fround(bzero);
    for (let i = 0; i < count; i += 1) {
      const v = numeric[i]!;
      if (v === blank) out[i] = NaN;
      else {
        let x = Math.fround(v);
        if (bscale !== 1) x = Math.fround(x * s);
        if (bzero !== 0) x = Math.fround(x + z);
        out[i] = x;
      }
    }
  } else {
    for (let i = 0; i < count; i += 1) {
      const v = numeric[i]!;
      out[i] = v === blank ? NaN : v * bscale + bzero;
    }
  }
  return out;
}

/** The whole image as physical values (checked against the file's length before allocating). */
export function readImage(file: FitsFile, hdu: Hdu): ImageData {
  const layout = imageLayout(file, hdu);
  file.checkDataPresent(hdu);
  if (layout.count === 0) return { shape: layout.shape, data: new Float64Array(0) };
  const bytes = file.readData(hdu, 0, layout.count * STORAGE_BYTES[layout.code]);
  return { shape: layout.shape, data: decodePixels(layout, bytes, layout.count) };
}

/** One pixel by its indices (slowest axis first), reading only its bytes. */
export function readPixel(file: FitsFile, hdu: Hdu, layout: ImageLayout, at: number[]): PixelValue {
  if (at.length !== layout.shape.length) {
    throw file.error(
      hdu,
      `pixel index [${at.join(',')}] has ${at.length} axes, the image has ${layout.shape.length}`,
    );
  }
  let flat = 0;
  for (let axis = 0; axis < at.length; axis += 1) {
    const i = at[axis]!;
    const n = layout.shape[axis]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw file.error(
        hdu,
        `pixel index [${at.join(',')}] is outside the image shape [${layout.shape.join(',')}]`,
      );
    }
    flat = flat * n + i;
  }
  const width = STORAGE_BYTES[layout.code];
  const value = decodePixels(layout, file.readData(hdu, flat * width, width), 1)[0]!;
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  return value;
}

export interface ImageStats {
  shape: number[];
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  nan: number;
}

const STATS_CHUNK_BYTES = 1 << 23;

/** Running min/max/sum/NaN count over image values (exact for 64-bit integers). */
class PixelAccumulator {
  private min = Infinity;
  private max = -Infinity;
  private bigMin: bigint | undefined;
  private bigMax: bigint | undefined;
  private sum = 0;
  private valid = 0;
  private nan = 0;

  add(values: NumericArray): void {
    const n = values.length;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      for (let i = 0; i < n; i += 1) {
        const v = values[i]!;
        if (this.bigMin === undefined || v < this.bigMin) this.bigMin = v;
        if (this.bigMax === undefined || v > this.bigMax) this.bigMax = v;
        this.sum += Number(v);
      }
      this.valid += n;
      return;
    }
    let { min, max, sum, valid, nan } = this;
    for (let i = 0; i < n; i += 1) {
      const v = values[i]!;
      if (v !== v) {
        nan += 1;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      valid += 1;
    }
    Object.assign(this, { min, max, sum, valid, nan });
  }

  result(shape: number[]): ImageStats {
    const { valid, nan } = this;
    if (this.bigMin !== undefined && this.bigMax !== undefined) {
      return { shape, min: this.bigMin.toString(), max: this.bigMax.toString(), mean: this.sum / valid, nan };
    }
    if (valid === 0) return { shape, min: null, max: null, mean: null, nan };
    return { shape, min: this.min, max: this.max, mean: this.sum / valid, nan };
  }
}

/** min/max/mean/NaN count over the image, streamed in chunks (memory bounded by the chunk). */
export function imageStats(file: FitsFile, hdu: Hdu): ImageStats {
  const layout = imageLayout(file, hdu);
  file.checkDataPresent(hdu);
  const width = STORAGE_BYTES[layout.code];
  const perChunk = Math.max(1, Math.floor(STATS_CHUNK_BYTES / width));
  const accumulator = new PixelAccumulator();
  for (let start = 0; start < layout.count; start += perChunk) {
    const n = Math.min(perChunk, layout.count - start);
    accumulator.add(decodePixels(layout, file.readData(hdu, start * width, n * width), n));
  }
  return accumulator.result(layout.shape);
}

/** The same statistics over values already in memory. */
export function arrayStats(shape: number[], values: NumericArray): ImageStats {
  const accumulator = new PixelAccumulator();
  accumulator.add(values);
  return accumulator.result(shape);
}
