// Sexagesimal right ascension and declination: text columns (`12:34:56.78`, `12 34 56.78`,
// `12h34m56.78s`) under the usual RA/Dec names, and the CDS split (RAh RAm RAs, DE- DEd DEm DEs), are
// recognised and read in degrees as astropy's SkyCoord reads them (reference.json, written by
// astropy/make_reference.py); a cell that is not an angle is named by file, column and row.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarise } from '../../../electron/catalog/inspect.ts';
import { resolveQuantity } from '../../../electron/catalog/quality.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { recognise } from '../../../electron/catalog/recognise.ts';
import type { QuantitySource } from '../../../electron/catalog/recognise.ts';
import type { CatalogTable } from '../../../electron/catalog/table.ts';
import { isSexagesimal, parseSexagesimal } from '../../../electron/catalog/units.ts';
import { crossMatchTables } from '../../../electron/catalog/xmatch.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-sexagesimal-'));
const reference = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'astropy/reference.json'), 'utf8'),
) as { angles: { ra: string; dec: string; raDeg: number; decDeg: number }[] };

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Degrees of right ascension and declination per row (NaN where missing). */
function positions(catalog: CatalogTable, overrides: Record<string, QuantitySource> = {}) {
  const recognition = recognise(catalog.table, overrides);
  const values = (name: string): number[] => {
    const source = recognition.get(name);
    if (source === undefined) throw new Error(`no ${name}`);
    const column = resolveQuantity(catalog.table, recognition, source);
    return Array.from(column.values, (v, i) => (column.valid[i] ? v : Number.NaN));
  };
  return { ra: values('ra'), dec: values('dec'), recognition };
}

function expectDegrees(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    if (Number.isNaN(expected[i]!)) expect(v).toBeNaN();
    else expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-11);
  });
}

// SkyCoord(['12:34:56.78', '00 30 00', '23h59m59.999s'], ['+12:34:56.7', '-00 30 00', '-05d12m03s'],
// unit=(u.hourangle, u.deg)) in astropy 8.0.2.
const RA = [188.73658333333333, 7.499999999999999, 359.99999583333334];
const DEC = [12.582416666666667, -0.5, -5.200833333333334];

