// Probe for test_fits_codecs.py: runs Cradle's FITS codec modules on a file and writes what they decode,
// so the Python test can compare with astropy. Usage:
//   node --import tsx test/python/fits_codecs_probe.ts decode FILE HDU OUT   → raw little-endian pixels in OUT,
//                                                                             JSON {shape, dtype} on stdout
import { readFileSync, writeFileSync } from 'node:fs';
import { decompressTiledImage } from '../../electron/fits/compression/tiled-image.ts';
import { compressedImage, listHdus } from '../unit/fits/compression/compressed-table.ts';

const [command, ...args] = process.argv.slice(2);

function decode(file: string, hduText: string, out: string): void {
  const bytes = new Uint8Array(readFileSync(file));
  const hdu = listHdus(bytes)[Number(hduText)];
  if (hdu === undefined) throw new Error(`${file}: no HDU ${hduText}`);
  const image = compressedImage(bytes, hdu);
  const { data, shape } = decompressTiledImage(image.parameters, image.readTile);
  writeFileSync(out, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  process.stdout.write(JSON.stringify({ shape, dtype: data.constructor.name }) + '\n');
}

if (command === 'decode') decode(args[0]!, args[1]!, args[2]!);
else throw new Error(`unknown command ${command ?? ''}`);
