// PLIO_1 tile decoding: IRAF pixel-list "line lists" (FITS Standard 4.0, §10.4.3; the encoding is Doug
// Tody's IRAF PLIO format, as in cfitsio's pl_l2pi). Written here because no JavaScript package reads it.
//
// A line list is a sequence of 16-bit words. Words 1–3 hold a header: if word 3 is positive it is the
// list length and instructions start at word 4 (old format); otherwise the length is word5·2^15 + word4
// and instructions start after word 2's header length. Each instruction word is opcode (top 4 bits) and
// data (low 12 bits); the decoder keeps a current "high value" pv (starting at 1):
//   0 ZN  data zeros                 4 HN  data pixels of value pv
//   1 SH  pv = next word·2^12 + data  5 PN  data−1 zeros then one pixel of pv
//   2 IH  pv += data                 6 IS  pv += data, then one pixel of pv
//   3 DH  pv −= data                 7 DS  pv −= data, then one pixel of pv
// Pixels not reached by the list are zero.
//
// API:
//   decodePlio(bytes: Uint8Array, pixelCount: number): Int32Array
//     bytes are the COMPRESSED_DATA heap bytes (big-endian 16-bit words, TFORM 1PI/1QI).

function readWord(bytes: Uint8Array, index: number): number {
  // index is 1-based, as in the line-list definition; a word past the end reads as an Error.
  const offset = (index - 1) * 2;
  if (offset + 1 >= bytes.length) throw new Error(`line list ends at word ${Math.floor(bytes.length / 2)}`);
  const value = (bytes[offset]! << 8) | bytes[offset + 1]!;
  return value >= 0x8000 ? value - 0x10000 : value;
}

export function decodePlio(bytes: Uint8Array, pixelCount: number): Int32Array {
  const out = new Int32Array(pixelCount);
  if (pixelCount === 0) return out;
  let length: number;
  let first: number;
  if (readWord(bytes, 3) > 0) {
    length = readWord(bytes, 3);
    first = 4;
  } else {
    length = readWord(bytes, 5) * 32768 + readWord(bytes, 4);
    first = readWord(bytes, 2) + 1;
  }
  if (length <= 0) return out;
  const wordsAvailable = Math.floor(bytes.length / 2);
  if (length > wordsAvailable) {
    throw new Error(`line list claims ${length} words but only ${wordsAvailable} are stored`);
  }

  let op = 0; // next output pixel (0-based)
  let x1 = 1; // 1-based position of the next run
  let pv = 1;
  const xe = pixelCount;
  for (let ip = first; ip <= length && x1 <= xe; ip++) {
    const word = readWord(bytes, ip);
    const opcode = Math.trunc(word / 4096);
    const data = word & 4095;
    switch (opcode) {
      case 0:
      case 4:
      case 5: {
        const x2 = x1 + data - 1;
        const i2 = Math.min(x2, xe);
        const count = i2 - x1 + 1;
        if (count > 0) {
          const top = op + count;
          out.fill(opcode === 4 ? pv : 0, op, top);
          if (opcode === 5 && i2 === x2) out[top - 1] = pv;
          op = top;
        }
        x1 = x2 + 1;
        break;
      }
      case 1:
        pv = readWord(bytes, ip + 1) * 4096 + data;
        ip++;
        break;
      case 2:
        pv += data;
        break;
      case 3:
        pv -= data;
        break;
      case 6:
      case 7:
        pv += opcode === 6 ? data : -data;
        if (x1 >= 1 && x1 <= xe) out[op++] = pv;
        x1++;
        break;
      default:
        // Negative words carry no instruction in the C decoder; they are skipped the same way.
        break;
    }
  }
  return out;
}
