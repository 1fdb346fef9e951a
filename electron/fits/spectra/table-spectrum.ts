// Spectra stored in binary tables, in the two layouts surveys use:
//   one row of vector columns (LAMOST DR5+ `spec-*.fits`, HDU COADD: FLUX, IVAR, WAVELENGTH, ANDMASK,
//     ORMASK each an N-element array), and
//   one row per pixel (SDSS/BOSS DR8+ `spec-*.fits`, HDU 1 "COADD": flux, loglam, ivar, and_mask,
//     or_mask; SDSS data model "spec" — loglam is log10 of the vacuum wavelength in Å, flux in
//     1e-17 erg/s/cm²/Å).
// Column names are matched case-insensitively; the wavelength comes from WAVELENGTH (Å) or from
// LOGLAM (λ = 10^loglam).
//
// API:
//   readSpectrumTable(file: FitsFile, hdu: Hdu, layout: string,
//                     defaults: { fluxUnit: string; medium: 'vacuum' | 'air' | undefined }): Spectrum1D
import { openBinaryTable } from '../bintable.ts';
import type { BinaryTable, CellValue } from '../bintable.ts';
import type { BinaryColumn } from '../column.ts';
import type { FitsFile } from '../file.ts';
import type { Hdu } from '../hdu.ts';
import { badPixelMask, uncertaintyFromIvar } from './spectrum.ts';
import type { Spectrum1D } from './spectrum.ts';

function toNumber(value: CellValue, fail: () => Error): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value === null) return NaN;
  throw fail();
}

/** A column's values over the spectrum: the cell of row 0 (vector layout) or one value per row. */
function columnValues(table: BinaryTable, column: BinaryColumn, perRow: boolean): Float64Array {
  const fail = () => table.file.error(table.hdu, 'expected numbers', { column: column.name });
  if (!perRow) {
    const bytes = table.row(0);
    const cell = table.cell(new DataView(bytes.buffer, bytes.byteOffset, bytes.length), 0, column, 0);
    return Float64Array.from(Array.isArray(cell) ? cell : [cell], (v) => toNumber(v, fail));
  }
  const out = new Float64Array(table.rows);
  for (const batch of table.batches()) {
    for (let r = 0; r < batch.count; r++) {
      const row = batch.start + r;
      out[row] = toNumber(table.cell(batch.view, r * table.rowWidth, column, row), fail);
    }
  }
  return out;
}

export function readSpectrumTable(
  file: FitsFile,
  hdu: Hdu,
  layout: string,
  defaults: { fluxUnit: string; medium: 'vacuum' | 'air' | undefined },
): Spectrum1D {
  const table = openBinaryTable(file, hdu);
  if (table.rows < 1) throw file.error(hdu, 'the spectrum table has no rows');
  const find = (...names: string[]) => table.columns.find((c) => names.includes(c.name.toUpperCase()));
  const fluxColumn = find('FLUX');
  const ivarColumn = find('IVAR');
  const wavelengthColumn = find('WAVELENGTH', 'LOGLAM');
  if (!fluxColumn || !ivarColumn || !wavelengthColumn) {
    throw file.error(hdu, 'a spectrum table needs FLUX, IVAR and WAVELENGTH or LOGLAM columns');
  }
  // Vector cells (repeat > 1 or variable length) hold the whole spectrum in row 0.
  const perRow = fluxColumn.repeat === 1 && !fluxColumn.descriptor;
  const read = (column: BinaryColumn) => columnValues(table, column, perRow);
  const flux = read(fluxColumn);
  const ivar = read(ivarColumn);
  const stored = read(wavelengthColumn);
  const logarithmic = wavelengthColumn.name.toUpperCase() === 'LOGLAM';
  const wavelength = logarithmic ? stored.map((x) => 10 ** x) : stored;
  if (ivar.length !== flux.length || wavelength.length !== flux.length) {
    throw file.error(
      hdu,
      `flux, ivar and wavelength lengths differ (${flux.length}, ${ivar.length}, ${wavelength.length})`,
    );
  }
  const andColumn = find('ANDMASK', 'AND_MASK');
  const orColumn = find('ORMASK', 'OR_MASK');
  const andMask = andColumn ? Int32Array.from(read(andColumn)) : undefined;
  const orMask = orColumn ? Int32Array.from(read(orColumn)) : undefined;
  return {
    wavelength,
    flux,
    uncertainty: uncertaintyFromIvar(ivar),
    mask: badPixelMask(flux, ivar, andMask),
    units: {
      wavelength: logarithmic ? 'Angstrom' : wavelengthColumn.unit || 'Angstrom',
      flux: fluxColumn.unit || defaults.fluxUnit,
    },
    medium: defaults.medium,
    wavelengthSource: `${wavelengthColumn.name} column`,
    source: { file: file.path, hdu: hdu.index, layout },
    ...(andMask ? { andMask } : {}),
    ...(orMask ? { orMask } : {}),
  };
}
