// A column name given twice (a FITS TTYPE, a byte-by-byte label, a Parquet field) names two columns:
// every reader keeps both, the second renamed '<name>_2' as the CSV and VOTable readers do, each with
// its own data, unit, description and null value (they go with the column's position, not its name),
// and every output (Parquet included, which pyarrow cannot read with a repeated name) gets unique names.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Field,
  Float64,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  makeVector,
  tableFromIPC,
} from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { convertCatalog } from '../../../electron/catalog/convert.ts';
import { writeParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import type { CatalogTable } from '../../../electron/catalog/table.ts';
import { uniqueNames } from '../../../electron/catalog/table.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-dup-names-'));

function columns(catalog: CatalogTable): Record<string, unknown[]> {
  return Object.fromEntries(
    catalog.table.schema.fields.map((field, k) => [
      field.name,
      Array.from(catalog.table.getChildAt(k)!, (v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
    ]),
  );
}

function meta(catalog: CatalogTable, key: string): (string | undefined)[] {
  return catalog.table.schema.fields.map((field) => field.metadata.get(key));
}

/** A FITS header block: 80-character cards, END, padded to 2880 bytes. */
function header(cards: [string, string | number | boolean, string?][]): Buffer {
  const lines = cards.map(([key, value, comment]) => {
    const text =
      typeof value === 'string'
        ? `'${value.padEnd(8)}'`
        : typeof value === 'boolean'
          ? (value ? 'T' : 'F').padStart(20)
          : String(value).padStart(20);
    return `${key.padEnd(8)}= ${text}${comment === undefined ? '' : ` / ${comment}`}`.padEnd(80);
  });
  lines.push('END'.padEnd(80));
  const text = lines.join('');
  return Buffer.from(text.padEnd(Math.ceil(text.length / 2880) * 2880), 'latin1');
}

/** Data padded to whole 2880-byte blocks (with zeros, or spaces for an ASCII table). */
function block(data: Buffer, fill = 0): Buffer {
  return Buffer.concat([data, Buffer.alloc((2880 - (data.length % 2880)) % 2880, fill)]);
}

const PRIMARY = header([
  ['SIMPLE', true],
  ['BITPIX', 8],
  ['NAXIS', 0],
  ['EXTEND', true],
]);

/** As the hunt's fits_dup_ttype.fits: ra, dec, n with TTYPE2 changed to 'ra' (here with its own unit
 * and comment, so that metadata taken by name would show). */
function dupBintable(): string {
  const rows = [
    [1, 4, 1],
    [2, 5, -1],
    [3, 6, 3],
  ];
  const data = Buffer.alloc(rows.length * 20);
  rows.forEach(([ra, dec, n], r) => {
    data.writeDoubleBE(ra!, r * 20);
    data.writeDoubleBE(dec!, r * 20 + 8);
    data.writeInt32BE(n!, r * 20 + 16);
  });
  const hdu = header([
    ['XTENSION', 'BINTABLE'],
    ['BITPIX', 8],
    ['NAXIS', 2],
    ['NAXIS1', 20],
    ['NAXIS2', rows.length],
    ['PCOUNT', 0],
    ['GCOUNT', 1],
    ['TFIELDS', 3],
    ['TTYPE1', 'ra', 'right ascension'],
    ['TFORM1', 'D'],
    ['TUNIT1', 'deg'],
    ['TTYPE2', 'ra', 'was dec'],
    ['TFORM2', 'D'],
    ['TUNIT2', 'rad'],
    ['TTYPE3', 'n'],
    ['TFORM3', 'J'],
    ['TNULL3', -1],
  ]);
  const path = join(dir, 'dup.fits');
  writeFileSync(path, Buffer.concat([PRIMARY, hdu, block(data)]));
  return path;
}

function dupAsciiTable(): string {
  // Two 6-byte rows: x (F4.1) in bytes 1-4, x again (I1) in byte 6; 8 is its TNULL.
  const data = Buffer.from(' 1.5 7 2.5 8', 'latin1');
  const hdu = header([
    ['XTENSION', 'TABLE'],
    ['BITPIX', 8],
    ['NAXIS', 2],
    ['NAXIS1', 6],
    ['NAXIS2', 2],
    ['PCOUNT', 0],
    ['GCOUNT', 1],
    ['TFIELDS', 2],
    ['TTYPE1', 'x'],
    ['TBCOL1', 1],
    ['TFORM1', 'F4.1'],
    ['TUNIT1', 'mag'],
    ['TTYPE2', 'x'],
    ['TBCOL2', 6],
    ['TFORM2', 'I1'],
    ['TNULL2', '8'],
  ]);
  const path = join(dir, 'dup-ascii.fits');
  writeFileSync(path, Buffer.concat([PRIMARY, hdu, block(data, 0x20)]));
  return path;
}

/** The hunt's mrt_duplabel.mrt: an AAS table whose Gmag label was changed to ra. */
function dupMrt(): string {
  const text = `Title:
Authors:
Table:
================================================================================
Byte-by-byte Description of file: table.dat
--------------------------------------------------------------------------------
 Bytes Format Units  Label     Explanations
--------------------------------------------------------------------------------
    1  I1     ---    id      [1/3] Description of id
 3- 6  F4.1   deg    ra      [10.1/30.3] Description of ra
 8-11  F4.1   deg    dec     [-1.0/3.5] Description of dec
13-16  F4.1   mag    ra      [9.0/12.3]? Description of Gmag
18-20  A3     ---    name    Description of name
--------------------------------------------------------------------------------
Notes:
--------------------------------------------------------------------------------
1 10.1 -1.0 12.3 a
2 20.2  2.0      bb
3 30.3  3.5  9.0 ccc
`;
  const path = join(dir, 'dup.mrt');
  writeFileSync(path, text);
  return path;
}

/** As the hunt's pq_dup.parquet (pyarrow, names ['ra', 'ra']), each field with its own unit. */
async function dupParquet(): Promise<string> {
  const vector = (values: number[]) => makeVector(BigInt64Array.from(values, BigInt));
  const fields = [
    new Field('ra', new Int64(), true, new Map([['unit', 'deg']])),
    new Field('ra', new Int64(), true, new Map([['unit', 'mas']])),
    new Field('g', new Float64(), true),
  ];
  const children = [vector([1, 2]), vector([3, 4]), makeVector(new Float64Array([0.5, 1.5]))].map(
    (v) => v.data[0]!,
  );
  // The table keeps the schema it is given; its batch's own schema has lost a unit to the repeated name.
  const schema = new Schema(fields);
  const table = new Table(schema, [
    new RecordBatch(schema, makeData({ type: new Struct(fields), length: 2, children })),
  ]);
  const path = join(dir, 'dup.parquet');
  await writeParquet(table, path);
  // The file itself repeats the name, as pyarrow's does.
  expect(parquetNames(path)).toEqual(['ra', 'ra', 'g']);
  return path;
}

/** The field names as stored in a Parquet file, not as Cradle's reader renames them. */
function parquetNames(path: string): string[] {
  return tableFromIPC(readParquet(readFileSync(path)).intoIPCStream()).schema.fields.map((f) => f.name);
}

describe('uniqueNames', () => {
  it('appends _2, _3… to repeats, never taking a name another column has', () => {
    expect(uniqueNames(['a', 'a', 'a'])).toEqual(['a', 'a_2', 'a_3']);
    expect(uniqueNames(['ra', 'ra', 'ra_2'])).toEqual(['ra', 'ra_3', 'ra_2']);
    expect(uniqueNames(['ra_2', 'ra', 'ra'])).toEqual(['ra_2', 'ra', 'ra_3']);
    expect(uniqueNames([' x ', '', ''])).toEqual(['x', 'col', 'col_2']);
  });
});

describe('a repeated column name', () => {
  it('FITS binary table: both columns keep their data, units, comments and TNULL', async () => {
    const fits = dupBintable();
    const catalog = await readCatalog(fits);
    expect(columns(catalog)).toEqual({ ra: [1, 2, 3], ra_2: [4, 5, 6], n: [1, null, 3] });
    expect(meta(catalog, 'unit')).toEqual(['deg', 'rad', undefined]);
    expect(meta(catalog, 'description')).toEqual(['right ascension', 'was dec', undefined]);
    // The streamed path (a FITS table read by row range) gives the same.
    const csv = join(dir, 'from-fits.csv');
    await convertCatalog(fits, csv, { batchRows: 2 });
    expect(readFileSync(csv, 'utf8')).toBe('ra,ra_2,n\n1,4,1\n2,5,\n3,6,3\n');
    const parquet = join(dir, 'from-fits.parquet');
    await convertCatalog(fits, parquet);
    // n has a TNULL cell: astropy's mask column follows it (parquet-astropy.ts).
    expect(parquetNames(parquet)).toEqual(['ra', 'ra_2', 'n', 'n.mask']);
    expect(columns(await readCatalog(parquet))).toEqual({ ra: [1, 2, 3], ra_2: [4, 5, 6], n: [1, null, 3] });
  });

  it('FITS ASCII table: both columns keep their data, unit and TNULL', async () => {
    const catalog = await readCatalog(dupAsciiTable());
    expect(columns(catalog)).toEqual({ x: [1.5, 2.5], x_2: [7, null] });
    expect(meta(catalog, 'unit')).toEqual(['mag', undefined]);
  });

  it('byte-by-byte (MRT): each column keeps its own unit and explanation', async () => {
    const mrt = dupMrt();
    const catalog = await readCatalog(mrt);
    expect(catalog.table.schema.fields.map((f) => f.name)).toEqual(['id', 'ra', 'dec', 'ra_2', 'name']);
    expect(columns(catalog).ra).toEqual([10.1, 20.2, 30.3]);
    expect(columns(catalog).ra_2).toEqual([12.3, null, 9]);
    expect(meta(catalog, 'unit')).toEqual([undefined, 'deg', 'deg', 'mag', undefined]);
    expect(meta(catalog, 'description')[1]).toMatch(/Description of ra$/);
    expect(meta(catalog, 'description')[3]).toMatch(/Description of Gmag$/);
    const ecsv = join(dir, 'from-mrt.ecsv');
    await convertCatalog(mrt, ecsv);
    const head = readFileSync(ecsv, 'utf8');
    expect(head).toMatch(/- name: ra\n#\s+unit: deg\n#\s+datatype: float64\n#\s+description: ".*of ra"/);
    expect(head).toMatch(/- name: ra_2\n#\s+unit: mag\n#\s+datatype: float64\n#\s+description: ".*of Gmag"/);
    const parquet = join(dir, 'from-mrt.parquet');
    await convertCatalog(mrt, parquet);
    expect(parquetNames(parquet)).toEqual(['id', 'ra', 'dec', 'ra_2', 'name']);
  });

  it('Parquet: read whole or by row group, renamed with each field its own unit; outputs are readable', async () => {
    const input = await dupParquet();
    const catalog = await readCatalog(input);
    expect(columns(catalog)).toEqual({ ra: [1, 2], ra_2: [3, 4], g: [0.5, 1.5] });
    expect(meta(catalog, 'unit')).toEqual(['deg', 'mas', undefined]);
    const csv = join(dir, 'from-parquet.csv');
    await convertCatalog(input, csv);
    expect(readFileSync(csv, 'utf8')).toBe('ra,ra_2,g\n1,3,0.5\n2,4,1.5\n');
    const parquet = join(dir, 'from-parquet.parquet');
    await convertCatalog(input, parquet);
    expect(parquetNames(parquet)).toEqual(['ra', 'ra_2', 'g']);
    expect(meta(await readCatalog(parquet), 'unit')).toEqual(['deg', 'mas', undefined]);
  });
});
