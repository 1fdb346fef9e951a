// Readers and writers: CSV features (comments, quotes, declared missing markers, VizieR units row),
// VOTable serialisations written by astropy (fixtures), byte-by-byte tables, Parquet, round trips
// through every writable format with units kept, and bad input named by line and column.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import type { CatalogTable } from '../../../electron/catalog/table.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/catalog');
const dir = mkdtempSync(join(tmpdir(), 'cradle-catalog-'));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function rows(catalog: CatalogTable): Record<string, unknown>[] {
  return catalog.table.toArray().map((r: { toJSON(): Record<string, unknown> }) => {
    const row = r.toJSON();
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === 'bigint') row[k] = v.toString();
      else if (v !== null && typeof v === 'object' && 'toArray' in v)
        row[k] = Array.from((v as { toArray(): ArrayLike<number> }).toArray());
    }
    return row;
  });
}

function unit(catalog: CatalogTable, column: string): string | undefined {
  return catalog.table.schema.fields.find((f) => f.name === column)?.metadata.get('unit');
}

describe('CSV', () => {
  it('reads comments, quoted fields, 64-bit ids, booleans and declared missing markers', async () => {
    const path = write(
      'a.csv',
      '# written by hand\nsource_id,ra,G,ok,name\n6728162648254144128,10.5,-99,True,"Smith, J."\n17,11.25,12.5,False,\n',
    );
    const plain = await readCatalog(path);
    expect(rows(plain)[0]).toEqual({
      source_id: '6728162648254144128',
      ra: 10.5,
      G: -99,
      ok: true,
      name: 'Smith, J.',
    });
    const declared = await readCatalog(path, { csv: { missing: ['', '-99'] } });
    expect(rows(declared)).toEqual([
      { source_id: '6728162648254144128', ra: 10.5, G: null, ok: true, name: 'Smith, J.' },
      { source_id: '17', ra: 11.25, G: 12.5, ok: false, name: null },
    ]);
  });

  it('keeps a second row whose cells are all empty (not a VizieR dashes row)', async () => {
    const path = write('empty-row.csv', 'a,b\n1,x\n,\n3,y\n');
    expect(rows(await readCatalog(path))).toEqual([
      { a: '1', b: 'x' },
      { a: null, b: null },
      { a: '3', b: 'y' },
    ]);
  });

  it('reads a one-column table whose missing cells are written "" (blank lines skipped)', async () => {
    // astropy and pandas write a one-column table's masked cell as "", which is not a blank line.
    const path = write('one-column.csv', 'n\n1\n""\n\n  \n" 4 "\n"a\nb"\n# note\n6\n');
    expect(rows(await readCatalog(path))).toEqual([
      { n: '1' },
      { n: null },
      { n: '4' },
      { n: 'a\nb' },
      { n: '6' },
    ]);
    const numbers = write('one-column-numbers.csv', '"n"\r\n1\r\n""\r\n3\r\n');
    const read = await readCatalog(numbers);
    expect(String(read.table.getChild('n')!.type)).toBe('Int64');
    expect(rows(read)).toEqual([{ n: '1' }, { n: null }, { n: '3' }]);
    await expect(readCatalog(write('one-column-open.csv', 'n\n1\n"2\n3\n'))).rejects.toThrow(
      /one-column-open\.csv: line 3: a quoted cell is never closed/,
    );
    await expect(readCatalog(write('one-column-after.csv', 'n\n1\n"2"x\n'))).rejects.toThrow(
      /line 3: text after the closing quote: x/,
    );
  });

  it('keeps every cell as written in a column that turns to text after numbers', async () => {
    // Numbers first, text last: the column is text, and '1.50', '12', '1e3' and 'yes' stay as written.
    const path = write('late-text.csv', 'id,flag,n\n1.50,True,1\n12,yes,2\n1e3,False,3\nA12,maybe,4\n');
    expect(rows(await readCatalog(path))).toEqual([
      { id: '1.50', flag: 'True', n: '1' },
      { id: '12', flag: 'yes', n: '2' },
      { id: '1e3', flag: 'False', n: '3' },
      { id: 'A12', flag: 'maybe', n: '4' },
    ]);
  });

  it('takes units from a VizieR TSV units row and skips its dashes row', async () => {
    const path = write(
      'v.tsv',
      '#Title: x\nRAdeg\tPlx\tGmag\ndeg\tmas\tmag\n-----\t---\t----\n10.0\t2.5\t13.1\n',
    );
    const catalog = await readCatalog(path);
    expect(catalog.format).toBe('tsv');
    expect(rows(catalog)).toEqual([{ RAdeg: 10, Plx: 2.5, Gmag: 13.1 }]);
    expect(unit(catalog, 'Plx')).toBe('mas');
  });

  it('names the line of a ragged row', async () => {
    const path = write('ragged.csv', 'a,b,c\n1,2,3\n# note\n4,5\n');
    await expect(readCatalog(path)).rejects.toThrow(
      /ragged\.csv: line 4: ragged row: 2 fields where the header has 3/,
    );
  });
});

