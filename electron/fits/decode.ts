// Big-endian bytes to native typed arrays, in bulk: copy into an aligned buffer, swap bytes with
// Buffer.swap16/32/64, view as the typed array; and the sign-bit flip of the FITS unsigned convention
// (BZERO/TZERO = 2^(n-1), or −128 for signed bytes) on values already decoded.
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The storage of one value: B (uint8), I (int16), J (int32), K (int64), E (float32), D (float64). */
export type StorageCode = 'B' | 'I' | 'J' | 'K' | 'E' | 'D';

export const STORAGE_BYTES: Record<StorageCode, number> = { B: 1, I: 2, J: 4, K: 8, E: 4, D: 8 };

export const BITPIX_STORAGE: Record<number, StorageCode> = {
  8: 'B',
  16: 'I',
  32: 'J',
  64: 'K',
  [-32]: 'E',
  [-64]: 'D',
};

/** Decode `count` big-endian values of one storage type into a native typed array (a copy). */
export function decodeBigEndian(bytes: Uint8Array, code: StorageCode, count: number): NumericArray {
  const width = STORAGE_BYTES[code];
  const copy = Buffer.alloc(count * width);
  copy.set(bytes.subarray(0, count * width));
  if (width === 2) copy.swap16();
  else if (width === 4) copy.swap32();
  else if (width === 8) copy.swap64();
  const buffer = copy.buffer;
  const offset = copy.byteOffset;
  switch (code) {
    case 'B':
      return new Uint8Array(buffer, offset, count);
    case 'I':
      return new Int16Array(buffer, offset, count);
    case 'J':
      return new Int32Array(buffer, offset, count);
    case 'K':
      return new BigInt64Array(buffer, offset, count);
    case 'E':
      return new Float32Array(buffer, offset, count);
    case 'D':
      return new Float64Array(buffer, offset, count);
  }
}

/** Native typed values to big-endian bytes (the writer's direction). */
export function encodeBigEndian(values: NumericArray): Buffer {
  const copy = Buffer.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  if (values.BYTES_PER_ELEMENT === 2) copy.swap16();
  else if (values.BYTES_PER_ELEMENT === 4) copy.swap32();
  else if (values.BYTES_PER_ELEMENT === 8) copy.swap64();
  return copy;
}

/**
 * The other signedness of an integer array, by flipping the sign bit (value ± 2^(n−1)): the unsigned
 * convention applied to values already in native order. Reuses the buffer (the input is consumed).
 */
export function flipSign(raw: NumericArray): NumericArray {
  if (raw instanceof Uint8Array) {
    const out = new Int8Array(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < out.length; i += 1) out[i] = out[i]! ^ -128;
    return out;
  }
  if (raw instanceof Int16Array) {
    const out = new Uint16Array(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < out.length; i += 1) out[i] = out[i]! ^ 0x8000;
    return out;
  }
  if (raw instanceof Int32Array) {
    const out = new Uint32Array(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < out.length; i += 1) out[i] = (out[i]! ^ 0x80000000) >>> 0;
    return out;
  }
  if (raw instanceof BigInt64Array) {
    const out = new BigUint64Array(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < out.length; i += 1) out[i] = out[i]! ^ 0x8000000000000000n;
    return out;
  }
  return raw;
}
