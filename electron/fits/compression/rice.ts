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
import { BitReader } from './bit-reader.ts';

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
  const output =
    bytePix === 1
      ? new Uint8Array(pixelCount)
      : bytePix === 2
        ? new Int16Array(pixelCount)
        : new Int32Array(pixelCount);
  if (pixelCount === 0) return output;
  if (bytes.length < bytePix) throw new Error('compressed bytes end before the first pixel');

  let last = 0;
  for (let i = 0; i < bytePix; i++) last = last * 256 + bytes[i]!;
  const reader = new BitReader(bytes, bytePix);
  const { fsBits, fsMax, bits } = layout;
  const wrap =
    bits === 32 ? (v: number) => v | 0 : bits === 16 ? (v: number) => v & 0xffff : (v: number) => v & 0xff;
  last = wrap(last);

  for (let start = 0; start < pixelCount; start += blockSize) {
    const end = Math.min(start + blockSize, pixelCount);
    const fs = reader.readBits(fsBits) - 1;
    if (fs < 0) {
      output.fill(last, start, end);
      continue;
    }
    for (let i = start; i < end; i++) {
      const mapped =
        fs === fsMax ? reader.readBits(bits) : reader.readUnaryZeros() * 2 ** fs + reader.readBits(fs);
      const half = Math.floor(mapped / 2);
      const difference = mapped % 2 === 0 ? half : -half - 1;
      last = wrap(last + difference);
      output[i] = last;
    }
  }
  return output;
}
