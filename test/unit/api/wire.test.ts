// The wire codec: plain messages stay JSON text; typed arrays travel as raw bytes in one binary
// frame and come back bit-exact with their type; malformed frames are refused with a clear error.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../../electron/api/wire.ts';

describe('wire codec', () => {
  it('sends a message without typed arrays as JSON text', () => {
    const message = { kind: 'call', id: 3, method: 'files.list', params: { dir: '/data' } };
    const frame = encodeMessage(message);
    expect(typeof frame).toBe('string');
    expect(decodeMessage(frame)).toEqual(message);
  });

  it('round-trips every typed array type bit-exact in one binary frame', () => {
    const message = {
      a: new Float64Array([Math.PI, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e-300]),
      nested: { b: new Float32Array([1.5, -2.25]), list: [new Int8Array([-128, 127]), 'text'] },
      c: new Uint8Array([0, 255, 7]),
      d: new Uint8ClampedArray([1, 2]),
      e: new Int16Array([-32768, 32767]),
      f: new Uint16Array([65535]),
      g: new Int32Array([-(2 ** 31)]),
      h: new Uint32Array([2 ** 32 - 1]),
      i: new BigInt64Array([-(2n ** 63n)]),
      j: new BigUint64Array([2n ** 64n - 1n]),
      empty: new Float64Array(0),
    };
    const frame = encodeMessage(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    const decoded = decodeMessage(frame) as typeof message;
    expect(decoded.a).toBeInstanceOf(Float64Array);
    expect(Object.is(decoded.a[1], -0)).toBe(true);
    expect(Number.isNaN(decoded.a[2])).toBe(true);
    expect([...decoded.a].slice(3)).toEqual([Number.POSITIVE_INFINITY, 1e-300]);
    expect(decoded.nested.b).toEqual(new Float32Array([1.5, -2.25]));
    expect(decoded.nested.list).toEqual([new Int8Array([-128, 127]), 'text']);
    for (const key of ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'empty'] as const) {
      expect(decoded[key].constructor).toBe(message[key].constructor);
      expect(decoded[key]).toEqual(message[key]);
    }
  });

  it('carries the bytes of large arrays, not their decimal text', () => {
    const values = new Float64Array(100_000).map((_, i) => Math.sin(i));
    const frame = encodeMessage({ values });
    expect(frame.length).toBeLessThan(values.byteLength + 200);
    expect((decodeMessage(frame) as { values: Float64Array }).values).toEqual(values);
  });

  it('sends only the viewed part of a subarray', () => {
    const whole = new Uint16Array([1, 2, 3, 4, 5]);
    const decoded = decodeMessage(encodeMessage({ part: whole.subarray(1, 3) })) as { part: Uint16Array };
    expect([...decoded.part]).toEqual([2, 3]);
  });

  it('decodes a frame that arrives at an unaligned offset (as Node Buffers may)', () => {
    const frame = encodeMessage({ x: new Float64Array([1, 2, 3]) }) as Uint8Array;
    const shifted = new Uint8Array(frame.byteLength + 3);
    shifted.set(frame, 3);
    const decoded = decodeMessage(shifted.subarray(3)) as { x: Float64Array };
    expect([...decoded.x]).toEqual([1, 2, 3]);
    const buffer = Buffer.alloc(frame.byteLength + 5);
    buffer.set(frame, 5);
    const fromBuffer = decodeMessage(buffer.subarray(5)) as { x: Float64Array };
    expect([...fromBuffer.x]).toEqual([1, 2, 3]);
  });

  it('refuses messages it cannot represent faithfully', () => {
    expect(() => encodeMessage({ $typed: 1 })).toThrow(/may not be "\$typed"/);
    expect(() => encodeMessage({ n: 1n })).toThrow(/bigint/);
    expect(() => encodeMessage({ v: new DataView(new ArrayBuffer(4)) })).toThrow(/DataView/);
  });

  it('refuses malformed binary frames with a message', () => {
    expect(() => decodeMessage(new Uint8Array([1, 2, 3]))).toThrow(/shorter than its header/);
    expect(() => decodeMessage(new Uint8Array(16))).toThrow(/Cradle marker/);
    const frame = encodeMessage({ x: new Float64Array([1, 2]) }) as Uint8Array;
    expect(() => decodeMessage(frame.subarray(0, frame.byteLength - 8))).toThrow(/out of bounds/);
    const lying = frame.slice();
    new DataView(lying.buffer).setUint32(4, 1_000_000, true);
    expect(() => decodeMessage(lying)).toThrow(/header truncated/);
  });
});
