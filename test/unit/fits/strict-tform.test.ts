// TFORMs that do not describe the row are refused, naming file, HDU and keyword, instead of being read
// leniently with later columns at the wrong offsets or every value null; --rows ranges are checked
// against the row count before they are expanded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRowList } from '../../../electron/cli/commands/fits.ts';
import { FitsError } from '../../../electron/fits/errors.ts';
import { FitsFile } from '../../../electron/fits/file.ts';
import type { JsonCell } from '../../../electron/fits/inspect.ts';
import { rowsOf } from '../../../electron/fits/inspect.ts';
import { PRIMARY, fitsBytes, table } from './build.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-fits-tform-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The layout of astropy's tb.fits: 1J, 3A, 1E, 1L in 12 bytes, one row. */
function binary(forms: string[]): Buffer {
  const row = Buffer.alloc(12);
  row.writeInt32BE(1, 0);
  row.write('abc', 4, 'latin1');
  row.writeFloatBE(3.5, 7);
  row.write('T', 11, 'latin1');
  return fitsBytes([PRIMARY, table(forms, 12, 1)], [Buffer.alloc(0), row]);
}

/** The layout of astropy's ascii.fits: E10.4 at column 1 and I5 at column 12 of 16. */
function ascii(forms: [string, string], tbcol2 = 12): Buffer {
  const header = [
    "XTENSION= 'TABLE   '",
    'BITPIX  =                    8',
    'NAXIS   =                    2',
    'NAXIS1  =                   16',
    'NAXIS2  =                    1',
    'PCOUNT  =                    0',
    'GCOUNT  =                    1',
    'TFIELDS =                    2',
    "TTYPE1  = 'a'",
    'TBCOL1  =                    1',
    `TFORM1  = '${forms[0]}'`,
    "TTYPE2  = 'b'",
    `TBCOL2  = ${String(tbcol2).padStart(20)}`,
    `TFORM2  = '${forms[1]}'`,
  ];
  return fitsBytes([PRIMARY, header], [Buffer.alloc(0), Buffer.from('1.2500E+00    42', 'latin1')]);
}

function firstRow(bytes: Buffer, name: string): Record<string, JsonCell> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return FitsFile.with(path, (file) => rowsOf(file, file.hdu(1), [0]).rows['0']!);
}

function failure(bytes: Buffer, name: string): string {
  const path = join(dir, name);
  try {
    firstRow(bytes, name);
  } catch (error) {
    expect(error).toBeInstanceOf(FitsError);
    const message = (error as FitsError).message;
    expect(message.startsWith(`${path}: HDU 1: `)).toBe(true);
    return message;
  }
  throw new Error(`${name} was read without an error`);
}

describe('binary-table TFORMs', () => {
  it('reads the well-formed table', () => {
    expect(firstRow(binary(['1J', '3A', '1E', '1L']), 'good.fits')).toEqual({
      c1: 1,
      c2: 'abc',
      c3: 3.5,
      c4: true,
    });
  });

  it('accepts lower-case type letters, as astropy does', () => {
    expect(firstRow(binary(['1j', '3a', 'e', '1l']), 'lower.fits')).toEqual({
      c1: 1,
      c2: 'abc',
      c3: 3.5,
      c4: true,
    });
  });

  it('refuses junk after A', () => {
    expect(failure(binary(['1J', 'abc', '1E', '1L']), 'abc.fits')).toMatch(
      /column c2: keyword TFORM2: TFORM 'abc' has unexpected text after the type$/,
    );
  });

  it('refuses TFORMs whose widths fall short of NAXIS1, naming each TFORM', () => {
    for (const form of ['a', '1a']) {
      expect(failure(binary(['1J', form, '1E', '1L']), `short-${form}.fits`)).toContain(
        `keyword NAXIS1: the columns need 10 bytes per row (TFORM1 '1J', TFORM2 '${form}', TFORM3 '1E', TFORM4 '1L') but NAXIS1 is 12`,
      );
    }
  });
});

describe('ASCII-table TFORMs', () => {
  it('reads the well-formed table', () => {
    expect(firstRow(ascii(['E10.4', 'I5']), 'ascii-good.fits')).toEqual({ a: 1.25, b: 42 });
  });

  it('refuses a zero field width', () => {
    expect(failure(ascii(['F0.0', 'I5']), 'f0.fits')).toMatch(
      /column a: keyword TFORM1: TFORM 'F0.0': the field width must be a positive integer$/,
    );
    expect(failure(ascii(['E10.4', 'I0']), 'i0.fits')).toMatch(
      /column b: keyword TFORM2: TFORM 'I0': the field width must be a positive integer$/,
    );
  });

  it('refuses lower-case formats, as astropy does', () => {
    expect(failure(ascii(['E10.4', 'i5']), 'i5.fits')).toMatch(
      /column b: keyword TFORM2: TFORM 'i5' is not an ASCII-table format/,
    );
  });

  it('refuses a field that ends past NAXIS1', () => {
    expect(failure(ascii(['E10.4', 'I5'], 13), 'past.fits')).toMatch(
      /column b: keyword TBCOL2: TBCOL2 13 with TFORM2 'I5' \(width 5\) does not fit in NAXIS1 16$/,
    );
  });
});

describe('--rows ranges', () => {
  it('expands indices and ranges, the end excluded', () => {
    expect(parseRowList('0, 17,40:43', 50)).toEqual([0, 17, 40, 41, 42]);
  });

  it('refuses a huge range at once, before expanding it', () => {
    const started = performance.now();
    expect(() => parseRowList('0:99999999999', 50)).toThrow(
      '--rows 0:99999999999: row 99999999998 is outside 0–49',
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(() => parseRowList('0:51', 50)).toThrow('row 50 is outside 0–49');
    expect(() => parseRowList('50', 50)).toThrow('row 50 is outside 0–49');
  });

  it('refuses empty and reversed ranges, naming them', () => {
    expect(() => parseRowList('49:40', 50)).toThrow(
      '--rows 49:40 is empty: ranges are start:end with end excluded',
    );
    expect(() => parseRowList('0,3:3', 50)).toThrow(
      '--rows 3:3 is empty: ranges are start:end with end excluded',
    );
  });
});
