// Reading a most-significant-bit-first bit stream, shared by the RICE_1 and HCOMPRESS_1 decoders. It
// owns the one rule every decoder needs for robustness: running off the end of the compressed bytes is
// an Error (the caller names the tile and algorithm), never a read of undefined bytes or an endless loop.
//
// API:
//   new BitReader(bytes: Uint8Array, startByte = 0)
//   reader.readBits(n: number): number        n in 0..32, unsigned result
//   reader.readUnaryZeros(): number            count of 0 bits before the next 1 bit (the 1 is consumed)
//   reader.peekBits(n: number): number         the next n ≤ 24 bits without consuming them (zeros past
//                                              the end; consuming those with skipBits is the Error)
//   reader.skipBits(n: number): void
//   reader.alignToByte(): void                  drop the rest of the current byte
//   reader.byteOffset: number                   bytes consumed so far (including a partly read byte)

export class TruncatedStreamError extends Error {
  constructor() {
    super('compressed bytes end before the tile is complete');
    this.name = 'TruncatedStreamError';
  }
}

export class BitReader {
  private readonly bytes: Uint8Array;
  private position: number;
  /** Unread bits of the current partial word, right-aligned; always below 2^bitCount. */
  private buffer = 0;
  private bitCount = 0;
  /** Zero bits appended past the end of the bytes by peekBits. */
  private padding = 0;

  constructor(bytes: Uint8Array, startByte = 0) {
    this.bytes = bytes;
    this.position = startByte;
  }

  get byteOffset(): number {
    return this.position;
  }

  private nextByte(): number {
    if (this.position >= this.bytes.length) throw new TruncatedStreamError();
    return this.bytes[this.position++]!;
  }

  readBits(n: number): number {
    if (n > 24) {
      const high = this.readBits(n - 16);
      return high * 65536 + this.readBits(16);
    }
    while (this.bitCount < n) {
      this.buffer = (this.buffer << 8) | this.nextByte();
      this.bitCount += 8;
    }
    this.bitCount -= n;
    if (this.bitCount < this.padding) throw new TruncatedStreamError();
    const value = this.buffer >>> this.bitCount;
    this.buffer &= (1 << this.bitCount) - 1;
    return value;
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

  readBit(): number {
    return this.readBits(1);
  }

  readUnaryZeros(): number {
    let zeros = 0;
    while (this.buffer === 0) {
      zeros += this.bitCount;
      this.buffer = this.nextByte();
      this.bitCount = 8;
    }
    const leading = this.bitCount - (32 - Math.clz32(this.buffer));
    zeros += leading;
    this.bitCount -= leading + 1;
    if (this.bitCount < this.padding) throw new TruncatedStreamError();
    this.buffer &= (1 << this.bitCount) - 1;
    return zeros;
  }

  alignToByte(): void {
    this.buffer = 0;
    this.bitCount = 0;
    this.padding = 0;
  }
}
