// Integer cells beyond their column's type: a declared type (ECSV datatype, VOTable FIELD, MRT
// I-format) refuses them with the file, line or row and column named, where typed storage used to wrap
// them (70000 read as int16 gave 4464); a CSV column whose whole numbers int64 cannot hold is read as
// astropy reads it, as text. Each type's own extremes still read exactly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { readTableBatches } from '../../../electron/catalog/table-batches.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-integer-range-'));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Every column's values, 64-bit integers as decimal text (exact). */
function columns(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    out[field.name] = Array.from(table.getChild(field.name)!, (v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
  }
  return out;
}

function types(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
}

function ecsv(declared: Record<string, string>, body: string): string {
  const header = Object.entries(declared)
    .map(([name, datatype]) => `#   - name: ${name}\n#     datatype: ${datatype}\n`)
    .join('');
  return `# %ECSV 1.0\n# ---\n# datatype:\n${header}# schema: astropy-2.0\n${body}`;
}

function votable(fields: Record<string, string>, rows: string[][]): string {
  const declared = Object.entries(fields)
    .map(([name, datatype]) => `<FIELD name="${name}" datatype="${datatype}"/>\n`)
    .join('');
  const data = rows.map((row) => `<TR>${row.map((cell) => `<TD>${cell}</TD>`).join('')}</TR>\n`).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">\n<RESOURCE>\n<TABLE>\n' +
    `${declared}<DATA>\n<TABLEDATA>\n${data}</TABLEDATA>\n</DATA>\n</TABLE>\n</RESOURCE>\n</VOTABLE>\n`
  );
}

describe('CSV whole numbers beyond int64', () => {
  // astropy 8.0.2, Table.read(format='ascii.csv'), fast and pure-Python readers alike: "OverflowError
  // converting to IntType in column big, reverting to String", each cell as written; a column whose
  // first non-integer cell (1.5) comes before the overflow is float64.
  it('read as text, each cell as written, as astropy reads them', async () => {
    const path = write(
      'bigint.csv',
      'id,big,late,tail\n1,9223372036854775807,1,1.5\n2,9223372036854775808,2,9223372036854775808\n3,-9223372036854775809,99999999999999999999999,3\n',
    );
    const { table } = await readCatalog(path);
    expect(types(table)).toEqual({ id: 'Int64', big: 'Utf8', late: 'Utf8', tail: 'Float64' });
    expect(columns(table)).toEqual({
      id: ['1', '2', '3'],
      big: ['9223372036854775807', '9223372036854775808', '-9223372036854775809'],
      late: ['1', '2', '99999999999999999999999'],
      tail: [1.5, 9223372036854775808, 3],
    });
  });

  it('read as text in batches too, and in TSV', async () => {
    const lines = ['n\tm'];
    for (let r = 0; r < 20; r += 1) lines.push(`${r}\t${r}`);
    lines.push('-9223372036854775809\t5');
    const path = write('late-overflow.tsv', lines.join('\n') + '\n');
    const whole = (await readCatalog(path)).table;
    expect(types(whole)).toEqual({ n: 'Utf8', m: 'Int64' });
    expect(columns(whole)['n']!.at(-1)).toBe('-9223372036854775809');
    const pieces: Table[] = [];
    await readTableBatches(path, { rows: 8 }, (table) => pieces.push(table));
    const batched = pieces.slice(1).reduce((a, t) => a.concat(t), pieces[0]!);
    expect(types(batched)).toEqual(types(whole));
    expect(columns(batched)).toEqual(columns(whole));
  });

  it('keep int64 at its own extremes', async () => {
    const path = write(
      'int64-extremes.csv',
      'n\n9223372036854775807\n-9223372036854775808\n-9223372036854775807\n',
    );
    const { table } = await readCatalog(path);
    expect(types(table)).toEqual({ n: 'Int64' });
    expect(columns(table)['n']).toEqual([
      '9223372036854775807',
      '-9223372036854775808',
      '-9223372036854775807',
    ]);
  });
});