describe('VOTable', () => {
  const expected = [
    {
      source_id: '4295806720',
      ra: 10.5,
      dec: -3.25,
      phot_g_mean_mag: 12.5,
      n_obs: 3,
      flag: true,
      ph_qual: 'AAU',
      xp: [1, 2, 3],
    },
    {
      source_id: '6728162648254144128',
      ra: 275.176999,
      dec: -37.028223,
      phot_g_mean_mag: Math.fround(17.136),
      n_obs: null,
      flag: false,
      ph_qual: null,
      xp: [4, 5, 6],
    },
    {
      source_id: '17',
      ra: 359.9,
      dec: 89.1,
      phot_g_mean_mag: null,
      n_obs: 12,
      flag: true,
      ph_qual: 'BBC',
      xp: [7, 8, 9.5],
    },
  ];
  for (const encoding of ['tabledata', 'binary', 'binary2']) {
    it(`reads astropy's ${encoding.toUpperCase()} serialisation with units and UCDs`, async () => {
      const catalog = await readCatalog(join(FIXTURES, `reference_${encoding}.vot`));
      expect(catalog.format).toBe('votable');
      expect(rows(catalog)).toEqual(expected);
      expect(unit(catalog, 'ra')).toBe('deg');
      const g = catalog.table.schema.fields.find((f) => f.name === 'phot_g_mean_mag')!;
      expect(g.metadata.get('ucd')).toBe('phot.mag;em.opt');
    });
  }

  it('names row and FIELD when TABLEDATA disagrees with arraysize', async () => {
    await expect(readCatalog(join(FIXTURES, 'bad_arraysize.vot'))).rejects.toThrow(
      /bad_arraysize\.vot: line \d+: row 1, FIELD xp \(double, arraysize 2\): 3 values where FIELD arraysize declares 2/,
    );
  });

  it('reads a BINARY2 stream whose tags and base64 fall anywhere across the read chunks', async () => {
    // 40,000 rows of one int: 160 KB of data, base64 wrapped at 76 characters and padded so that the
    // STREAM start tag sits on a 1 MiB read boundary.
    const rows = 40_000;
    const bytes = Buffer.alloc(rows * 5);
    for (let r = 0; r < rows; r += 1) bytes.writeInt32BE(r * 7 - 3, r * 5 + 1);
    const base64 = bytes.toString('base64').replace(/(.{76})/g, '$1\n');
    const head =
      '<?xml version="1.0"?>\n<VOTABLE><RESOURCE><TABLE><FIELD name="n" datatype="int"/><DATA><BINARY2>';
    const tag = '<STREAM encoding="base64">';
    const padding = ' '.repeat((1 << 20) - head.length - 10);
    const path = write(
      'chunked.vot',
      `${head}${padding}${tag}${base64}</STREAM></BINARY2></DATA></TABLE></RESOURCE></VOTABLE>\n`,
    );
    const catalog = await readCatalog(path);
    const n = catalog.table.getChild('n')!;
    expect(catalog.table.numRows).toBe(rows);
    expect([n.get(0), n.get(12_345), n.get(rows - 1)]).toEqual([-3, 12_345 * 7 - 3, (rows - 1) * 7 - 3]);
  });

  it('names row and FIELD when a BINARY2 stream disagrees with arraysize', async () => {
    await expect(readCatalog(join(FIXTURES, 'bad_arraysize_binary2.vot'))).rejects.toThrow(
      /BINARY2 stream ends inside row 3, FIELD xp .*does not match the data/,
    );
  });

  it('reports malformed XML with its line', async () => {
    const path = write(
      'broken.vot',
      '<?xml version="1.0"?>\n<VOTABLE><RESOURCE><TABLE>\n<FIELD name="a" datatype="int"/>\n<DATA><TABLEDATA><TR><TD>1</TD></TABLEDATA>',
    );
    await expect(readCatalog(path)).rejects.toThrow(/broken\.vot: line 4.*XML error/);
  });
});

