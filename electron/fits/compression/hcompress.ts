// HCOMPRESS_1 tile decoding (FITS Standard 4.0, §10.4.4; R. White's H-transform coder, White 1992,
// "High-performance compression of astronomical images", and cfitsio's fits_hdecompress64, which is
// what astropy calls). Written here because no JavaScript package decodes H-compressed data.
//
// Steps, as in the reference decoder: read the header (magic 0xDD 0x99, nx, ny, scale, the 64-bit sum of
// all pixels, three bit-plane counts); decode the four quadrants' bit planes, each either written
// directly (4 bits per 2×2 block) or quadtree-coded with a fixed Huffman code; read the sign bits; put
// the sum back into coefficient 0; multiply by scale ("undigitize"); invert the H-transform, optionally
// smoothing coefficients toward interpolated values (SMOOTH ≠ 0, hsmooth).
//
// Arithmetic: the reference works in 64-bit integers (bit masks, arithmetic shifts). Coefficients here
// are JavaScript numbers holding exact integers (|value| < 2^53); shifts and masks are written as
// floor-divisions by powers of two, which equal two's-complement arithmetic shifts and masks. Levels of
// the inverse transform whose coefficients are all below 2^28 in magnitude use int32 operations instead
// (same results, several times faster), which covers ordinary 16- and 32-bit images.
//
// API:
//   decodeHcompress(bytes: Uint8Array, rows: number, columns: number, smooth: boolean): Float64Array
//     rows = slow tile axis, columns = fast tile axis (ZTILE1); returns rows·columns integer values in
//     row-major order. Throws on a bad magic number, a size that differs from the tile, or truncation.
import { BitReader, TruncatedStreamError } from './bit-reader.ts';

const MAGIC_0 = 0xdd;
const MAGIC_1 = 0x99;

function ceilLog2(n: number): number {
  let log = 0;
  while (2 ** log < n) log++;
  return log;
}

function readInt32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]! | 0
  );
}

/**
 * Fixed Huffman code of the quadtree coder (codes 3–6 bits long for the 16 4-bit values), as a table
 * indexed by the next 6 bits: value in the low byte, code length above it.
 *   3 bits 000 001 010 011 → 1 2 4 8;   4 bits 1000–1100 → 3 5 10 12 15;
 *   5 bits 11010–11110 → 6 7 9 11 13;   6 bits 111110 → 0, 111111 → 14
 */
const HUFFMAN = (() => {
  const table = new Uint16Array(64);
  const entry = (value: number, length: number) => value | (length << 8);
  for (let p = 0; p < 64; p++) {
    if (p >> 3 < 4) table[p] = entry(1 << (p >> 3), 3);
    else if (p >> 2 <= 12) table[p] = entry([3, 5, 10, 12, 15][(p >> 2) - 8]!, 4);
    else if (p >> 1 <= 30) table[p] = entry([6, 7, 9, 11, 13][(p >> 1) - 26]!, 5);
    else table[p] = entry(p === 62 ? 0 : 14, 6);
  }
  return table;
})();

function readHuffman(reader: BitReader): number {
  const code = HUFFMAN[reader.peekBits(6)]!;
  reader.skipBits(code >> 8);
  return code & 0xff;
}

/**
 * Expand each 4-bit value of `codes` ((nx+1)/2 × (ny+1)/2) into a 2×2 block of an nx × ny grid:
 * bit 3 → [i][j], bit 2 → [i][j+1], bit 1 → [i+1][j], bit 0 → [i+1][j+1]; blocks cut by the edge keep
 * the bits inside. `expandToFlags` marks set bits with 1 in `out` (row stride ny); `addPlane` adds
 * `value` to the coefficients at `offset` + row·`stride` + column. Two copies of one loop, so that each
 * stays specialised to its array type (this is the hot path of the decoder).
 */
