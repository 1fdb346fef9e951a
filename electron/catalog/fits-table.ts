// FITS tables through the FITS engine (electron/fits): the first table HDU (or the one asked for)
// becomes an Arrow table with the column units the engine puts in field metadata.
import { readTable } from '../fits/arrow.ts';
import { FitsFile } from '../fits/file.ts';
import type { Hdu } from '../fits/hdu.ts';
import type { CatalogTable } from './table.ts';

/** The HDU asked for (0-based), or the file's first table HDU. */
export function tableHdu(fits: FitsFile, file: string, hduIndex?: number): Hdu {
  const hdus = fits.hdus();
  const hdu =
    hduIndex !== undefined ? hdus[hduIndex] : hdus.find((h) => h.type === 'BINTABLE' || h.type === 'TABLE');
  if (hdu === undefined) {
    throw new Error(
      hduIndex !== undefined
        ? `${file}: no HDU ${hduIndex} (the file has ${hdus.length})`
        : `${file}: no table HDU (BINTABLE or TABLE) in the file`,
    );
  }
  return hdu;
}

export function readFitsTable(file: string, hduIndex?: number): CatalogTable {
  return FitsFile.with(file, (fits) => ({
    file,
    format: 'fits',
    table: readTable(fits, tableHdu(fits, file, hduIndex)),
  }));
}
