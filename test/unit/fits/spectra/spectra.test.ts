// Spectrum loaders against astropy/numpy on the same files: LAMOST DR1–4 images (real), the LAMOST DR5+
// and SDSS/BOSS table layouts (fixtures written by astropy), and a 1D spectrum with a linear IRAF
// wavelength solution (real).
// Flux, stored wavelengths and σ = 1/√ivar are compared bit for bit, and the bad-pixel count; wavelengths
// computed from header keywords or a loglam column (10^x, exp) to 1e-15 relative, since numpy's and V8's pow may differ
// in the last bit.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLamostSpectrum } from '../../../../electron/fits/spectra/lamost.ts';
import { readSdssSpectrum } from '../../../../electron/fits/spectra/sdss.ts';
import { readWcsSpectrum } from '../../../../electron/fits/spectra/wcs-spectrum.ts';
import type { PixelReference } from '../compression/references.ts';
import { FIXTURES, SHARED_FITS, references, sha256 } from '../compression/references.ts';

function same(values: Float64Array, reference: PixelReference): void {
  expect([values.length]).toEqual(reference.shape);
  for (const [index, value] of reference.samples) {
    if (value === null) expect(Number.isNaN(values[index])).toBe(true);
    else expect(values[index]).toBe(value);
  }
  expect(sha256(values)).toBe(reference.sha256);
}

function close(values: Float64Array, reference: PixelReference): void {
  expect([values.length]).toEqual(reference.shape);
  for (const [index, value] of reference.samples)
    expect(Math.abs(values[index]! / value! - 1)).toBeLessThan(1e-15);
  const sum = values.reduce((a, b) => a + b, 0);
  expect(Math.abs(sum / reference.finite_sum! - 1)).toBeLessThan(1e-14);
}

describe('spectrum loaders match astropy', () => {
  for (const entry of references.spectra) {
    const path = entry.file.startsWith('fixture:')
      ? `${FIXTURES}${entry.file.slice('fixture:'.length)}`
      : `${SHARED_FITS}${entry.file}`;
    it.skipIf(!existsSync(path))(entry.file, () => {
      const loaders = { lamost: readLamostSpectrum, sdss: readSdssSpectrum, wcs: readWcsSpectrum };
      const spectrum = loaders[entry.loader](path);
      const computed =
        spectrum.wavelengthSource.startsWith('header') || spectrum.wavelengthSource === 'loglam column';
      if (computed) close(spectrum.wavelength, entry.wavelength);
      else same(spectrum.wavelength, entry.wavelength);
      same(spectrum.flux, entry.flux);
      same(spectrum.uncertainty, entry.uncertainty);
      expect(spectrum.mask.reduce((a, b) => a + b, 0)).toBe(entry.bad_pixels);
      expect(spectrum.units.wavelength).toBe('Angstrom');
    });
  }
});

describe.skipIf(!existsSync(`${SHARED_FITS}real-lamost`))('layout details', () => {
  it('uses image row 3 as wavelengths only when it agrees with COEFF0/COEFF1', () => {
    const dr1 = readLamostSpectrum(`${SHARED_FITS}real-lamost/spec-55916-B5591606_sp01-001.fits`);
    expect(dr1.wavelengthSource).toBe('image row 3');
    expect(dr1.medium).toBe('vacuum');
    const other = readLamostSpectrum(`${SHARED_FITS}real-lamost/spec-55939-B5593905_sp01-018.fits`);
    expect(other.wavelengthSource).toBe('header COEFF0/COEFF1 log10');
  });

  it('a file of the wrong shape is a clear error naming file and HDU', () => {
    expect(() => readLamostSpectrum(`${SHARED_FITS}real-lamost/oe270005.fits`)).toThrowError(
      /oe270005\.fits: HDU 0 \(PRIMARY\): expected a 5 × N LAMOST image/,
    );
    expect(() => readWcsSpectrum(`${SHARED_FITS}real-lamost/spec-55916-B5591606_sp01-001.fits`)).toThrowError(
      /HDU 0 \(Flux\): expected a one-dimensional spectrum, got shape 5 × 3909/,
    );
  });
});
