// Files the Inspect e2e tests and the bench open: copies of the committed fixtures, and files
// generated with Cradle's own FITS writer (a 1,000,000-row table whose values are a known function
// of the row number, a header with a CONTINUE long string, a truncated copy, a 4096² float image).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { writeFits } from '../../electron/fits/writer.ts';
import { repoRoot } from './harness.ts';

export const fixtures = join(repoRoot, 'test', 'fixtures', 'inspect');
export const lamostName = 'spec-55916-B5591606_sp01-001.fits';

/** Row i of the generated table: ID = i, FLUX = a value with no simple order, MAG = 20 − i/100 000. */
export function tableRow(i: number): { id: number; flux: number; mag: number } {
  return { id: i, flux: ((i * 7919) % 1_000_003) / 1000, mag: Math.fround(20 - i / 100_000) };
}

export const longString =
  'This observation was taken through thin cirrus; the flat field from the previous night was used, and the astrometric solution was refined against Gaia DR3 with 412 stars.';

export function writeTable(path: string, rows: number): void {
  const id = new Int32Array(rows);
  const flux = new Float64Array(rows);
  const mag = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = tableRow(i);
    id[i] = row.id;
    flux[i] = row.flux;
    mag[i] = row.mag;
  }
  writeFits(path, [
    { kind: 'table', table: tableFromArrays({ ID: id, FLUX: flux, MAG: mag }), name: 'STARS' },
  ]);
}

export function writeLongHeader(path: string): void {
  writeFits(path, [
    {
      kind: 'image',
      data: Float32Array.from({ length: 64 }, (_, i) => i),
      shape: [8, 8],
      cards: [
        { keyword: 'OBSNOTE', value: longString, comment: 'observer notes' },
        { keyword: 'OBJECT', value: 'M42' },
      ],
    },
  ]);
}

/** Pixel (x, y) of the generated large image, as float32. */
export function largePixel(x: number, y: number): number {
  return Math.fround(Math.sin(x / 97) * Math.cos(y / 61) * 1000 + x * 0.01);
}

export function writeLargeImage(path: string, side: number): void {
  const data = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) data[y * side + x] = largePixel(x, y);
  }
  writeFits(path, [{ kind: 'image', data, shape: [side, side] }]);
}

/** Copies the committed fixtures into `dir` and writes the generated ones; returns their paths. */
export async function prepare(dir: string, tableRows: number): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const paths = {
    lamost: join(dir, lamostName),
    scale: join(dir, 'scale.fits'),
    table: join(dir, 'million.fits'),
    header: join(dir, 'long-header.fits'),
    truncated: join(dir, 'truncated.fits'),
    large: join(dir, 'large.fits'),
  };
  await copyFile(join(fixtures, lamostName), paths.lamost);
  await copyFile(join(fixtures, 'scale.fits'), paths.scale);
  writeTable(paths.table, tableRows);
  writeLongHeader(paths.header);
  writeLargeImage(paths.large, 2048);
  const whole = await readFile(paths.table);
  await writeFile(paths.truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  return paths;
}
