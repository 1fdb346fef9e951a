// The wire format both transports share for one API message. Plain messages travel as JSON text;
// a message that holds typed arrays travels as ONE binary frame — a small JSON header that names each
// array's type and place, then the arrays' bytes, 8-byte aligned — so a million floats cross as
// 8 MB of bytes, never as a million decimal strings. No library does this for arbitrary typed arrays
// inside arbitrary JSON (msgpack and CBOR need extension types on both sides), so it is written here.
// This module is platform-neutral (no Node or DOM APIs): the server, the tests and the renderer use it.

const typedArrayTypes = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

export type TypedArrayName = keyof typeof typedArrayTypes;
export type TypedArray = InstanceType<(typeof typedArrayTypes)[TypedArrayName]>;

const placeholderKey = '$typed';
const magic = 0x4c445243; // 'CRDL' little-endian: marks a Cradle binary frame
const headerStart = 8; // magic (u32) + header length (u32)

interface BlobRef {
  type: TypedArrayName;
  byteOffset: number;
  length: number;
}

function typedArrayName(value: ArrayBufferView): TypedArrayName | undefined {
  const name = value.constructor.name;
  return name in typedArrayTypes ? (name as TypedArrayName) : undefined;
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Encodes one message: a string when it holds no typed arrays, otherwise one binary frame. */
export function encodeMessage(message: unknown): string | Uint8Array<ArrayBuffer> {
  const arrays: ArrayBufferView[] = [];
  const placeholders = new WeakSet<object>();
  const json = JSON.stringify(message, function (this: object, key: string, value: unknown) {
    if (key === placeholderKey && !placeholders.has(this)) {
      throw new Error(`wire: an object key may not be "${placeholderKey}"`);
    }
    if (ArrayBuffer.isView(value)) {
      const type = typedArrayName(value);
      if (type === undefined) throw new Error(`wire: cannot send a ${value.constructor.name}`);
      arrays.push(value);
      const placeholder = { [placeholderKey]: arrays.length - 1, type };
      placeholders.add(placeholder);
      return placeholder;
    }
    if (typeof value === 'bigint') throw new Error('wire: a bigint outside a BigInt64Array cannot be sent');
    return value;
  });
  if (arrays.length === 0) return json;

  let offset = 0;
  const blobs: BlobRef[] = arrays.map((array) => {
    const ref = {
      type: typedArrayName(array) as TypedArrayName,
      byteOffset: offset,
      length: array.byteLength,
    };
    offset = align8(offset + array.byteLength);
    return ref;
  });
  const header = new TextEncoder().encode(`{"blobs":${JSON.stringify(blobs)},"message":${json}}`);
  const dataStart = align8(headerStart + header.byteLength);
  const frame = new Uint8Array(dataStart + offset);
  const view = new DataView(frame.buffer);
  view.setUint32(0, magic, true);
  view.setUint32(4, header.byteLength, true);
  frame.set(header, headerStart);
  arrays.forEach((array, i) => {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    frame.set(bytes, dataStart + (blobs[i] as BlobRef).byteOffset);
  });
  return frame;
}

function isPlaceholder(value: unknown): value is { [placeholderKey]: number; type: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    placeholderKey in value &&
    typeof (value as Record<string, unknown>)[placeholderKey] === 'number'
  );
}

/** Decodes what encodeMessage produced (a string, or the bytes of a binary frame). */
export function decodeMessage(data: string | ArrayBuffer | Uint8Array): unknown {
  if (typeof data === 'string') return JSON.parse(data) as unknown;
  let bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  // Typed arrays need their element alignment; a frame that arrives at an odd offset is copied once
  // (into a fresh Uint8Array: Node's Buffer.slice would return a view at the same odd offset).
  if (bytes.byteOffset % 8 !== 0) bytes = new Uint8Array(bytes);
  if (bytes.byteLength < headerStart) throw new Error('wire: binary frame shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== magic) throw new Error('wire: binary frame without the Cradle marker');
  const headerLength = view.getUint32(4, true);
  if (headerStart + headerLength > bytes.byteLength) throw new Error('wire: binary frame header truncated');
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength)),
  ) as { message: unknown; blobs: BlobRef[] };
  const dataStart = align8(headerStart + headerLength);
  const arrays = header.blobs.map((blob) => {
    const Type = typedArrayTypes[blob.type];
    if (Type === undefined) throw new Error(`wire: unknown typed array type ${String(blob.type)}`);
    const start = bytes.byteOffset + dataStart + blob.byteOffset;
    if (
      dataStart + blob.byteOffset + blob.length > bytes.byteLength ||
      blob.length % Type.BYTES_PER_ELEMENT
    ) {
      throw new Error(`wire: binary frame ${blob.type} out of bounds`);
    }
    return new Type(bytes.buffer as ArrayBuffer, start, blob.length / Type.BYTES_PER_ELEMENT);
  });
  const revive = (value: unknown): unknown => {
    if (isPlaceholder(value)) {
      const array = arrays[value[placeholderKey]];
      if (array === undefined) throw new Error('wire: binary frame refers to a missing array');
      return array;
    }
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  return revive(header.message);
}
