// DATASUM/CHECKSUM against astropy's values for the good and bad checksum files, streamed in odd-sized
// pieces, and the ASCII encoding round trip of the FITS checksum convention.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  OnesComplementSum,
  addOnesComplement,
  checksumFor,
  encodeChecksum,
  onesComplementSum,
  verifyHdu,
} from '../../../electron/fits/checksum.ts';
import { listHdus } from './compression/compressed-table.ts';
import { HAVE_SHARED, SHARED_FITS, references } from './compression/references.ts';

describe('ones-complement sum', () => {
  it('wraps carries end-around', () => {
    expect(addOnesComplement(0xffffffff, 1)).toBe(1);
    expect(addOnesComplement(0x80000000, 0x80000000)).toBe(1);
    expect(onesComplementSum(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2]))).toBe(2);
  });

  it('gives the same sum however the bytes are split', () => {
    const bytes = Uint8Array.from({ length: 10007 }, (_, i) => (i * 7919) & 0xff);
    const whole = onesComplementSum(bytes);
    for (const piece of [1, 3, 5, 1000, 4096]) {
      const sum = new OnesComplementSum();
      for (let at = 0; at < bytes.length; at += piece) sum.update(bytes.subarray(at, at + piece));
      expect(sum.value()).toBe(whole);
    }
  });
});

describe('CHECKSUM encoding', () => {
  it('avoids the punctuation between digits and letters', () => {
    for (const sum of [0, 1, 0x12345678, 0xdeadbeef, 0xffffffff, 0x3a3a3a3a]) {
      expect(encodeChecksum(sum)).toMatch(/^[0-9A-Za-z]{16}$/);
    }
  });

  it('encodes a value that complements the header sum (the sixteen-zeros trick)', () => {
    // The value sits at byte 11 of its card, i.e. 3 bytes into a 32-bit word; the encoding's rotation
    // accounts for that. Replacing the zeros by the encoded text must turn a header sum S into −0.
    const placed = (text: string) => {
      const bytes = new Uint8Array(20);
      bytes.set(new TextEncoder().encode(text), 3);
      return onesComplementSum(bytes);
    };
    for (const sum of [0x0badf00d, 0x7fffffff, 12345, 0]) {
      const withText = addOnesComplement(sum, placed(encodeChecksum(sum)));
      expect(addOnesComplement(withText, 0xffffffff - placed('0000000000000000'))).toBe(0xffffffff);
    }
  });
});

describe.skipIf(!HAVE_SHARED)('files with CHECKSUM and DATASUM (astropy as reference)', () => {
  for (const entry of references.checksum ?? []) {
    it(entry.file, () => {
      const bytes = new Uint8Array(readFileSync(`${SHARED_FITS}${entry.file}`));
      const hdus = listHdus(bytes);
      expect(hdus.length).toBe(entry.hdus.length);
      hdus.forEach((hdu, i) => {
        const expected = entry.hdus[i]!;
        const dataSum = new OnesComplementSum();
        for (let at = hdu.dataStart; at < hdu.dataEnd; at += 2879) {
          dataSum.update(bytes.subarray(at, Math.min(at + 2879, hdu.dataEnd)));
        }
        expect(dataSum.value()).toBe(expected.datasum);
        const headerBytes = bytes.slice(hdu.headerStart, hdu.dataStart);
        const good = String(expected.datasum) === expected.DATASUM;
        const verdict = verifyHdu(
          onesComplementSum(headerBytes),
          dataSum.value(),
          expected.DATASUM ?? undefined,
        );
        expect(verdict).toEqual({ checksumOk: good, datasumOk: good });
        if (good) {
          const at = new TextDecoder('latin1').decode(headerBytes).indexOf("CHECKSUM= '");
          headerBytes.set(new TextEncoder().encode('0000000000000000'), at + 11);
          expect(checksumFor(onesComplementSum(headerBytes), dataSum.value())).toBe(expected.CHECKSUM);
        }
      });
    });
  }
});