function expandToFlags(codes: Uint8Array, nx: number, ny: number, out: Uint8Array): void {
  const ny2 = (ny + 1) >> 1;
  for (let i = 0; i < nx; i += 2) {
    const lastRow = i + 1 >= nx;
    const row0 = i * ny;
    const row1 = row0 + ny;
    let k = (i >> 1) * ny2;
    for (let j = 0; j < ny; j += 2, k++) {
      const code = codes[k]!;
      if (code === 0) continue;
      const lastColumn = j + 1 >= ny;
      if (code & 8) out[row0 + j] = 1;
      if (code & 4 && !lastColumn) out[row0 + j + 1] = 1;
      if (!lastRow) {
        if (code & 2) out[row1 + j] = 1;
        if (code & 1 && !lastColumn) out[row1 + j + 1] = 1;
      }
    }
  }
}

function addPlane(
  codes: Uint8Array,
  nx: number,
  ny: number,
  a: Float64Array,
  offset: number,
  stride: number,
  value: number,
): void {
  const ny2 = (ny + 1) >> 1;
  for (let i = 0; i < nx; i += 2) {
    const lastRow = i + 1 >= nx;
    const row0 = offset + i * stride;
    const row1 = row0 + stride;
    let k = (i >> 1) * ny2;
    for (let j = 0; j < ny; j += 2, k++) {
      const code = codes[k]!;
      if (code === 0) continue;
      const lastColumn = j + 1 >= ny;
      if (code & 8) a[row0 + j]! += value;
      if (code & 4 && !lastColumn) a[row0 + j + 1]! += value;
      if (!lastRow) {
        if (code & 2) a[row1 + j]! += value;
        if (code & 1 && !lastColumn) a[row1 + j + 1]! += value;
      }
    }
  }
}

/** Decode the bit planes of one quadrant (nqx × nqy, row stride `stride`) into `a` from `offset`. */
function decodeQuadrant(
  reader: BitReader,
  a: Float64Array,
  offset: number,
  stride: number,
  nqx: number,
  nqy: number,
  bitPlanes: number,
): void {
  const log2n = ceilLog2(Math.max(nqx, nqy, 1));
  const blocks = ((nqx + 1) >> 1) * ((nqy + 1) >> 1);
  for (let bit = bitPlanes - 1; bit >= 0; bit--) {
    const planeValue = 2 ** bit;
    const format = reader.readBits(4);
    let codes: Uint8Array;
    if (format === 0) {
      codes = new Uint8Array(blocks);
      for (let k = 0; k < blocks; k++) codes[k] = reader.readBits(4);
    } else if (format === 0xf) {
      codes = new Uint8Array(1);
      codes[0] = readHuffman(reader);
      let nx = 1;
      let ny = 1;
      let nfx = nqx;
      let nfy = nqy;
      let c = 2 ** log2n;
      for (let k = 1; k < log2n; k++) {
        c /= 2;
        nx *= 2;
        ny *= 2;
        if (nfx <= c) nx -= 1;
        else nfx -= c;
        if (nfy <= c) ny -= 1;
        else nfy -= c;
        const expanded = new Uint8Array(nx * ny);
        expandToFlags(codes, nx, ny, expanded);
        for (let i = nx * ny - 1; i >= 0; i--) {
          if (expanded[i]) expanded[i] = readHuffman(reader);
        }
        codes = expanded;
      }
    } else {
      throw new Error(`bad bit-plane format code ${format}`);
    }
    addPlane(codes, nqx, nqy, a, offset, stride, planeValue);
  }
}

/** Bit `bit` (a power of two) of the two's-complement integer v, as 0 or `bit`. */
function bitOf(v: number, bit: number): number {
  return ((Math.floor(v / bit) % 2) + 2) % 2 === 1 ? bit : 0;
}

/** (v + round) & −bit in two's complement: round down to a multiple of bit. */
function roundToMultiple(v: number, round: number, bit: number): number {
  return Math.floor((v + round) / bit) * bit;
}

function unshuffle(a: Float64Array, start: number, n: number, step: number, tmp: Float64Array): void {
  const half = (n + 1) >> 1;
  for (let i = half, t = 0; i < n; i++, t++) tmp[t] = a[start + i * step]!;
  for (let i = half - 1; i >= 0; i--) a[start + 2 * i * step] = a[start + i * step]!;
  for (let i = 1, t = 0; i < n; i += 2, t++) a[start + i * step] = tmp[t]!;
}

function clamp(v: number, limit: number): number {
  return Math.max(Math.min(v, limit), -limit);
}

