// Probe for test_fits_codecs.py: runs Cradle's FITS codec modules on a file and writes what they decode,
// so the Python test can compare with astropy. Usage:
//   node --import tsx test/python/fits_codecs_probe.ts decode FILE HDU OUT   → raw little-endian pixels in OUT,
//                                                                             JSON {shape, dtype} on stdout
//   node --import tsx test/python/fits_codecs_probe.ts decode-many LIST.json  → same for [[FILE, HDU, OUT], ...],
//                                               one JSON line each ({error} when decoding throws)
//   node --import tsx test/python/fits_codecs_probe.ts wcs CASES.json  → for [{header: {KEY: value}, pixels:
//                       [[p1, p2, ...], ...]}] (1-based FITS pixels) one JSON line {world, pixelsBack
//                       (worldToPixel of world), distortions} or {error}
//   node --import tsx test/python/fits_codecs_probe.ts checksum FILE          → JSON list, one entry per HDU:
//                                               {datasum, checksumOk, datasumOk, checksum (recomputed)}
import { readFileSync, writeFileSync } from 'node:fs';
import {
  OnesComplementSum,
  checksumFor,
  onesComplementSum,
  verifyHdu,
} from '../../electron/fits/checksum.ts';
import { readWcs } from '../../electron/fits/wcs/wcs.ts';
import { decompressTiledImage } from '../../electron/fits/compression/tiled-image.ts';
import { compressedImage, listHdus } from '../unit/fits/compression/compressed-table.ts';

const [command, ...args] = process.argv.slice(2);

function decode(file: string, hduText: string, out: string): { shape: number[]; dtype: string } {
  const bytes = new Uint8Array(readFileSync(file));
  const hdu = listHdus(bytes)[Number(hduText)];
  if (hdu === undefined) throw new Error(`${file}: no HDU ${hduText}`);
  const image = compressedImage(bytes, hdu);
  const { data, shape } = decompressTiledImage(image.parameters, image.readTile);
  writeFileSync(out, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { shape, dtype: data.constructor.name };
}

function decodeMany(list: string): void {
  const jobs = JSON.parse(readFileSync(list, 'utf8')) as [string, number, string][];
  for (const [file, hdu, out] of jobs) {
    let line: object;
    try {
      line = decode(file, String(hdu), out);
    } catch (error) {
      line = { error: error instanceof Error ? error.message : String(error) };
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
}

function checksums(file: string): void {
  const bytes = new Uint8Array(readFileSync(file));
  const results = listHdus(bytes).map((hdu) => {
    // Stream the data in odd-sized pieces to exercise words straddling block boundaries.
    const sum = new OnesComplementSum();
    for (let at = hdu.dataStart; at < hdu.dataEnd; at += 1001)
      sum.update(bytes.subarray(at, Math.min(at + 1001, hdu.dataEnd)));
    const dataSum = sum.value();
    const headerBytes = bytes.slice(hdu.headerStart, hdu.dataStart);
    const headerSum = onesComplementSum(headerBytes);
    const datasumCard = hdu.header.get('DATASUM');
    const verdict = verifyHdu(headerSum, dataSum, typeof datasumCard === 'string' ? datasumCard : undefined);
    // Recompute CHECKSUM as a writer would: blank the CHECKSUM value to sixteen '0's first.
    const text = new TextDecoder('latin1').decode(headerBytes);
    const at = text.search(/CHECKSUM= '/);
    let recomputed: string | undefined;
    if (at >= 0 && at % 80 === 0) {
      headerBytes.set(new TextEncoder().encode('0000000000000000'), at + 11);
      recomputed = checksumFor(onesComplementSum(headerBytes), dataSum);
    }
    return {
      datasum: dataSum,
      checksumOk: verdict.checksumOk,
      datasumOk: verdict.datasumOk ?? null,
      checksum: recomputed ?? null,
    };
  });
  process.stdout.write(JSON.stringify(results) + '\n');
}

function wcs(list: string): void {
  const cases = JSON.parse(readFileSync(list, 'utf8')) as {
    header: Record<string, unknown>;
    pixels: number[][];
  }[];
  for (const { header, pixels } of cases) {
    let line: object;
    try {
      const system = readWcs(new Map(Object.entries(header)));
      const world = pixels.map((p) => system.pixelToWorld(p));
      line = {
        world,
        pixelsBack: world.map((w) => system.worldToPixel(w)),
        distortions: system.ignoredDistortions,
      };
    } catch (error) {
      line = { error: error instanceof Error ? error.message : String(error) };
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
}

if (command === 'wcs') wcs(args[0]!);
else if (command === 'checksum') checksums(args[0]!);
else if (command === 'decode')
  process.stdout.write(JSON.stringify(decode(args[0]!, args[1]!, args[2]!)) + '\n');
else if (command === 'decode-many') decodeMany(args[0]!);
else throw new Error(`unknown command ${command ?? ''}`);