describe('sexagesimal angles', () => {
  it('reads as astropy SkyCoord reads them, the sign of -00 included', () => {
    expect(reference.angles.length).toBe(60);
    for (const { ra, dec, raDeg, decDeg } of reference.angles) {
      expect(Math.abs(parseSexagesimal(ra, true) - raDeg)).toBeLessThan(1e-11);
      expect(Math.abs(parseSexagesimal(dec, false) - decDeg)).toBeLessThan(1e-11);
    }
    expect(parseSexagesimal('12h34.5m', false)).toBeCloseTo(188.625, 11);
    expect(parseSexagesimal('12°34′56.7″', false)).toBeCloseTo(12.582416666666667, 12);
    expect(parseSexagesimal('-05:12', false)).toBeCloseTo(-5.2, 12);
  });

  it('refuses what astropy refuses, saying why', () => {
    expect(() => parseSexagesimal('12:61:00', true)).toThrow(/'12:61:00': minutes 61 are not below 60/);
    expect(() => parseSexagesimal('12:30:60.5', true)).toThrow(/seconds 60\.5 are more than 60/);
    expect(() => parseSexagesimal('25:00:00', true)).toThrow(/hours 25 are not below 24/);
    expect(() => parseSexagesimal('12:3x:00', true)).toThrow(/'12:3x:00' is not a sexagesimal angle/);
    expect(() => parseSexagesimal('12.5:30:00', true)).toThrow(/not a sexagesimal angle/);
    expect(parseSexagesimal('12:30:60', true)).toBeCloseTo(187.75, 12);
    expect(isSexagesimal('187.25')).toBe(false);
    expect(isSexagesimal('J123456.7+123456')).toBe(false);
  });

  it('recognises text RA/Dec in CSV, ECSV and MRT files, in hours and degrees', async () => {
    const csv = await readCatalog(
      write(
        'pos.csv',
        'name,RA,Dec\na,12:34:56.78,+12:34:56.7\nb,00 30 00,-00 30 00\nc,23h59m59.999s,-05d12m03s\nd,,\n',
      ),
    );
    const read = positions(csv);
    expectDegrees(read.ra, [...RA, Number.NaN]);
    expectDegrees(read.dec, [...DEC, Number.NaN]);
    expect(read.recognition.get('ra')).toMatchObject({ column: 'RA', note: 'sexagesimal hours' });
    expect(read.recognition.get('dec')).toMatchObject({ column: 'Dec', note: 'sexagesimal degrees' });

    const ecsv = await readCatalog(
      write(
        'pos.ecsv',
        '# %ECSV 1.0\n# ---\n# datatype:\n# - {name: RAJ2000, datatype: string}\n' +
          '# - {name: DEJ2000, datatype: string}\n# schema: astropy-2.0\nRAJ2000 DEJ2000\n' +
          '12:34:56.78 +12:34:56.7\n"00 30 00" "-00 30 00"\n23h59m59.999s -05d12m03s\n',
      ),
    );
    expectDegrees(positions(ecsv).ra, RA);
    expectDegrees(positions(ecsv).dec, DEC);

    // VizieR's sexagesimal columns: text under RAJ2000/DEJ2000 with units "h:m:s" and "d:m:s".
    const mrt = await readCatalog(
      write(
        'pos.txt',
        [
          'Title: test',
          '='.repeat(80),
          'Byte-by-byte Description of file: pos.txt',
          '-'.repeat(80),
          '   Bytes Format Units    Label      Explanations',
          '-'.repeat(80),
          '   1- 13 A13    "h:m:s"  RAJ2000    Right ascension (J2000)',
          '  15- 25 A11    "d:m:s"  DEJ2000    Declination (J2000)',
          '-'.repeat(80),
          '12 34 56.78   +12 34 56.7',
          '00 30 00      -00 30 00',
          '23 59 59.999  -05 12 03',
        ].join('\n'),
      ),
    );
    expectDegrees(positions(mrt).ra, RA);
    expectDegrees(positions(mrt).dec, DEC);
  });

  it('prefers a numeric column in degrees where the table has both', async () => {
    const both = await readCatalog(
      write('both.csv', 'RAJ2000,DEJ2000,_RAJ2000,_DEJ2000\n12:34:56.78,+12:34:56.7,188.7,12.5\n'),
    );
    const { recognition } = positions(both);
    expect(recognition.get('ra')?.column).toBe('_RAJ2000');
    expect(recognition.get('dec')?.column).toBe('_DEJ2000');
  });

  it('reads the CDS split into RAh RAm RAs and DE- DEd DEm DEs', async () => {
    const header = [
      'Title: test',
      '='.repeat(80),
      'Byte-by-byte Description of file: split.txt',
      '-'.repeat(80),
      '   Bytes Format Units    Label      Explanations',
      '-'.repeat(80),
      '   1-  2 I2     h        RAh        Hour of Right Ascension (J2000)',
      '   4-  5 I2     min      RAm        Minute of Right Ascension (J2000)',
      '   7- 12 F6.3   s        RAs        Second of Right Ascension (J2000)',
      '      14 A1     ---      DE-        Sign of the Declination (J2000)',
      '  15- 16 I2     deg      DEd        Degree of Declination (J2000)',
      '  18- 19 I2     arcmin   DEm        Arcminute of Declination (J2000)',
      '  21- 24 F4.1   arcsec   DEs        Arcsecond of Declination (J2000)',
      '-'.repeat(80),
    ];
    const split = await readCatalog(
      write(
        'split.txt',
        [
          ...header,
          '12 34 56.780 +12 34 56.7',
          '00 30  0.000 -00 30  0.0',
          '23 59 59.999 -05 12  3.0',
          '',
        ].join('\n'),
      ),
    );
    const read = positions(split);
    expectDegrees(read.ra, RA);
    expectDegrees(read.dec, DEC);
    expect(read.recognition.get('dec')?.note).toBe('sexagesimal degrees (CDS DE-, DEd, DEm, DEs)');
    expect(read.recognition.get('ra')?.expression).toBe('15 * (RAh + RAm / 60 + RAs / 3600)');

    const partial = await readCatalog(
      write('partial.txt', [...header, '12 34        +12 34 56.7'].join('\n')),
    );
    expect(() => positions(partial)).toThrow(/column RAs, row 1: blank, but RAh is not/);
    const wrongSign = await readCatalog(
      write('sign.txt', [...header, '12 34 56.780 x12 34 56.7'].join('\n')),
    );
    expect(() => positions(wrongSign)).toThrow(/column DE-, row 1: 'x' is not a sign/);
  });

  it('cross-matches a sexagesimal catalogue and names file, column and row of a bad cell', async () => {
    const a = await readCatalog(
      write('a.csv', 'id,RA,DEC\n1,12:34:56.78,+12:34:56.7\n2,00 30 00,-00 30 00\n3,01:00:00,+01:00:00\n'),
    );
    const b = await readCatalog(write('b.csv', `ra,dec,tag\n7.5,-0.50001,x\n${RA[0]! + 1e-5},${DEC[0]},y\n`));
    const matched = crossMatchTables(a, b, { radiusDeg: 1 / 3600, all: false });
    expect(matched.matched).toBe(2);
    expect([...matched.table.getChild('tag')!]).toEqual(['y', 'x', null]);
    // 0.00001 deg in declination; in right ascension, times cos(dec).
    const seps = [...matched.table.getChild('separation_arcsec')!] as (number | null)[];
    expect(seps[0]).toBeCloseTo(0.036 * Math.cos((DEC[0]! * Math.PI) / 180), 6);
    expect(seps[1]).toBeCloseTo(0.036, 6);

    const bad = await readCatalog(
      write('bad.csv', 'RA,DEC\n12:34:56.78,+12:34:56.7\n12:34:5x,+12:34:56.7\n'),
    );
    // One bad cell among good ones leaves the column recognised, so that the cell can be named.
    expect(() => crossMatchTables(bad, b, { radiusDeg: 1 / 3600, all: false })).toThrow(
      /bad\.csv: column RA, row 2: '12:34:5x' is not a sexagesimal angle/,
    );
    expect(() => summarise(bad)).toThrow(/bad\.csv: column RA, row 2: '12:34:5x' is not a sexagesimal angle/);
  });

  it('reads a text column that a saved mapping names as an angle', async () => {
    const catalog = await readCatalog(
      write(
        'mapped.csv',
        'alpha,delta\n12:34:56.78,+12:34:56.7\n00 30 00,-00 30 00\n23h59m59.999s,-05d12m03s\n',
      ),
    );
    const read = positions(catalog, { ra: { column: 'alpha' }, dec: { column: 'delta' } });
    expectDegrees(read.ra, RA);
    expectDegrees(read.dec, DEC);
  });
});
