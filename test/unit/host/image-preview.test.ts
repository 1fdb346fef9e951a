// The sampled first-look tile read straight from the file must equal the decoded plane's pixels at
// each block's centre, for every storage type and scaling the plane decoder handles.
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageOutput } from '../../../electron/fits/arrow.ts';
import { FitsFile } from '../../../electron/fits/file.ts';
import type { NumericArray } from '../../../electron/fits/decode.ts';
import { writeFits, type ExtraCard } from '../../../electron/fits/writer.ts';
import { planeOf } from '../../../electron/host/image-pyramid.ts';
import { sampledTile } from '../../../electron/host/image-preview.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cradle-preview-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function write(name: string, data: NumericArray, shape: number[], cards: ExtraCard[] = []): string {
  const path = join(dir, name);
  writeFits(path, [{ kind: 'image', data, shape, cards }]);
  return path;
}

/** The sampled tile and the decoded plane's centre-of-block pixels, for comparison. */
function both(path: string, slice: number[], level: number, x = 0, y = 0, size = 64) {
  const file = FitsFile.open(path);
  try {
    const hdu = file.hdu(0);
    const request = { level, x, y, width: size, height: size };
    const tile = sampledTile(file, hdu, slice, request, path);
    const image = readImageOutput(file, hdu);
    const plane = planeOf(image.data, image.shape, slice, path);
    const factor = 2 ** level;
    const expected: number[] = [];
    for (let row = 0; row < tile.height; row++) {
      for (let col = 0; col < tile.width; col++) {
        const py = Math.min(plane.height - 1, y + row * factor + (factor >> 1));
        const px = Math.min(plane.width - 1, x + col * factor + (factor >> 1));
        expected.push(plane.data[py * plane.width + px]!);
      }
    }
    return { tile, expected };
  } finally {
    file.close();
  }
}

describe('sampledTile', () => {
  it('samples float32 pixels at block centres, clipped at the image edge, NaN kept', () => {
    const data = Float32Array.from({ length: 37 * 29 }, (_, i) => (i % 11 === 0 ? NaN : i * 0.5));
    const path = write('float.fits', data, [29, 37]);
    const { tile, expected } = both(path, [], 2);
    expect([tile.width, tile.height, tile.imageWidth, tile.imageHeight]).toEqual([10, 8, 37, 29]);
    expect(Array.from(tile.data)).toEqual(expected);
    expect(tile.data.some(Number.isNaN)).toBe(true);
    const offset = both(path, [], 1, 6, 4, 5);
    expect([offset.tile.width, offset.tile.height]).toEqual([5, 5]);
    expect(Array.from(offset.tile.data)).toEqual(offset.expected);
  });

  it('applies BSCALE/BZERO and BLANK, the unsigned convention and picks a cube slice', () => {
    const scaled = Int16Array.from({ length: 16 * 16 }, (_, i) => (i === 34 ? -999 : i - 100));
    const cards = [
      { keyword: 'BSCALE', value: 0.25 },
      { keyword: 'BZERO', value: 10 },
      { keyword: 'BLANK', value: -999 },
    ];
    const a = both(write('scaled.fits', scaled, [16, 16], cards), [], 2);
    expect(Array.from(a.tile.data)).toEqual(a.expected);
    expect(a.tile.data.some(Number.isNaN)).toBe(true);

    const unsigned = Int16Array.from({ length: 8 * 8 }, (_, i) => i * 1000 - 32_000);
    const b = both(write('unsigned.fits', unsigned, [8, 8], [{ keyword: 'BZERO', value: 32768 }]), [], 1);
    expect(Array.from(b.tile.data)).toEqual(b.expected);
    expect(Math.min(...b.tile.data)).toBeGreaterThanOrEqual(0);

    const cube = Float64Array.from({ length: 3 * 12 * 10 }, (_, i) => i);
    const c = both(write('cube.fits', cube, [3, 12, 10]), [2], 2);
    expect(Array.from(c.tile.data)).toEqual(c.expected);
    expect(c.tile.data[0]).toBe(2 * 120 + 2 * 10 + 2);
  });

  it('names the file when its data is cut short, and a slice outside the cube', async () => {
    const path = write('short.fits', new Float32Array(64 * 64), [64, 64]);
    expect(() => both(write('cube2.fits', new Float32Array(2 * 4 * 4), [2, 4, 4]), [5], 1)).toThrow(
      /slice index 5 is outside 0–1/,
    );
    await truncate(path, 2880 + 8000);
    expect(() => both(path, [], 2)).toThrow(/short\.fits/);
  });
});
