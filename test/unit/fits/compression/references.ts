// Test support: the astropy references written by test/python/make_fits_codec_references.py, and the
// digest the tests compare decoded pixels with (SHA-256 of the little-endian C-order bytes).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ImageArray } from '../../../../electron/fits/compression/tiled-image.ts';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/fits/', import.meta.url));
export const SHARED_FITS = fileURLToPath(new URL('../../../../../shared/data/fits/', import.meta.url));
export const HAVE_SHARED = existsSync(SHARED_FITS);

export interface PixelReference {
  label?: string;
  file?: string;
  hdu: number;
  shape: number[];
  dtype: string;
  sha256: string;
  finite_sum: number | null;
  samples: [number, number | null][];
}

export interface References {
  fixture: PixelReference[];
  real?: PixelReference[];
  checksum?: { file: string; hdus: { datasum: number; CHECKSUM: string | null; DATASUM: string | null }[] }[];
  wcs: { header: Record<string, string | number | boolean>; pixels: number[][]; world: number[][] }[];
  spectra: {
    file: string;
    loader: 'lamost' | 'sdss' | 'wcs';
    wavelength: PixelReference;
    flux: PixelReference;
    uncertainty: PixelReference;
    bad_pixels: number;
  }[];
}

export const references = JSON.parse(readFileSync(`${FIXTURES}codec-references.json`, 'utf8')) as References;

/** numpy dtype string of a decoded array, for comparison with the reference. */
export function dtypeOf(data: ImageArray): string {
  const names: Record<string, string> = {
    Uint8Array: '|u1',
    Int16Array: '<i2',
    Int32Array: '<i4',
    BigInt64Array: '<i8',
    Float32Array: '<f4',
    Float64Array: '<f8',
  };
  return names[data.constructor.name]!;
}

export function sha256(data: ImageArray | Uint8Array): string {
  return createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');
}
