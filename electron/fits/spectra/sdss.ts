// Loading SDSS/BOSS optical spectra (DR8+ `spec-PLATE-MJD-FIBER.fits`; SDSS data model "spec"): HDU 1
// ("COADD") is a table with one row per pixel — flux (1e-17 erg/s/cm²/Å), loglam (log10 of the vacuum
// wavelength in Å), ivar, and_mask, or_mask. Wavelengths are in vacuum throughout SDSS.
//
// API:
//   readSdssSpectrum(path: string): Spectrum1D
import { FitsError } from '../errors.ts';
import { FitsFile } from '../file.ts';
import { readSpectrumTable } from './table-spectrum.ts';
import type { Spectrum1D } from './spectrum.ts';

/** The SDSS data model's flux unit for the coadded spectrum. */
const SDSS_FLUX_UNIT = '1e-17 erg/(s cm2 Angstrom)';

export function readSdssSpectrum(path: string): Spectrum1D {
  return FitsFile.with(path, (file) => {
    const hdus = file.hdus();
    const coadd =
      hdus.find((h) => h.type === 'BINTABLE' && h.name.toUpperCase() === 'COADD') ??
      hdus.find((h) => h.type === 'BINTABLE');
    if (coadd === undefined) throw new FitsError('no COADD spectrum table', { file: path });
    return readSpectrumTable(file, coadd, 'SDSS/BOSS coadd table', {
      fluxUnit: SDSS_FLUX_UNIT,
      medium: 'vacuum',
    });
  });
}
