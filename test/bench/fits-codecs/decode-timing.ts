// Times Cradle's tile decoders on files written by bench.py: best of N decodes, CPU and wall time.
// Usage: node --import tsx test/bench/fits-codecs/decode-timing.ts REPEATS FILE... → one JSON line per file.
import { readFileSync } from 'node:fs';
import { decompressTiledImage } from '../../../electron/fits/compression/tiled-image.ts';
import { compressedImage, listHdus } from '../../unit/fits/compression/compressed-table.ts';

const [repeatText, ...files] = process.argv.slice(2);
const repeats = Number(repeatText);
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  const image = compressedImage(bytes, listHdus(bytes)[1]!);
  let cpu = Infinity;
  let wall = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = process.cpuUsage();
    const t = performance.now();
    decompressTiledImage(image.parameters, image.readTile, { tableRows: image.rows });
    wall = Math.min(wall, performance.now() - t);
    const used = process.cpuUsage(start);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  process.stdout.write(JSON.stringify({ file, cpuMs: cpu, wallMs: wall }) + '\n');
}
