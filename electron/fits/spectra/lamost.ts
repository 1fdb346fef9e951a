// Loading LAMOST low-resolution spectra (`spec-*.fits`). Two layouts exist:
//   DR1–DR4: the primary image is 5 × NAXIS1 (numpy order): row 1 flux, row 2 inverse variance, row 3
//     wavelength, row 4 ANDMASK, row 5 ORMASK (LAMOST DR1 data-release documentation, "spectra FITS
//     format"). Wavelengths also follow from the header (COEFF0/COEFF1, log10 λ per pixel): the header
//     solution is used, and row 3 is checked against it; some early files hold another quantity there
//     (real-lamost/spec-55939-… has a continuum-normalised flux), which is then ignored.
//   DR5 and later: an empty primary HDU and a binary table (EXTNAME COADD, or the first table) with one
//     row of vector columns FLUX, IVAR, WAVELENGTH, ANDMASK, ORMASK.
// Flux units: BUNIT if present, else "" (DR1–DR4 fluxes are relatively calibrated, no absolute unit).
//
// API:
//   readLamostSpectrum(path: string): Spectrum1D
import { FitsError } from '../errors.ts';
import { FitsFile } from '../file.ts';
import type { Hdu } from '../hdu.ts';
import { readImage } from '../image.ts';
import { wavelengthArray, wavelengthSolution } from '../wcs/spectral.ts';
import { badPixelMask, toFloat64, uncertaintyFromIvar } from './spectrum.ts';
import type { Spectrum1D } from './spectrum.ts';
import { readSpectrumTable } from './table-spectrum.ts';

/** Largest relative difference between row 3 and the header solution for row 3 to count as wavelengths. */
const WAVELENGTH_ROW_TOLERANCE = 1e-6;

function fluxUnit(hdu: Hdu): string {
  const bunit = hdu.header.get('BUNIT');
  return typeof bunit === 'string' ? bunit.trim() : '';
}

function fromImage(file: FitsFile, hdu: Hdu): Spectrum1D {
  const { shape, data } = readImage(file, hdu);
  if (shape.length !== 2 || shape[0]! < 3) {
    throw file.error(
      hdu,
      `expected a 5 × N LAMOST image (flux, ivar, wavelength, andmask, ormask), got ${shape.join(' × ')}`,
    );
  }
  const n = shape[1]!;
  const row = (r: number) => toFloat64(data.subarray(r * n, (r + 1) * n));
  const flux = row(0);
  const ivar = row(1);
  const solution = wavelengthSolution(hdu.header);
  const wavelength = wavelengthArray(solution, n);
  const third = row(2);
  const rowIsWavelength = third.every((w, i) => Math.abs(w / wavelength[i]! - 1) <= WAVELENGTH_ROW_TOLERANCE);
  const andMask = shape[0]! >= 4 ? Int32Array.from(row(3)) : undefined;
  const orMask = shape[0]! >= 5 ? Int32Array.from(row(4)) : undefined;
  return {
    wavelength: rowIsWavelength ? third : wavelength,
    flux,
    uncertainty: uncertaintyFromIvar(ivar),
    mask: badPixelMask(flux, ivar, andMask),
    units: { wavelength: solution.unit, flux: fluxUnit(hdu) },
    medium: solution.medium,
    wavelengthSource: rowIsWavelength ? 'image row 3' : `header ${solution.convention}`,
    source: { file: file.path, hdu: hdu.index, layout: 'LAMOST DR1-4 image' },
    ...(andMask ? { andMask } : {}),
    ...(orMask ? { orMask } : {}),
  };
}

export function readLamostSpectrum(path: string): Spectrum1D {
  return FitsFile.with(path, (file) => {
    const primary = file.hdu(0);
    if (primary.dataSize > 0) return fromImage(file, primary);
    const table =
      file.hdus().find((h) => h.type === 'BINTABLE' && h.name.toUpperCase() === 'COADD') ??
      file.hdus().find((h) => h.type === 'BINTABLE');
    if (table === undefined) {
      throw new FitsError('neither a LAMOST spectrum image in the primary HDU nor a spectrum table', {
        file: path,
      });
    }
    const vacuum = primary.header.get('VACUUM') ?? table.header.get('VACUUM');
    return readSpectrumTable(file, table, 'LAMOST DR5+ table', {
      fluxUnit: fluxUnit(primary),
      medium: typeof vacuum === 'boolean' ? (vacuum ? 'vacuum' : 'air') : undefined,
    });
  });
}
