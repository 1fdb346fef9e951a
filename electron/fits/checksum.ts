// FITS DATASUM and CHECKSUM (the FITS checksum convention: Seaman, Pence & Rots 2012, "FITS Checksum
// Proposal", arXiv:1201.1345, §2 keywords and §3 the 1's-complement sum and ASCII encoding; reserved by
// FITS Standard 4.0 §4.4.2.7). Hand-written because the convention is a few lines of arithmetic and no
// maintained npm package implements it.
//
// DATASUM is the 32-bit ones'-complement sum of the HDU's data (with padding) read as big-endian
// unsigned 32-bit words, written as a decimal string. CHECKSUM is a 16-character ASCII encoding of the
// complement of the ones'-complement sum of header + data, chosen so that the sum over the whole HDU
// (with the CHECKSUM card in place) is −0, i.e. 0xFFFFFFFF. The encoding (proposal §3.1–3.2): each of the
// four bytes of the value is split into four near-equal parts plus 0x30 ('0'), parts are nudged in pairs
// (one up, one down, which keeps the sum) until none falls on the punctuation between '9' and 'A' or 'Z'
// and 'a', and the 16 characters are rotated right by one, because the value starts at byte 11 of its
// card, three bytes into a 32-bit word.
//
// Sums are incremental so a large file is verified streaming: feed blocks to OnesComplementSum in any
// sizes (words may straddle calls).
//
// API:
//   class OnesComplementSum { update(bytes: Uint8Array): this; value(): number }  (value: uint32)
//   onesComplementSum(bytes: Uint8Array): number
//   addOnesComplement(a: number, b: number): number
//   encodeChecksum(sum: number, complement = true): string           16 characters
//   checksumFor(headerSum: number, dataSum: number): string           CHECKSUM value for a header whose
//                                                                      CHECKSUM card holds '0000000000000000'
//   verifyHdu(headerSum: number, dataSum: number, datasumKeyword?: string)
//     → { checksumOk: boolean; datasumOk: boolean | undefined }       headerSum over the header as stored

const WORD = 2 ** 32;
/** Fold every this many words so the running total stays an exact double (< 2^53). */
const FOLD_EVERY = 1 << 20;

/** Fold carries above 32 bits back into the low word (end-around carry). */
function fold(total: number): number {
  let value = total;
  while (value >= WORD) value = (value % WORD) + Math.floor(value / WORD);
  return value;
}

export function addOnesComplement(a: number, b: number): number {
  return fold(a + b);
}

export class OnesComplementSum {
  private total = 0;
  private pending = new Uint8Array(4);
  private pendingCount = 0;

  update(bytes: Uint8Array): this {
    let start = 0;
    if (this.pendingCount > 0) {
      while (this.pendingCount < 4 && start < bytes.length)
        this.pending[this.pendingCount++] = bytes[start++]!;
      if (this.pendingCount < 4) return this;
      const p = this.pending;
      this.total = fold(this.total + (p[0]! * 2 ** 24 + ((p[1]! << 16) | (p[2]! << 8) | p[3]!)));
      this.pendingCount = 0;
    }
    const whole = start + Math.floor((bytes.length - start) / 4) * 4;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let total = this.total;
    let sinceFold = 0;
    for (let i = start; i < whole; i += 4) {
      total += view.getUint32(i, false);
      if (++sinceFold === FOLD_EVERY) {
        total = fold(total);
        sinceFold = 0;
      }
    }
    this.total = fold(total);
    for (let i = whole; i < bytes.length; i++) this.pending[this.pendingCount++] = bytes[i]!;
    return this;
  }

  /** The sum so far; bytes of an incomplete last word count as if zero-padded (FITS data is padded). */
  value(): number {
    if (this.pendingCount === 0) return this.total;
    const p = this.pending;
    let word = 0;
    for (let i = 0; i < 4; i++) word = word * 256 + (i < this.pendingCount ? p[i]! : 0);
    return fold(this.total + word);
  }
}

export function onesComplementSum(bytes: Uint8Array): number {
  return new OnesComplementSum().update(bytes).value();
}

// ASCII punctuation between '9' and 'A' and between 'Z' and 'a' may not appear (Appendix J).
const EXCLUDED = new Set([0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]);
const OFFSET = 0x30;

export function encodeChecksum(sum: number, complement = true): string {
  const value = complement ? ~sum >>> 0 : sum >>> 0;
  const ascii = new Array<number>(16);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> (24 - 8 * i)) & 0xff;
    const quotient = Math.floor(byte / 4) + OFFSET;
    const remainder = byte % 4;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    let adjusted = true;
    while (adjusted) {
      adjusted = false;
      for (let j = 0; j < 4; j += 2) {
        if (EXCLUDED.has(ch[j]!) || EXCLUDED.has(ch[j + 1]!)) {
          ch[j]!++;
          ch[j + 1]!--;
          adjusted = true;
        }
      }
    }
    for (let j = 0; j < 4; j++) ascii[4 * j + i] = ch[j]!;
  }
  // Rotate right by one character.
  const rotated = ascii.map((_, i) => ascii[(i + 15) % 16]!);
  return String.fromCharCode(...rotated);
}

export function checksumFor(headerSum: number, dataSum: number): string {
  return encodeChecksum(addOnesComplement(headerSum, dataSum));
}

export interface ChecksumVerdict {
  /** True when header + data sum to −0 (0xFFFFFFFF); meaningful only if the header has CHECKSUM. */
  checksumOk: boolean;
  /** True when DATASUM matches the data; undefined when the header has no DATASUM. */
  datasumOk: boolean | undefined;
}

export function verifyHdu(headerSum: number, dataSum: number, datasumKeyword?: string): ChecksumVerdict {
  const total = addOnesComplement(headerSum, dataSum);
  let datasumOk: boolean | undefined;
  if (datasumKeyword !== undefined) {
    const text = datasumKeyword.trim();
    datasumOk = /^\d+$/.test(text) && Number(text) === dataSum;
  }
  return { checksumOk: total === 0xffffffff, datasumOk };
}
