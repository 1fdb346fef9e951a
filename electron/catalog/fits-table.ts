// FITS tables through the FITS engine (electron/fits): the first table HDU (or the one asked for)
// becomes an Arrow table with the column units the engine puts in field metadata.
import { readTable } from '../fits/arrow.ts';
import { FitsFile } from '../fits/file.ts';
import type { CatalogTable } from './table.ts';

export function readFitsTable(file: string, hduIndex?: number): CatalogTable {
  return FitsFile.with(file, (fits) => {
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
    return { file, format: 'fits', table: readTable(fits, hdu) };
  });
}