/** Smooth coefficients toward interpolated values (hsmooth); only changes within ±scale/2. */
function smoothCoefficients(a: Float64Array, nxtop: number, nytop: number, ny: number, scale: number): void {
  const smax = Math.floor(scale / 2);
  if (smax <= 0) return;
  const ny2 = ny * 2;
  const divideToward0 = (s: number, d: number) => (s >= 0 ? Math.floor(s / d) : Math.floor((s + d - 1) / d));
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 0; j < nytop; j += 2) {
      const s00 = ny * i + j;
      const s10 = s00 + ny;
      const hm = a[s00 - ny2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + ny2]!;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hp - hm, dmax), dmin);
        const s = clamp(divideToward0(diff - a[s10]! * 8, 8), smax);
        a[s10] = a[s10]! + s;
      }
    }
  }
  for (let i = 0; i < nxtop; i += 2) {
    for (let j = 2; j < nytop - 2; j += 2) {
      const s00 = ny * i + j;
      const hm = a[s00 - 2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + 2]!;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hp - hm, dmax), dmin);
        const s = clamp(divideToward0(diff - a[s00 + 1]! * 8, 8), smax);
        a[s00 + 1] = a[s00 + 1]! + s;
      }
    }
  }
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 2; j < nytop - 2; j += 2) {
      const s00 = ny * i + j;
      const s10 = s00 + ny;
      const hmm = a[s00 - ny2 - 2]!;
      const hpm = a[s00 + ny2 - 2]!;
      const hmp = a[s00 - ny2 + 2]!;
      const hpp = a[s00 + ny2 + 2]!;
      const h0 = a[s00]!;
      const hx2 = a[s10]! * 2;
      const hy2 = a[s00 + 1]! * 2;
      let m1 = Math.min(Math.max(hpp - h0, 0) - hx2 - hy2, Math.max(h0 - hpm, 0) + hx2 - hy2);
      let m2 = Math.min(Math.max(h0 - hmp, 0) - hx2 + hy2, Math.max(hmm - h0, 0) + hx2 + hy2);
      const dmax = Math.min(m1, m2) * 16;
      m1 = Math.max(Math.min(hpp - h0, 0) - hx2 - hy2, Math.min(h0 - hpm, 0) + hx2 - hy2);
      m2 = Math.max(Math.min(h0 - hmp, 0) - hx2 + hy2, Math.min(hmm - h0, 0) + hx2 + hy2);
      const dmin = Math.max(m1, m2) * 16;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hpp + hmm - hmp - hpm, dmax), dmin);
        const s = clamp(divideToward0(diff - a[s10 + 1]! * 64, 64), smax);
        a[s10 + 1] = a[s10 + 1]! + s;
      }
    }
  }
}

/** Rounding constants of one inverse-transform level (hinv's bit0/1, prnd0/1, nrnd0/1, shift). */
interface Rounding {
  bit0: number;
  bit1: number;
  prnd0: number;
  prnd1: number;
  nrnd0: number;
  nrnd1: number;
  shift: number;
}

/** Below this magnitude four coefficients plus rounding still fit an int32, so bit operations are exact. */
const INT32_SAFE = 2 ** 28;

function maxAbs(a: Float64Array, ny: number, rows: number, columns: number): number {
  let max = 0;
  for (let i = 0; i < rows; i++) {
    for (let k = ny * i, end = k + columns; k < end; k++) {
      const v = a[k]!;
      if (v > max) max = v;
      else if (-v > max) max = -v;
    }
  }
  return max;
}

/**
 * Combine the 2×2 coefficient blocks (h0, hx, hy, hc) of the even part of a level into pixels of the
 * next level. This is the exact version for any magnitude (floor divisions stand in for the reference's
 * shifts and masks on 64-bit integers).
 */
