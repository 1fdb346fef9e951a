// Parquet as astropy reads it and Parquet types astropy and pandas know: the astropy description Cradle
// writes (parquet-astropy.ts; its reading in astropy itself is test/python/test_catalog_parquet_astropy.py),
// pyarrow's decimal, timestamp and date columns made plain (parquet-types.ts), and a VOTable of several
// TABLEs read by number, with a warning when none was chosen.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  Bool,
  FixedSizeList,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  tableFromIPC,
  vectorFromArray,
  Utf8,
} from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { readParquet as wasmRead } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { convertCatalog } from '../../../electron/catalog/convert.ts';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import { buildTable, columnInfo } from '../../../electron/catalog/table.ts';
import { readTableBatches } from '../../../electron/catalog/table-batches.ts';
import { votableTables } from '../../../electron/catalog/votable.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-parquet-astropy-'));
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/catalog');
const ID = 6728162648254144128n;

/** A float with a unit, integers (one 64-bit beyond 2^53) and text and booleans with nulls, an array. */
function sample(): Table {
  const valid = (bits: number) => Uint8Array.of(bits);
  const ints = makeVector(
    makeData({
      type: new Int32(),
      length: 3,
      nullCount: 1,
      nullBitmap: valid(0b101),
      data: Int32Array.of(1, 0, 3),
    }),
  );
  const ids = makeVector(
    makeData({
      type: new Int64(),
      length: 3,
      nullCount: 1,
      nullBitmap: valid(0b101),
      data: BigInt64Array.of(ID, 99n, 3n),
    }),
  );
  const flags = makeVector(
    makeData({
      type: new Bool(),
      length: 3,
      nullCount: 1,
      nullBitmap: valid(0b011),
      data: Uint8Array.of(0b001),
    }),
  );
  const values = makeData({ type: new Float64(), length: 6, data: Float64Array.of(0, 1, 2, 3, 4, 5) });
  const array = makeVector(
    makeData({
      type: new FixedSizeList(2, new Field('item', new Float64(), true)),
      length: 3,
      nullCount: 0,
      child: values,
    }),
  );
  return buildTable([
    {
      name: 'ra',
      vector: vectorFromArray([1.5, 2.5, 3.5], new Float64()),
      info: { unit: 'deg', ucd: 'pos.eq.ra', description: 'Right "ascension"' },
    },
    { name: 'n', vector: ints, info: {} },
    { name: 'id', vector: ids, info: {} },
    { name: 's', vector: vectorFromArray(['ab', null, 'dé€'], new Utf8()), info: {} },
    { name: 'ok', vector: flags, info: {} },
    { name: 'always', vector: vectorFromArray([true, false, true], new Bool()), info: {} },
    { name: 'arr', vector: array, info: { unit: 'mag' } },
  ]);
}

/** The schema metadata a Parquet reader (pyarrow: astropy) restores, and the stored columns. */
function stored(file: string): { metadata: Map<string, string>; names: string[]; ids: unknown[] } {
  const table = tableFromIPC(wasmRead(readFileSync(file)).intoIPCStream());
  return {
    metadata: table.schema.metadata,
    names: table.schema.fields.map((f) => f.name),
    ids: [...(table.getChild('id') ?? [])],
  };
}

describe("Parquet written with astropy's description", () => {
  for (const how of ['whole table', 'streamed conversion'] as const) {
    it(`names units, widths and masks as astropy writes them (${how})`, async () => {
      const file = join(dir, `${how.replace(' ', '-')}.parquet`);
      if (how === 'whole table') await writeCatalog(sample(), file);
      else {
        const source = join(dir, 'sample.vot');
        await writeCatalog(sample(), source);
        await convertCatalog(source, file, { batchRows: 2 });
      }
      const { metadata, names, ids } = stored(file);
      // A mask column for each integer, boolean and text column with nulls, after it.
      expect(names).toEqual([
        'ra',
        'n',
        'n.mask',
        'id',
        'id.mask',
        's',
        's.mask',
        'ok',
        'ok.mask',
        'always',
        'arr',
      ]);
      expect(metadata.get('table::len::s')).toBe('3');
      const yaml = metadata.get('table_meta_yaml')!;
      expect(yaml).toContain(
        '- {name: "ra", unit: "deg", datatype: float64, description: "Right \\"ascension\\"", meta: {ucd: "pos.eq.ra"}}',
      );
      expect(yaml).toContain('- {name: "arr", unit: "mag", datatype: string, subtype: "float64[2]"}');
      expect(yaml).toContain('mask: !astropy.table.SerializedColumn {name: "n.mask"}\n      dtype: int32');
      // A double cannot hold the source_id: its missing cell is 0 under the mask, as astropy writes it.
      expect(ids).toEqual([ID, 0n, 3n]);

      // Cradle reads its own file back as it was: nulls, units, no mask columns.
      const back = (await readCatalog(file)).table;
      expect(back.schema.fields.map((f) => f.name)).toEqual(['ra', 'n', 'id', 's', 'ok', 'always', 'arr']);
      expect([...back.getChild('n')!]).toEqual([1, null, 3]);
      expect([...back.getChild('id')!]).toEqual([ID, null, 3n]);
      expect([...back.getChild('s')!]).toEqual(['ab', null, 'dé€']);
      expect([...back.getChild('ok')!]).toEqual([true, false, null]);
      expect(columnInfo(back.schema.fields[0]!)).toEqual({
        unit: 'deg',
        ucd: 'pos.eq.ra',
        description: 'Right "ascension"',
      });
      expect([...back.schema.metadata.keys()].filter((k) => k.startsWith('table'))).toEqual([]);
    });
  }

  it('adds no mask column to a table without nulls', async () => {
    const file = join(dir, 'full.parquet');
    await writeCatalog(
      buildTable([{ name: 'n', vector: vectorFromArray([1, 2], new Int32()), info: {} }]),
      file,
    );
    const { names, metadata } = stored(file);
    expect(names).toEqual(['n']);
    expect(metadata.get('table_meta_yaml')).toBe('datatype:\n- {name: "n", datatype: int32}');
  });
});

