// Test support: read everything the engine offers on a file (HDU list, headers, statistics, rows,
// pixels, Arrow batches), so robustness tests and the fuzzer drive every code path a user can reach.
import { openTable, tableBatches } from '../../../electron/fits/arrow.ts';
import { FitsFile } from '../../../electron/fits/file.ts';
import { pixelsOf, rowsOf, statsOf, summarizeHdu } from '../../../electron/fits/inspect.ts';

/** Fixtures (paths under test/fixtures/fits) that together reach every HDU type and column form. */
export const EXERCISED_FIXTURES: readonly string[] = [
  'astropy/tb.fits',
  'astropy/tdim.fits',
  'astropy/ascii.fits',
  'astropy/scale.fits',
  'astropy/blank.fits',
  'astropy/variable_length_table.fits',
  'astropy/theap-gap.fits',
  'astropy/group.fits',
  'astropy/zerowidth.fits',
  'astropy/compressed_with_nan.fits',
  'nom-tam/tst0010.fits',
  'nom-tam/tst0012.fits',
  'nom-tam/test.fits.gz',
  'nom-tam/test.fits.bz2',
];

export function exercise(path: string): void {
  FitsFile.with(path, (file) => {
    for (const hdu of file.hdus()) {
      const summary = summarizeHdu(file, hdu);
      switch (hdu.type) {
        case 'BINTABLE':
        case 'TABLE': {
          statsOf(file, hdu);
          const rows = summary.rows ?? 0;
          const wanted = [...new Set([0, 1, 2, rows - 1].filter((r) => r >= 0 && r < rows))];
          rowsOf(file, hdu, wanted);
          const table = openTable(file, hdu);
          for (const batch of tableBatches(table, { end: Math.min(rows, 64), batchRows: 16 }))
            void batch.numRows;
          break;
        }
        case 'PRIMARY':
        case 'IMAGE':
        case 'COMPRESSED_IMAGE': {
          const shape = summary.shape ?? [];
          if (shape.length === 0 || shape.some((n) => n === 0)) break;
          statsOf(file, hdu);
          pixelsOf(file, hdu, [shape.map(() => 0), shape.map((n) => n - 1)]);
          break;
        }
        case 'RANDOM_GROUPS':
          if ((summary.shape?.[0] ?? 0) > 0) rowsOf(file, hdu, [0]);
          break;
        default:
          break;
      }
    }
  });
}
