// Bad input gives one clean FitsError naming file, HDU and keyword or column — never a crash, a hang
// or an allocation sized by a forged header rather than by the file.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsError } from '../../../electron/fits/errors.ts';
import { FitsFile } from '../../../electron/fits/file.ts';
import { rowsOf, summarizeHdu } from '../../../electron/fits/inspect.ts';
import { PRIMARY, fitsBytes, table } from './build.ts';
import { EXERCISED_FIXTURES, exercise } from './exercise.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-fits-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'fits');

function failure(bytes: Buffer, name: string): FitsError {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    exercise(path);
  } catch (error) {
    expect(error).toBeInstanceOf(FitsError);
    const fitsError = error as FitsError;
    expect(fitsError.message).toContain(path);
    expect(fitsError.message).not.toContain('\n');
    return fitsError;
  }
  throw new Error(`${name} was read without an error`);
}

describe('robustness', () => {
  it('refuses non-FITS bytes and empty files', () => {
    expect(failure(Buffer.from('PK\x03\x04 this is a zip file'.repeat(200)), 'zip.fits').message).toMatch(
      /not a FITS file/,
    );
    expect(failure(Buffer.alloc(0), 'empty.fits').message).toMatch(/empty/);
    expect(() => FitsFile.open(join(dir, 'absent.fits'))).toThrow(/absent\.fits: no such file/);
    // Linux opens a directory for reading: the read failed with EISDIR and no path.
    expect(() => FitsFile.open(dir)).toThrow(`${dir}: is a directory`);
  });

  it('reports a header cut before END', () => {
    const bytes = fitsBytes([PRIMARY]).subarray(0, 2000);
    expect(
      failure(Buffer.concat([bytes, Buffer.alloc(880, 0x20)]).subarray(0, 2000), 'cut-header.fits').message,
    ).toMatch(/truncated/);
  });

  it('lists an HDU whose data is cut, and fails only when the data is read', () => {
    const data = Buffer.alloc(100 * 4);
    const bytes = fitsBytes([PRIMARY, table(['1J'], 4, 100)], [Buffer.alloc(0), data]).subarray(
      0,
      2880 * 2 + 200,
    );
    const path = join(dir, 'cut-data.fits');
    writeFileSync(path, bytes);
    expect(FitsFile.with(path, (f) => f.hdus().length)).toBe(2);
    const error = failure(bytes, 'cut-data.fits');
    expect(error.message).toMatch(/HDU 1: the file is truncated/);
  });

  it('does not allocate for absurd axis lengths', () => {
    const before = process.memoryUsage().arrayBuffers;
    const image = [
      ...PRIMARY.slice(0, 2),
      'NAXIS   =                    2',
      'NAXIS1  =           4000000000',
      'NAXIS2  =           4000000000',
    ];
    const error = failure(fitsBytes([image]), 'huge-image.fits');
    expect(error.message).toMatch(/truncated|not representable/);
    const wide = failure(fitsBytes([PRIMARY, table(['1J'], 4, 2_000_000_000_000)]), 'huge-table.fits');
    expect(wide.message).toMatch(/HDU 1: the file is truncated/);
    // Inside gzip the file's length is unknown until inflated: still no allocation by the header.
    const huge = gzipSync(fitsBytes([PRIMARY, table(['1000000000000A'], 1_000_000_000_000, 1)]));
    expect(failure(Buffer.from(huge), 'huge-row.fits.gz').message).toMatch(
      /HDU 1: the file ends inside the data/,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });

  it('rejects negative sizes and bad BITPIX naming the keyword', () => {
    const negative = [
      ...PRIMARY.slice(0, 2),
      'NAXIS   =                    1',
      'NAXIS1  =                  -10',
    ];
    expect(failure(fitsBytes([negative]), 'negative.fits').message).toMatch(
      /HDU 0.*keyword NAXIS1: NAXIS1 is negative/,
    );
    const bitpix = [
      'SIMPLE  =                    T',
      'BITPIX  =                   12',
      'NAXIS   =                    0',
    ];
    expect(failure(fitsBytes([bitpix]), 'bitpix.fits').message).toMatch(/keyword BITPIX: BITPIX 12/);
    const pcount = table(['1J'], 4, 1).map((c) =>
      c.startsWith('PCOUNT') ? 'PCOUNT  =                   -5' : c,
    );
    expect(failure(fitsBytes([PRIMARY, pcount]), 'pcount.fits').message).toMatch(/keyword PCOUNT/);
  });

  it('rejects wrong TFORMs and TDIMs naming the column and keyword', () => {
    expect(failure(fitsBytes([PRIMARY, table(['1Z'], 4, 0)]), 'tform.fits').message).toMatch(
      /HDU 1: column c1: keyword TFORM1: TFORM '1Z'/,
    );
    expect(failure(fitsBytes([PRIMARY, table(['4J'], 4, 0)]), 'width.fits').message).toMatch(
      /keyword NAXIS1: the columns need 16 bytes/,
    );
    const tdim = table(['6E'], 24, 0, ["TDIM1   = '(4,2)'"]);
    expect(failure(fitsBytes([PRIMARY, tdim]), 'tdim.fits').message).toMatch(
      /column c1: keyword TDIM1: TDIM \(4,2\) holds 8/,
    );
  });

  it('rejects variable-length descriptors that point outside the heap', () => {
    const descriptor = Buffer.alloc(8);
    descriptor.writeInt32BE(1000, 0);
    descriptor.writeInt32BE(0, 4);
    const fields = table(['1PJ(1000)'], 8, 1).map((c) =>
      c.startsWith('PCOUNT') ? 'PCOUNT  =                   16' : c,
    );
    const error = failure(
      fitsBytes([PRIMARY, fields], [Buffer.alloc(0), Buffer.concat([descriptor, Buffer.alloc(16)])]),
      'heap.fits',
    );
    expect(error.message).toMatch(/HDU 1: column c1: row 0: variable-length descriptor \(1000 elements/);
  });

  it('inspects a 10 GB table without reading its data', () => {
    const rows = (10 * 2 ** 30) / 8;
    const bytes = fitsBytes([PRIMARY, table(['1D'], 8, rows)]);
    const path = join(dir, 'ten-gb.fits');
    writeFileSync(path, bytes);
    truncateSync(path, bytes.length + rows * 8 + ((2880 - ((rows * 8) % 2880)) % 2880));
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    FitsFile.with(path, (file) => {
      const hdu = file.hdu(1);
      expect(summarizeHdu(file, hdu).rows).toBe(rows);
      expect(rowsOf(file, hdu, [0, rows - 1]).rows[String(rows - 1)]).toEqual({ c1: 0 });
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
  });

  it('skips unknown extensions by their size keywords', () => {
    const unknown = [
      "XTENSION= 'FOREIGN '",
      'BITPIX  =                    8',
      'NAXIS   =                    1',
      'NAXIS1  =                 3000',
      'PCOUNT  =                    0',
      'GCOUNT  =                    1',
    ];
    const path = join(dir, 'unknown.fits');
    writeFileSync(
      path,
      fitsBytes(
        [PRIMARY, unknown, table(['1J'], 4, 1)],
        [Buffer.alloc(0), Buffer.alloc(3000, 7), Buffer.from([0, 0, 0, 42])],
      ),
    );
    const types = FitsFile.with(path, (f) => f.hdus().map((h) => h.type));
    expect(types).toEqual(['PRIMARY', 'UNKNOWN', 'BINTABLE']);
    exercise(path);
  });

  it('reads every fixture cleanly', () => {
    for (const name of EXERCISED_FIXTURES) {
      expect(() => exercise(join(fixtures, name)), name).not.toThrow();
    }
    expect(readFileSync(join(fixtures, 'astropy', 'LICENSE.rst'), 'utf8')).toMatch(/BSD|Redistribution/);
  });
});