describe('Parquet decimal, timestamp and date columns (written by pyarrow)', () => {
  const file = join(FIXTURES, 'parquet_types.parquet');

  it('reads a decimal a double holds as float64, a longer one as exact text, times as ISO-8601', async () => {
    const { table } = await readParquet(file);
    const column = (name: string) => ({
      type: String(table.getChild(name)!.type),
      values: [...table.getChild(name)!],
      description: columnInfo(table.schema.fields.find((f) => f.name === name)!).description,
    });
    expect(column('parallax')).toEqual({
      type: 'Float64',
      values: [1.25, null, -0.003],
      description: 'Parquet decimal128(10, 3), read as float64 (exact to its 10 digits)',
    });
    expect(column('budget')).toEqual({
      type: 'Utf8',
      values: ['12345678901234567890.12', '1.00', null],
      description: 'Parquet decimal128(38, 2), kept as exact text (more digits than a double holds)',
    });
    expect(column('obs_time')).toEqual({
      type: 'Utf8',
      values: ['2020-01-02T03:04:05.123456Z', null, '1969-12-31T23:59:59.500000Z'],
      description: 'Parquet timestamp[us, UTC], as ISO-8601 UTC text',
    });
    expect(column('local_time')).toEqual({
      type: 'Utf8',
      values: ['2020-01-02T03:04:05.000000000', null, '1999-12-31T00:00:00.000000000'],
      description: 'Parquet timestamp[ns] without a time zone, as ISO-8601 text',
    });
    expect(column('night')).toEqual({
      type: 'Utf8',
      values: ['2020-01-02', null, '1999-12-31'],
      description: 'Parquet date, as ISO-8601 text',
    });
  });

  it('converts them the same way a row group at a time', async () => {
    const csv = join(dir, 'types.ecsv');
    await convertCatalog(file, csv);
    const { table } = await readCatalog(csv);
    expect([...table.getChild('parallax')!]).toEqual([1.25, null, -0.003]);
    expect([...table.getChild('budget')!]).toEqual(['12345678901234567890.12', '1.00', null]);
    expect([...table.getChild('obs_time')!]).toEqual([
      '2020-01-02T03:04:05.123456Z',
      null,
      '1969-12-31T23:59:59.500000Z',
    ]);
  });
});

describe('a VOTable of several TABLEs', () => {
  const file = join(dir, 'two.vot');
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE>
<TABLE name="first" nrows="2"><FIELD name="a" datatype="int"/><DATA><TABLEDATA><TR><TD>1</TD></TR><TR><TD>2</TD></TR></TABLEDATA></DATA></TABLE>
</RESOURCE><RESOURCE>
<TABLE name="second" ID="t2"><FIELD name="b" datatype="double"/><FIELD name="c" datatype="char" arraysize="*"/>
<DATA><TABLEDATA><TR><TD>1.5</TD><TD>x</TD></TR></TABLEDATA></DATA></TABLE>
<TABLE name="third"><FIELD name="d" datatype="int"/><DATA><TABLEDATA></TABLEDATA></DATA></TABLE>
</RESOURCE></VOTABLE>
`,
  );

  it('reads the first and says how many there are when none was chosen', async () => {
    const warnings: string[] = [];
    const { table } = await readCatalog(file, { onWarning: (m) => warnings.push(m) });
    expect([...table.getChild('a')!]).toEqual([1, 2]);
    expect(warnings).toEqual([
      `${file}: the VOTable holds 3 TABLEs; read the first (choose another by its number, 0 to 2, with --hdu)`,
    ]);
  });

  it('reads the chosen one, whole or in batches, without a warning', async () => {
    const warnings: string[] = [];
    const { table } = await readCatalog(file, { hdu: 1, onWarning: (m) => warnings.push(m) });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['b', 'c']);
    const pieces: Table[] = [];
    await readTableBatches(
      file,
      { rows: 10, hdu: 1, onCount: () => undefined, onWarning: (m) => warnings.push(m) },
      (t) => pieces.push(t),
    );
    expect([...pieces[0]!.getChild('c')!]).toEqual(['x']);
    expect(warnings).toEqual([]);
    await expect(readCatalog(file, { hdu: 3 })).rejects.toThrow(
      `${file}: no TABLE 3 (the file has 3, numbered from 0)`,
    );
  });

  it('warns once when converted through a survey pass', async () => {
    const warnings: string[] = [];
    await convertCatalog(file, join(dir, 'two.fits'), { onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
  });

  it('lists them for inspect', async () => {
    expect(await votableTables(file)).toEqual([
      { index: 0, name: 'first', rows: 2, fields: 1 },
      { index: 1, name: 'second', id: 't2', fields: 2 },
      { index: 2, name: 'third', fields: 1 },
    ]);
  });
});
