// RICE_1 tile decoding (FITS Standard 4.0, §10.4.1; the algorithm of Rice, Yeh & Miller 1993 as used by
// cfitsio's fits_rdecomp*, described in Pence, Seaman & White 2009, PASP 121, 414). Written here because
// no maintained JavaScript package decodes the FITS flavour of Rice coding.
//
// Stream layout: the first pixel as a BYTEPIX-byte big-endian integer, then blocks of BLOCKSIZE pixel
// differences. Each block starts with an FS code of fsBits bits: 0 means every difference in the block is
// zero, fsMax+1 means the differences are stored verbatim in 8·BYTEPIX bits, otherwise each difference is
// a unary-coded high part followed by FS = code−1 low bits. Differences are zig-zag mapped (even m → m/2,
// odd m → −(m+1)/2) and accumulated modulo 2^(8·BYTEPIX), as the C decoder does with unsigned integers.
//
// API:
//   decodeRice(bytes: Uint8Array, pixelCount: number, blockSize: number, bytePix: 1 | 2 | 4)
//     → Uint8Array (BYTEPIX 1) | Int16Array (2) | Int32Array (4)
//   Throws Error on truncated streams or bad parameters; the tile assembler adds the tile number.
import { TruncatedStreamError } from './bit-reader.ts';

export type RiceBytePix = 1 | 2 | 4;

interface RiceLayout {
  /** Bits of the per-block FS code. */
  fsBits: number;
  /** FS code value that marks a block stored verbatim (minus one). */
  fsMax: number;
  /** Bits per pixel. */
  bits: number;
}

// Values from the RICE_1 definition: fsbits/fsmax per pixel size (FITS 4.0 §10.4.1, cfitsio ricecomp.c).
const LAYOUTS: Record<RiceBytePix, RiceLayout> = {
  1: { fsBits: 3, fsMax: 6, bits: 8 },
  2: { fsBits: 4, fsMax: 14, bits: 16 },
  4: { fsBits: 5, fsMax: 25, bits: 32 },
};

export function decodeRice(
  bytes: Uint8Array,
  pixelCount: number,
  blockSize: number,
  bytePix: RiceBytePix,
): Uint8Array | Int16Array | Int32Array {
  const layout = LAYOUTS[bytePix];
  if (layout === undefined) throw new Error(`BYTEPIX must be 1, 2 or 4, got ${String(bytePix)}`);
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new Error(`BLOCKSIZE must be a positive integer, got ${blockSize}`);
  }
  // Decoded modulo 2^32 into Int32Array; narrower pixels are the low bits, so storing into the narrower
  // typed array at the end gives the same wrap-around as the reference's unsigned arithmetic.
  const values = new Int32Array(pixelCount);
  if (pixelCount > 0) decodeInto(values, bytes, blockSize, bytePix, layout);
  if (bytePix === 4) return values;
  return bytePix === 2 ? Int16Array.from(values) : Uint8Array.from(values);
}

function truncated(): Error {
  return new TruncatedStreamError();
}

/**
 * The decoding loop, with the bit reader inlined (this is the hot path of most compressed images).
 * `buffer` holds `bitCount` unread bits, right-aligned, never more than 31.
 */
function decodeInto(
  values: Int32Array,
  bytes: Uint8Array,
  blockSize: number,
  bytePix: RiceBytePix,
  layout: RiceLayout,
): void {
  const { fsBits, fsMax, bits } = layout;
  const length = bytes.length;
  const pixelCount = values.length;
  if (length < bytePix) throw new Error('compressed bytes end before the first pixel');
  let last = 0;
  for (let i = 0; i < bytePix; i++) last = (last << 8) | bytes[i]!;
  let position = bytePix;
  let buffer = 0;
  let bitCount = 0;

  for (let start = 0; start < pixelCount; start += blockSize) {
    const end = Math.min(start + blockSize, pixelCount);
    while (bitCount < fsBits) {
      if (position >= length) throw truncated();
      buffer = (buffer << 8) | bytes[position++]!;
      bitCount += 8;
    }
    bitCount -= fsBits;
    const fs = (buffer >>> bitCount) - 1;
    buffer &= (1 << bitCount) - 1;

    if (fs < 0) {
      values.fill(last, start, end);
    } else if (fs === fsMax) {
      for (let i = start; i < end; i++) {
        let mapped = 0;
        for (let remaining = bits; remaining > 0;) {
          const take = remaining > 16 ? 16 : remaining;
          while (bitCount < take) {
            if (position >= length) throw truncated();
            buffer = (buffer << 8) | bytes[position++]!;
            bitCount += 8;
          }
          bitCount -= take;
          mapped = (mapped << take) | (buffer >>> bitCount);
          buffer &= (1 << bitCount) - 1;
          remaining -= take;
        }
        last = (last + ((mapped >>> 1) ^ -(mapped & 1))) | 0;
        values[i] = last;
      }
    } else {
      for (let i = start; i < end; i++) {
        let zeros = 0;
        while (buffer === 0) {
          zeros += bitCount;
          if (position >= length) throw truncated();
          buffer = bytes[position++]!;
          bitCount = 8;
        }
        const top = 31 - Math.clz32(buffer);
        zeros += bitCount - 1 - top;
        bitCount = top;
        buffer &= (1 << top) - 1;
        while (bitCount < fs) {
          if (position >= length) throw truncated();
          buffer = (buffer << 8) | bytes[position++]!;
          bitCount += 8;
        }
        bitCount -= fs;
        const mapped = (zeros << fs) | (buffer >>> bitCount);
        buffer &= (1 << bitCount) - 1;
        last = (last + ((mapped >>> 1) ^ -(mapped & 1))) | 0;
        values[i] = last;
      }
    }
  }
}