function combineBlocksExact(a: Float64Array, ny: number, rows: number, columns: number, r: Rounding): void {
  const divisor = 2 ** r.shift;
  for (let i = 0; i < rows; i += 2) {
    let s00 = ny * i;
    let s10 = s00 + ny;
    for (let j = 0; j < columns; j += 2) {
      let h0 = a[s00]!;
      let hx = a[s10]!;
      let hy = a[s00 + 1]!;
      let hc = a[s10 + 1]!;
      hx = roundToMultiple(hx, hx >= 0 ? r.prnd1 : r.nrnd1, r.bit1);
      hy = roundToMultiple(hy, hy >= 0 ? r.prnd1 : r.nrnd1, r.bit1);
      hc = roundToMultiple(hc, hc >= 0 ? r.prnd0 : r.nrnd0, r.bit0);
      const lowbit0 = bitOf(hc, r.bit0);
      hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
      hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
      const parity = (bitOf(hc, r.bit1) + bitOf(hx, r.bit1) + bitOf(hy, r.bit1)) / r.bit1;
      const lowbit1 = parity % 2 === 1 ? r.bit1 : 0;
      h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
      a[s10 + 1] = Math.floor((h0 + hx + hy + hc) / divisor);
      a[s10] = Math.floor((h0 + hx - hy - hc) / divisor);
      a[s00 + 1] = Math.floor((h0 - hx + hy - hc) / divisor);
      a[s00] = Math.floor((h0 - hx - hy + hc) / divisor);
      s00 += 2;
      s10 += 2;
    }
  }
}

/** The same combination with 32-bit integer operations, valid when every |coefficient| < INT32_SAFE. */
function combineBlocksInt32(a: Float64Array, ny: number, rows: number, columns: number, r: Rounding): void {
  const { bit0, bit1, prnd0, prnd1, nrnd0, nrnd1, shift } = r;
  const mask0 = -bit0;
  const mask1 = -bit1;
  for (let i = 0; i < rows; i += 2) {
    let s00 = ny * i;
    let s10 = s00 + ny;
    for (let j = 0; j < columns; j += 2) {
      let h0 = a[s00]! | 0;
      let hx = a[s10]! | 0;
      let hy = a[s00 + 1]! | 0;
      let hc = a[s10 + 1]! | 0;
      hx = (hx + (hx >= 0 ? prnd1 : nrnd1)) & mask1;
      hy = (hy + (hy >= 0 ? prnd1 : nrnd1)) & mask1;
      hc = (hc + (hc >= 0 ? prnd0 : nrnd0)) & mask0;
      const lowbit0 = hc & bit0;
      hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
      hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
      const lowbit1 = (hc ^ hx ^ hy) & bit1;
      h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
      a[s10 + 1] = (h0 + hx + hy + hc) >> shift;
      a[s10] = (h0 + hx - hy - hc) >> shift;
      a[s00 + 1] = (h0 - hx + hy - hc) >> shift;
      a[s00] = (h0 - hx - hy + hc) >> shift;
      s00 += 2;
      s10 += 2;
    }
  }
}

