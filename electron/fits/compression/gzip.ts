// GZIP_1 and GZIP_2 tile decoding (FITS Standard 4.0, §10.4.2). Inflation is fflate's (a maintained,
// dependency-free inflate); this module adds what FITS needs around it: a hard cap on the output size
// taken from the tile shape (a forged gzip length field must not make us allocate gigabytes), and the
// GZIP_2 byte un-shuffle, where the compressor wrote the most significant byte of every pixel first,
// then the next byte of every pixel, and so on.
//
// API:
//   inflateTile(bytes: Uint8Array, maxBytes: number): Uint8Array
//     gzip (RFC 1952), zlib (RFC 1950) or raw deflate; throws if the stream is corrupt or inflates to
//     more than maxBytes.
//   unshuffleBytes(shuffled: Uint8Array, itemSize: number): Uint8Array
//     the GZIP_2 inverse shuffle: out[i·itemSize + b] = in[b·n + i], n = length / itemSize.
import { gunzipSync, inflateSync, unzlibSync } from 'fflate';

function looksLikeZlib(bytes: Uint8Array): boolean {
  const cmf = bytes[0] ?? 0;
  const flg = bytes[1] ?? 0;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

export function inflateTile(bytes: Uint8Array, maxBytes: number): Uint8Array {
  // One spare byte: if fflate fills it, the stream holds more than the tile can.
  const out = new Uint8Array(maxBytes + 1);
  let inflated: Uint8Array;
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) inflated = gunzipSync(bytes, { out });
    else if (looksLikeZlib(bytes)) inflated = unzlibSync(bytes, { out });
    else inflated = inflateSync(bytes, { out });
  } catch (error) {
    throw new Error(`corrupt deflate stream (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  if (inflated.length > maxBytes) {
    throw new Error(`inflates to more than the ${maxBytes} bytes the tile can hold`);
  }
  return inflated;
}

export function unshuffleBytes(shuffled: Uint8Array, itemSize: number): Uint8Array {
  if (itemSize === 1) return shuffled;
  if (shuffled.length % itemSize !== 0) {
    throw new Error(`${shuffled.length} bytes are not a whole number of ${itemSize}-byte pixels`);
  }
  const count = shuffled.length / itemSize;
  const out = new Uint8Array(shuffled.length);
  for (let b = 0; b < itemSize; b++) {
    const plane = b * count;
    for (let i = 0; i < count; i++) out[i * itemSize + b] = shuffled[plane + i]!;
  }
  return out;
}
