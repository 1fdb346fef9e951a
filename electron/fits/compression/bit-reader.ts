// Reading a most-significant-bit-first bit stream for the HCOMPRESS_1 decoder (RICE_1 inlines the same
// logic in its hot loop and shares the error). It owns the one rule every decoder needs for robustness:
// running off the end of the compressed bytes is an Error (the caller names the tile and algorithm),
// never a read of undefined bytes or an endless loop.
//
// API:
//   new BitReader(bytes: Uint8Array, startByte = 0)
//   reader.readBits(n: number): number     n in 0..24, unsigned
//   reader.peekBits(n: number): number     the next n ≤ 24 bits without consuming them (zeros past the
//                                          end; consuming those is the Error)
//   reader.skipBits(n: number): void
//   reader.alignToByte(): void              drop the rest of the current byte
//   reader.byteOffset: number               next unread byte (after alignToByte)
//   class TruncatedStreamError extends Error

export class TruncatedStreamError extends Error {
  constructor() {
    super('compressed bytes end before the tile is complete');
    this.name = 'TruncatedStreamError';
  }
}

export class BitReader {
  private readonly bytes: Uint8Array;
  private position: number;
  /** Unread bits, right-aligned; always below 2^bitCount, bitCount ≤ 31. */
  private buffer = 0;
  private bitCount = 0;
  /** Zero bits appended past the end of the bytes by peekBits (the lowest bits of the buffer). */
  private padding = 0;

  constructor(bytes: Uint8Array, startByte = 0) {
    this.bytes = bytes;
    this.position = startByte;
  }

  get byteOffset(): number {
    return this.position;
  }

  peekBits(n: number): number {
    while (this.bitCount < n) {
      if (this.position < this.bytes.length) {
        this.buffer = (this.buffer << 8) | this.bytes[this.position++]!;
      } else {
        this.buffer <<= 8;
        this.padding += 8;
      }
      this.bitCount += 8;
    }
    return this.buffer >>> (this.bitCount - n);
  }

  skipBits(n: number): void {
    if (this.bitCount - n < this.padding) throw new TruncatedStreamError();
    this.bitCount -= n;
    this.buffer &= (1 << this.bitCount) - 1;
  }

  readBits(n: number): number {
    const value = this.peekBits(n);
    this.skipBits(n);
    return value;
  }

  alignToByte(): void {
    this.buffer = 0;
    this.bitCount = 0;
    this.padding = 0;
  }
}