/** Inverse H-transform of an nx × ny coefficient array in place (hinv). */
function inverseHTransform(a: Float64Array, nx: number, ny: number, smooth: boolean, scale: number): void {
  const nmax = Math.max(nx, ny);
  const log2n = ceilLog2(nmax);
  if (log2n === 0) return;
  const tmp = new Float64Array((nmax + 1) >> 1);
  let shift = 1;
  let bit0 = 2 ** (log2n - 1);
  let bit1 = bit0 * 2;
  const bit2 = bit0 * 4;
  let prnd0 = Math.floor(bit0 / 2);
  let prnd1 = bit1 / 2;
  const prnd2 = bit2 / 2;
  let nrnd0 = prnd0 - 1;
  let nrnd1 = prnd1 - 1;
  const nrnd2 = prnd2 - 1;
  a[0] = roundToMultiple(a[0]!, a[0]! >= 0 ? prnd2 : nrnd2, bit2);

  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 2 ** log2n;
  for (let k = log2n - 1; k >= 0; k--) {
    c /= 2;
    nxtop *= 2;
    nytop *= 2;
    if (nxf <= c) nxtop -= 1;
    else nxf -= c;
    if (nyf <= c) nytop -= 1;
    else nyf -= c;
    if (k === 0) {
      nrnd0 = 0;
      shift = 2;
    }
    const divisor = 2 ** shift;
    for (let i = 0; i < nxtop; i++) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle(a, j, nxtop, ny, tmp);
    if (smooth) smoothCoefficients(a, nxtop, nytop, ny, scale);
    const oddx = nxtop % 2;
    const oddy = nytop % 2;
    const rounding: Rounding = { bit0, bit1, prnd0, prnd1, nrnd0, nrnd1, shift };
    if (maxAbs(a, ny, nxtop, nytop) < INT32_SAFE)
      combineBlocksInt32(a, ny, nxtop - oddx, nytop - oddy, rounding);
    else combineBlocksExact(a, ny, nxtop - oddx, nytop - oddy, rounding);
    if (oddy) {
      // Last element of each row pair when the row length is odd (s00 + 1, s10 + 1 are off the edge).
      for (let i = 0; i < nxtop - oddx; i += 2) {
        const s00 = ny * i + nytop - 1;
        const s10 = s00 + ny;
        let h0 = a[s00]!;
        let hx = a[s10]!;
        hx = roundToMultiple(hx, hx >= 0 ? prnd1 : nrnd1, bit1);
        const lowbit1 = bitOf(hx, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = Math.floor((h0 + hx) / divisor);
        a[s00] = Math.floor((h0 - hx) / divisor);
      }
    }
    if (oddx) {
      // Last row when the column length is odd.
      let s00 = ny * (nxtop - 1);
      for (let j = 0; j < nytop - oddy; j += 2) {
        let h0 = a[s00]!;
        let hy = a[s00 + 1]!;
        hy = roundToMultiple(hy, hy >= 0 ? prnd1 : nrnd1, bit1);
        const lowbit1 = bitOf(hy, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = Math.floor((h0 + hy) / divisor);
        a[s00] = Math.floor((h0 - hy) / divisor);
        s00 += 2;
      }
      if (oddy) a[s00] = Math.floor(a[s00]! / divisor);
    }
    bit1 = bit0;
    bit0 = Math.floor(bit0 / 2);
    prnd1 = prnd0;
    prnd0 = Math.floor(prnd0 / 2);
    nrnd1 = nrnd0;
    nrnd0 = prnd0 - 1;
  }
}

export function decodeHcompress(
  bytes: Uint8Array,
  rows: number,
  columns: number,
  smooth: boolean,
): Float64Array {
  if (bytes.length < 25) throw new Error('compressed bytes end inside the HCOMPRESS header');
  if (bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) throw new Error('bad HCOMPRESS magic number');
  const nx = readInt32(bytes, 2);
  const ny = readInt32(bytes, 6);
  const scale = readInt32(bytes, 10);
  if (nx !== rows || ny !== columns) {
    throw new Error(`stream holds a ${nx}×${ny} tile, expected ${rows}×${columns}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sumAll = Number(view.getBigInt64(14, false));
  const planes = [bytes[22]!, bytes[23]!, bytes[24]!] as const;
  // Coefficients must stay exact in a double: at most 52 bit planes (the reference stores 64-bit values).
  if (planes.some((p) => p > 52)) throw new Error(`bit-plane counts ${planes.join(', ')} exceed 52`);

  const count = nx * ny;
  const a = new Float64Array(count);
  const reader = new BitReader(bytes, 25);
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  const nxh = nx >> 1;
  const nyh = ny >> 1;
  decodeQuadrant(reader, a, 0, ny, nx2, ny2, planes[0]);
  decodeQuadrant(reader, a, ny2, ny, nx2, nyh, planes[1]);
  decodeQuadrant(reader, a, ny * nx2, ny, nxh, ny2, planes[1]);
  decodeQuadrant(reader, a, ny * nx2 + ny2, ny, nxh, nyh, planes[2]);
  if (reader.readBits(4) !== 0) throw new Error('bad bit-plane values (missing end-of-planes code)');
  // Sign bits, one per non-zero coefficient, start at the next whole byte.
  reader.alignToByte();
  let position = reader.byteOffset;
  let byte = 0;
  let bitsLeft = 0;
  for (let i = 0; i < count; i++) {
    if (a[i] === 0) continue;
    if (bitsLeft === 0) {
      if (position >= bytes.length) throw new TruncatedStreamError();
      byte = bytes[position++]!;
      bitsLeft = 8;
    }
    bitsLeft--;
    if ((byte >> bitsLeft) & 1) a[i] = -a[i]!;
  }
  a[0] = sumAll;
  if (scale > 1) for (let i = 0; i < count; i++) a[i] = a[i]! * scale;
  inverseHTransform(a, nx, ny, smooth, scale);
  return a;
}