describe('ECSV declared integer types', () => {
  it('refuse int16 and uint8 cells out of range, naming file, line and column', async () => {
    // /tmp/hunt-catalog/bad/ecsv_int_overflow.ecsv: read as 4464, 44 and 255 before.
    const both = write(
      'ecsv_int_overflow.ecsv',
      ecsv({ a: 'int16', u: 'uint8' }, 'a u\n1 1\n70000 300\n-5 -1\n'),
    );
    await expect(readCatalog(both)).rejects.toThrow(
      /ecsv_int_overflow\.ecsv: line 11: column a: 70000 does not fit in int16 \(-32768 to 32767\)/,
    );
    const high = write('uint8_high.ecsv', ecsv({ u: 'uint8' }, 'u\n1\n300\n'));
    await expect(readCatalog(high)).rejects.toThrow(
      /uint8_high\.ecsv: line 9: column u: 300 does not fit in uint8 \(0 to 255\)/,
    );
    const negative = write('uint8_negative.ecsv', ecsv({ u: 'uint8' }, 'u\n1\n-1\n'));
    await expect(readCatalog(negative)).rejects.toThrow(
      /uint8_negative\.ecsv: line 9: column u: -1 does not fit in uint8 \(0 to 255\)/,
    );
  });

  it('refuse uint64 and int64 cells out of range', async () => {
    // /tmp/hunt-catalog/bad/ecsv_uint64.ecsv: 2^64 read as 0 before.
    const path = write(
      'ecsv_uint64.ecsv',
      ecsv(
        { u: 'uint64', i: 'int64' },
        'u i\n18446744073709551615 9223372036854775807\n18446744073709551616 9223372036854775808\n',
      ),
    );
    await expect(readCatalog(path)).rejects.toThrow(
      /ecsv_uint64\.ecsv: line 11: column u: 18446744073709551616 does not fit in uint64 \(0 to 18446744073709551615\)/,
    );
    const int64 = write('int64_high.ecsv', ecsv({ i: 'int64' }, 'i\n9223372036854775808\n'));
    await expect(readCatalog(int64)).rejects.toThrow(
      /int64_high\.ecsv: line 8: column i: 9223372036854775808 does not fit in int64/,
    );
    const negative = write('uint64_negative.ecsv', ecsv({ u: 'uint64' }, 'u\n-1\n'));
    await expect(readCatalog(negative)).rejects.toThrow(
      /uint64_negative\.ecsv: line 8: column u: -1 does not fit in uint64/,
    );
  });

  it('read each type at its own extremes exactly', async () => {
    const path = write(
      'extremes.ecsv',
      ecsv(
        { i16: 'int16', u8: 'uint8', i64: 'int64', u64: 'uint64' },
        'i16 u8 i64 u64\n' +
          '-32768 0 -9223372036854775807 0\n' +
          '32767 255 9223372036854775807 18446744073709551615\n' +
          '0 1 -9223372036854775808 9223372036854775808\n',
      ),
    );
    const { table } = await readCatalog(path);
    expect(types(table)).toEqual({ i16: 'Int16', u8: 'Uint8', i64: 'Int64', u64: 'Uint64' });
    expect(columns(table)).toEqual({
      i16: [-32768, 32767, 0],
      u8: [0, 255, 1],
      i64: ['-9223372036854775807', '9223372036854775807', '-9223372036854775808'],
      u64: ['0', '18446744073709551615', '9223372036854775808'],
    });
  });
});

describe('VOTable TABLEDATA integer FIELDs', () => {
  it('refuse short and unsignedByte cells out of range, naming file, row and FIELD', async () => {
    // /tmp/hunt-catalog/bad/vot_overflow.vot and vot_u8overflow.vot: read as 4464 and 44 before.
    const short = write(
      'vot_overflow.vot',
      votable({ id: 'long', i16: 'short' }, [
        ['1', '70000'],
        ['2', '0'],
      ]),
    );
    await expect(readCatalog(short)).rejects.toThrow(
      /vot_overflow\.vot: line \d+: row 1, FIELD i16 \(short\): 70000 does not fit in int16 \(-32768 to 32767\)/,
    );
    const byte = write(
      'vot_u8overflow.vot',
      votable({ id: 'long', u8: 'unsignedByte' }, [
        ['1', '0'],
        ['2', '255'],
        ['3', '300'],
      ]),
    );
    await expect(readCatalog(byte)).rejects.toThrow(
      /vot_u8overflow\.vot: line \d+: row 3, FIELD u8 \(unsignedByte\): 300 does not fit in uint8 \(0 to 255\)/,
    );
  });

  it('read each type at its own extremes exactly', async () => {
    const path = write(
      'extremes.vot',
      votable({ i16: 'short', u8: 'unsignedByte', i64: 'long' }, [
        ['-32768', '0', '-9223372036854775807'],
        ['32767', '255', '9223372036854775807'],
      ]),
    );
    const { table } = await readCatalog(path);
    expect(types(table)).toEqual({ i16: 'Int16', u8: 'Uint8', i64: 'Int64' });
    expect(columns(table)).toEqual({
      i16: [-32768, 32767],
      u8: [0, 255],
      i64: ['-9223372036854775807', '9223372036854775807'],
    });
  });
});

describe('byte-by-byte integer formats', () => {
  it('refuse an I19 cell beyond int64, naming line and bytes', async () => {
    const path = write(
      'overflow.txt',
      [
        'Title: test',
        '================================================================================',
        'Byte-by-byte Description of file: test.txt',
        '--------------------------------------------------------------------------------',
        '   Bytes Format Units    Label      Explanations',
        '--------------------------------------------------------------------------------',
        '   1- 19 I19    ---      Gaia       Gaia DR3 source',
        '--------------------------------------------------------------------------------',
        '9223372036854775807',
        '9999999999999999999',
      ].join('\n'),
    );
    await expect(readCatalog(path)).rejects.toThrow(
      /line 10, bytes 1-19 \(Gaia, I19\): 9999999999999999999 does not fit in int64/,
    );
  });
});
