// Loading a 1D spectrum whose wavelengths come from its header (a spectral WCS or a survey/IRAF
// convention, see ../wcs/spectral.ts): the image is the flux (a 1 × N image counts as 1D). Such files
// carry no uncertainty, so `uncertainty` is NaN throughout; the mask marks non-finite fluxes.
//
// API:
//   readWcsSpectrum(path: string, hdu: number | string = 0): Spectrum1D
import { FitsFile } from '../file.ts';
import { readImage } from '../image.ts';
import { wavelengthArray, wavelengthSolution } from '../wcs/spectral.ts';
import { withContext } from '../errors.ts';
import { badPixelMask, toFloat64 } from './spectrum.ts';
import type { Spectrum1D } from './spectrum.ts';

export function readWcsSpectrum(path: string, hduSpec: number | string = 0): Spectrum1D {
  return FitsFile.with(path, (file) => {
    const hdu = file.find(hduSpec);
    const { shape, data } = readImage(file, hdu);
    const length = shape[shape.length - 1] ?? 0;
    if (shape.length === 0 || shape.slice(0, -1).some((n) => n !== 1)) {
      throw file.error(hdu, `expected a one-dimensional spectrum, got shape ${shape.join(' × ') || 'none'}`);
    }
    const solution = withContext({ file: path, hdu: hdu.index, hduName: hdu.name || undefined }, () =>
      wavelengthSolution(hdu.header),
    );
    const flux = toFloat64(data);
    const bunit = hdu.header.get('BUNIT');
    return {
      wavelength: wavelengthArray(solution, length),
      flux,
      uncertainty: new Float64Array(length).fill(NaN),
      mask: badPixelMask(flux),
      units: { wavelength: solution.unit, flux: typeof bunit === 'string' ? bunit.trim() : '' },
      medium: solution.medium,
      wavelengthSource: `header ${solution.convention}`,
      source: { file: path, hdu: hdu.index, layout: '1D image with spectral WCS' },
    };
  });
}