describe('byte-by-byte (CDS/AAS MRT)', () => {
  const header = [
    'Title: test',
    '================================================================================',
    'Byte-by-byte Description of file: test.txt',
    '--------------------------------------------------------------------------------',
    '   Bytes Format Units    Label      Explanations',
    '--------------------------------------------------------------------------------',
    '   1- 19 I19    ---      Gaia       ? Gaia DR3 source',
    '  21- 26 F6.3   mag      Gmag       ? G magnitude',
    '  28- 31 F4.2   mag    e_Gmag       ?=-1 Error in Gmag',
    '  33- 37 A5     ---      Ref        Reference',
    '--------------------------------------------------------------------------------',
  ];
  it('reads columns, units, blanks and ?= null values', async () => {
    const path = write(
      'good.txt',
      [
        ...header,
        '6728162648254144128 17.136 0.01 2MASS',
        '                           -1.0 VHS',
        '                    12.500 0.02',
      ].join('\n'),
    );
    const catalog = await readCatalog(path);
    expect(catalog.format).toBe('mrt');
    expect(rows(catalog)).toEqual([
      { Gaia: '6728162648254144128', Gmag: 17.136, e_Gmag: 0.01, Ref: '2MASS' },
      { Gaia: null, Gmag: null, e_Gmag: null, Ref: 'VHS' },
      { Gaia: null, Gmag: 12.5, e_Gmag: 0.02, Ref: null },
    ]);
    expect(unit(catalog, 'Gmag')).toBe('mag');
  });

  it('names line and bytes when the data disagree with the header', async () => {
    const bad = write('bad.txt', [...header, '6728162648254144128 17.1x6 0.01 2MASS'].join('\n'));
    await expect(readCatalog(bad)).rejects.toThrow(
      /bad\.txt: line 12, bytes 21-26 \(Gmag, F6\.3\): '17\.1x6' is not a number; the header disagrees/,
    );
    const shifted = write('shifted.txt', [...header, '6728162648254144128  17.136 0.01 2MASS'].join('\n'));
    await expect(readCatalog(shifted)).rejects.toThrow(
      /shifted\.txt: line 12: 38 characters but the byte-by-byte description ends at byte 37/,
    );
    const gap = write('gap.txt', [...header, '6728162648254144128x17.136 0.01 2MASS'].join('\n'));
    await expect(readCatalog(gap)).rejects.toThrow(/gap\.txt: line 12, byte 20: 'x' lies between columns/);
    const long = write('long.txt', [...header, '6728162648254144128 17.136 0.01 2MASS extra'].join('\n'));
    await expect(readCatalog(long)).rejects.toThrow(
      /long\.txt: line 12: 43 characters but the byte-by-byte description ends at byte 37/,
    );
  });
});

