// NaN and missing values as astropy's readers keep them. A CSV or ECSV cell `nan` is a float NaN, not a
// null (astropy.io.ascii: a masked cell is only an empty one), so a table with both reads back the
// same after a round trip; numeric work counts either as missing. A blank in a byte-by-byte column
// not marked '?' is a null, as astropy's `cds` and `mrt` readers mask it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { toNumeric } from '../../../electron/catalog/numeric.ts';
import { readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import type { CatalogTable } from '../../../electron/catalog/table.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-nan-'));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Cells per column: 'NaN' for a NaN value, null for a null, integers as numbers. */
function cells(catalog: CatalogTable): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const field of catalog.table.schema.fields) {
    const vector: Vector = catalog.table.getChild(field.name)!;
    out[field.name] = Array.from({ length: vector.length }, (_, i) => {
      const v: unknown = vector.get(i);
      if (typeof v === 'bigint') return Number(v);
      return typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v;
    });
  }
  return out;
}

describe('NaN in CSV and ECSV', () => {
  // astropy.io.ascii.read(format='csv') of this file: a, b float64 with nan unmasked and the empty
  // cell masked; s a string column holding 'nan' with the empty cell masked.
  const text = 'a,b,s\n1,2.5,x\nnan,NaN,nan\n,3,\n4,NAN,y\n';
  const expected = {
    a: [1, 'NaN', null, 4],
    b: [2.5, 'NaN', 3, 'NaN'],
    s: ['x', 'nan', null, 'y'],
  };

  it('reads a CSV nan as a float NaN and an empty cell as null, as astropy does', async () => {
    const catalog = await readCatalog(write('n.csv', text));
    expect(cells(catalog)).toEqual(expected);
    expect(String(catalog.table.getChild('a')!.type)).toBe('Float64');
    // For numbers both are missing.
    const a = toNumeric(catalog.table.getChild('a')!, 'a');
    expect(Array.from(a.valid)).toEqual([1, 0, 0, 1]);
  });

  it('reads the same from ECSV, and keeps NaN and null apart through CSV and ECSV round trips', async () => {
    const ecsv = await readCatalog(
      write(
        'n.ecsv',
        '# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: float64}\n# - {name: b, datatype: float64}\n' +
          '# - {name: s, datatype: string}\n# schema: astropy-2.0\na b s\n1 2.5 x\nnan NaN nan\n"" 3 ""\n4 NAN y\n',
      ),
    );
    expect(cells(ecsv)).toEqual(expected);
    const csv = await readCatalog(write('trip.csv', text));
    for (const ext of ['csv', 'ecsv']) {
      const out = join(dir, `out.${ext}`);
      await writeCatalog(csv.table, out);
      expect(cells(await readCatalog(out))).toEqual(expected);
    }
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('a,b,s\n1,2.5,x\nnan,nan,nan\n,3,\n4,nan,y\n');
  });

  it('makes nan missing when asked to', async () => {
    const catalog = await readCatalog(write('asked.csv', text), { csv: { missing: ['', 'nan', 'NaN'] } });
    expect(cells(catalog).a).toEqual([1, null, null, 4]);
    expect(cells(catalog).s).toEqual(['x', null, null, 'y']);
  });
});

describe('byte-by-byte blanks', () => {
  it("reads a blank in a column not marked '?' as null, as astropy's cds and mrt readers do", async () => {
    const path = write(
      'blank.txt',
      [
        'Title: x',
        'Authors: y',
        'Table: z',
        '='.repeat(80),
        'Byte-by-byte Description of file: blank.txt',
        '-'.repeat(80),
        ' Bytes Format Units  Label  Explanations',
        '-'.repeat(80),
        ' 1- 3  I3     ---    a      not optional',
        ' 5- 9  F5.2   ---    b      not optional',
        '11-13  A3     ---    c      not optional',
        '15-17  I3     ---    d      ? optional',
        '-'.repeat(80),
        '  1  1.00 abc   4',
        '     2.00',
        '  3       xyz',
      ].join('\n'),
    );
    // astropy 8.0.2, ascii.read(path, format='mrt') and format='cds': every blank masked.
    expect(cells(await readCatalog(path))).toEqual({
      a: [1, null, 3],
      b: [1, 2, null],
      c: ['abc', null, 'xyz'],
      d: [4, null, null],
    });
  });
});
