// The bit reader of the HCOMPRESS decoder: most-significant bit first, and running past the end is
// always an error (also after peeking beyond it).
import { describe, expect, it } from 'vitest';
import { BitReader, TruncatedStreamError } from '../../../../electron/fits/compression/bit-reader.ts';

describe('BitReader', () => {
  it('reads bits most significant first, across bytes and in wide fields', () => {
    const reader = new BitReader(new Uint8Array([0b10110011, 0b01010101, 0xff, 0x12, 0x34]));
    expect(reader.readBits(3)).toBe(0b101);
    expect(reader.readBits(7)).toBe(0b1001101);
    expect(reader.readBits(6)).toBe(0b010101);
    expect(reader.readBits(24)).toBe(0xff1234);
    expect(() => reader.readBits(1)).toThrow(TruncatedStreamError);
  });

  it('peeks without consuming and refuses to consume past the end', () => {
    const reader = new BitReader(new Uint8Array([0b11000000]));
    expect(reader.peekBits(6)).toBe(0b110000);
    reader.skipBits(2);
    expect(reader.peekBits(12)).toBe(0);
    expect(() => reader.skipBits(7)).toThrow(TruncatedStreamError);
    expect(() => reader.readBits(7)).toThrow(TruncatedStreamError);
  });

  it('alignToByte drops the rest of the current byte', () => {
    const reader = new BitReader(new Uint8Array([0xf0, 0x81]));
    reader.readBits(2);
    reader.alignToByte();
    expect(reader.byteOffset).toBe(1);
    expect(reader.readBits(8)).toBe(0x81);
    expect(() => reader.readBits(1)).toThrow(TruncatedStreamError);
  });
});