describe('round trips', () => {
  it('CSV → ECSV → VOTable → Parquet → CSV keeps values, and units where the format holds them', async () => {
    const source = await readCatalog(join(FIXTURES, 'reference_binary2.vot'));
    const scalarColumns = source.table.select([
      'source_id',
      'ra',
      'dec',
      'phot_g_mean_mag',
      'n_obs',
      'flag',
      'ph_qual',
    ]);
    const start = { ...source, table: scalarColumns };
    let current = start;
    for (const ext of ['ecsv', 'vot', 'parquet', 'tsv', 'csv']) {
      const out = join(dir, `trip.${ext}`);
      await writeCatalog(current.table, out);
      current = await readCatalog(out);
      const got = rows(current).map((r) => ({
        ...r,
        n_obs: r['n_obs'] === null ? null : Number(r['n_obs']),
      }));
      expect(got, ext).toEqual(
        rows(start).map((r) => ({ ...r, n_obs: r['n_obs'] === null ? null : Number(r['n_obs']) })),
      );
      if (ext === 'ecsv' || ext === 'vot' || ext === 'parquet') {
        expect(unit(current, 'ra'), ext).toBe('deg');
        expect(unit(current, 'phot_g_mean_mag'), ext).toBe('mag');
      }
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes uint64 to VOTable as long while it fits, and refuses a value beyond 2^63 - 1', async () => {
    const header =
      "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: u, datatype: uint64}\n# - {name: a, datatype: string, subtype: 'uint64[2]'}\n# schema: astropy-2.0\nu a\n";
    const source = await readCatalog(write('u64.ecsv', `${header}9223372036854775807 [1,2]\n`));
    await writeCatalog(source.table, join(dir, 'u64.vot'));
    const back = await readCatalog(join(dir, 'u64.vot'));
    expect(back.table.getChild('u')!.get(0)).toBe(9223372036854775807n);
    for (const [name, row] of [
      ['u64-big', '9223372036854775808 [1,2]'],
      ['u64-big-array', '1 [1,18446744073709551615]'],
    ]) {
      const over = await readCatalog(write(`${name}.ecsv`, `${header}${row}\n`));
      const column = name === 'u64-big' ? 'u' : 'a';
      await expect(writeCatalog(over.table, join(dir, `${name}.vot`))).rejects.toThrow(
        new RegExp(`column ${column}: \\d+ does not fit a VOTable long`),
      );
      expect(readdirSync(dir).filter((f) => f.startsWith(`.${name}`) || f === `${name}.vot`)).toEqual([]);
    }
  });

  it('keeps multi-dimensional arrays in shape: VOTable arraysize "3x2" is 2 rows of 3, ECSV [2,3]', async () => {
    // VOTable 1.4 Sect. 2.2: the first dimension varies fastest.
    const vot = write(
      'cube.vot',
      '<?xml version="1.0"?><VOTABLE version="1.4"><RESOURCE><TABLE><FIELD name="c" datatype="double" arraysize="3x2"/><DATA><TABLEDATA><TR><TD>1 2 3 4 5 6</TD></TR><TR><TD/></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>',
    );
    const read = await readCatalog(vot);
    expect(String(read.table.getChild('c')!.type)).toBe('FixedSizeList[2]<FixedSizeList[3]<Float64>>');
    const plain = (value: unknown): unknown =>
      value !== null && typeof value === 'object' && Symbol.iterator in value
        ? Array.from(value as Iterable<unknown>, plain)
        : value;
    const cell = (table: CatalogTable, r: number): unknown => plain(table.table.getChild('c')!.get(r));
    expect([cell(read, 0), cell(read, 1)]).toEqual([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      null,
    ]);
    for (const ext of ['ecsv', 'vot', 'fits', 'parquet']) {
      const out = join(dir, `cube-out.${ext}`);
      await writeCatalog(read.table, out);
      const back = await readCatalog(out);
      expect(String(back.table.getChild('c')!.type), ext).toBe('FixedSizeList[2]<FixedSizeList[3]<Float64>>');
      expect(cell(back, 0), ext).toEqual(cell(read, 0));
      // A FITS array cell cannot be null: the null row comes back as missing elements.
      if (ext === 'fits')
        expect((cell(back, 1) as unknown[][]).flat().every((v) => v === null || Number.isNaN(v))).toBe(true);
      else expect(cell(back, 1), ext).toBeNull();
    }
    expect(readFileSync(join(dir, 'cube-out.ecsv'), 'utf8')).toContain('subtype: float64[2,3]');
    expect(readFileSync(join(dir, 'cube-out.vot'), 'utf8')).toContain('arraysize="3x2"');
    const header =
      "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: c, datatype: string, subtype: 'float64[2,3]'}\n# schema: astropy-2.0\nc\n";
    await expect(readCatalog(write('ragged-cube.ecsv', `${header}"[[1,2,3],[4,5]]"\n`))).rejects.toThrow(
      /column c: row 1: '\[\[1,2,3\],\[4,5\]\]' holds a row of 2 elements where the shape is \[2,3\]/,
    );
    await expect(readCatalog(write('short-cube.ecsv', `${header}"[[1,2,3]]"\n`))).rejects.toThrow(
      /column c: row 1: '\[\[1,2,3\]\]' has 1 rows where the shape is \[2,3\]/,
    );
  });

  it('ECSV keeps array columns as arrays: variable lists as [null], fixed ones as [n]', async () => {
    const source = await readCatalog(join(FIXTURES, 'reference_binary2.vot'));
    const out = join(dir, 'arrays.ecsv');
    await writeCatalog(source.table, out);
    // The VOTable FIELD declares arraysize="3": a fixed-size list, written as float64[3].
    expect(String(source.table.getChild('xp')!.type)).toBe('FixedSizeList[3]<Float64>');
    expect(readFileSync(out, 'utf8')).toContain('subtype: float64[3]');
    const back = await readCatalog(out);
    expect(String(back.table.getChild('xp')!.type)).toBe('FixedSizeList[3]<Float64>');
    expect(rows(back).map((r) => r['xp'])).toEqual(rows(source).map((r) => r['xp']));
    const variable = write(
      'variable.ecsv',
      "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: string, subtype: 'float64[null]'}\n# schema: astropy-2.0\na\n[1.5]\n[2,3]\n",
    );
    const ragged = await readCatalog(variable);
    expect(String(ragged.table.getChild('a')!.type)).toBe('List<Float64>');
    const raggedOut = join(dir, 'variable-out.ecsv');
    await writeCatalog(ragged.table, raggedOut);
    expect(readFileSync(raggedOut, 'utf8')).toContain('subtype: float64[null]');
    expect(rows(await readCatalog(raggedOut))).toEqual([{ a: [1.5] }, { a: [2, 3] }]);
    const fixed = write(
      'fixed.ecsv',
      '# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: string, subtype: \'float64[2]\'}\n# - {name: n, datatype: int32}\n# schema: astropy-2.0\na n\n[1.5,NaN] 1\n"" 2\n',
    );
    const read = await readCatalog(fixed);
    expect(String(read.table.getChild('a')!.type)).toBe('FixedSizeList[2]<Float64>');
    // A NaN element is a null element (its value NaN).
    expect(rows(read)).toEqual([
      { a: [1.5, Number.NaN], n: 1 },
      { a: null, n: 2 },
    ]);
    expect((read.table.getChild('a')!.get(0) as Vector).nullCount).toBe(1);
    const wrong = write('wrong.ecsv', readFileSync(fixed, 'utf8').replace('[1.5,NaN]', '[1.5,2,3]'));
    await expect(readCatalog(wrong)).rejects.toThrow(
      /wrong\.ecsv: column a: row 1: 3 elements where 2 are declared \(subtype \[2\]\)/,
    );
    // Integer arrays stay integers (a masked element a null); a fraction in one is named.
    const ints = write(
      'ints.ecsv',
      "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: string, subtype: 'int16[3]'}\n# - {name: b, datatype: string, subtype: 'int64[null]'}\n# schema: astropy-2.0\na b\n[1,-2,null] [1099511627776]\n[4,5,6] [1,2]\n",
    );
    const typed = await readCatalog(ints);
    expect(String(typed.table.getChild('a')!.type)).toBe('FixedSizeList[3]<Int16>');
    expect(String(typed.table.getChild('b')!.type)).toBe('List<Int64>');
    expect([...(typed.table.getChild('a')!.get(0) as Vector)]).toEqual([1, -2, null]);
    expect([...(typed.table.getChild('b')!.get(0) as Vector)]).toEqual([1099511627776n]);
    // To VOTable and back: the missing element is the FIELD's declared null, and still missing.
    const vot = join(dir, 'ints.vot');
    await writeCatalog(typed.table, vot);
    expect(readFileSync(vot, 'utf8')).toContain(
      '<FIELD name="a" datatype="short" arraysize="3"><VALUES null="-32768"/></FIELD>',
    );
    expect(readFileSync(vot, 'utf8')).toContain('<TD>1 -2 -32768</TD>');
    const fromVot = await readCatalog(vot);
    expect(String(fromVot.table.getChild('a')!.type)).toBe('FixedSizeList[3]<Int16>');
    expect([...(fromVot.table.getChild('a')!.get(0) as Vector)]).toEqual([1, -2, null]);
    expect([...(fromVot.table.getChild('b')!.get(0) as Vector)]).toEqual([1099511627776n]);
    const fraction = write('fraction.ecsv', readFileSync(ints, 'utf8').replace('[4,5,6]', '[4,5.5,6]'));
    await expect(readCatalog(fraction)).rejects.toThrow(
      /fraction\.ecsv: column a: row 2: element 2 \(5\.5\) is not an int16 value/,
    );
    // 64-bit elements are exact to their type's limits (JSON's doubles would round them), and one
    // past the limit is refused rather than wrapped.
    const big = write(
      'big.ecsv',
      readFileSync(ints, 'utf8').replace('[1,2]', '[9223372036854775807,-9223372036854775807]'),
    );
    expect([...((await readCatalog(big)).table.getChild('b')!.get(1) as Vector)]).toEqual([
      9223372036854775807n,
      -9223372036854775807n,
    ]);
    const over = write('over.ecsv', readFileSync(ints, 'utf8').replace('[1,2]', '[9223372036854775808]'));
    await expect(readCatalog(over)).rejects.toThrow(
      /over\.ecsv: column b: row 2: element 1 \(9223372036854775808\) is not an int64 value/,
    );
  });

  it('byte-by-byte output reads back with the same numbers, ids and units', async () => {
    const source = await readCatalog(join(FIXTURES, 'reference_binary2.vot'));
    const table = source.table.select(['source_id', 'ra', 'dec', 'phot_g_mean_mag', 'n_obs', 'ph_qual']);
    const out = join(dir, 'trip.mrt');
    await writeCatalog(table, out);
    const back = await readCatalog(out);
    expect(back.format).toBe('mrt');
    const numbers = (c: CatalogTable) =>
      rows(c).map((r) => ({ ...r, n_obs: r['n_obs'] === null ? null : Number(r['n_obs']) }));
    expect(numbers(back)).toEqual(numbers({ ...source, table }));
    expect(unit(back, 'dec')).toBe('deg');
    expect(unit(back, 'phot_g_mean_mag')).toBe('mag');
  });

  it('array columns survive VOTable and Parquet', async () => {
    const source = await readCatalog(join(FIXTURES, 'reference_tabledata.vot'));
    for (const ext of ['vot', 'parquet']) {
      const out = join(dir, `arrays.${ext}`);
      await writeCatalog(source.table, out);
      const back = await readCatalog(out);
      expect(
        rows(back).map((r) => r['xp']),
        ext,
      ).toEqual([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9.5],
      ]);
    }
  });
});
