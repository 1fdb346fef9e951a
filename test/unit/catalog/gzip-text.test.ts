// Gzip-compressed text tables (the Gaia archive's bulk `GaiaSource_*.csv.gz` are gzipped ECSV; VizieR
// serves `.dat.gz`): every text format reads the same table from its gzip as from its plain file, the
// format is told by what the file inflates to, and damaged gzip data is an error naming the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFormat, readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import type { CatalogTable } from '../../../electron/catalog/table.ts';
import { openInputReader } from '../../../electron/inference/input-reader.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/catalog');
const dir = mkdtempSync(join(tmpdir(), 'cradle-gzip-'));

function gzipOf(path: string, name = `${path.split('/').at(-1)!}.gz`): string {
  const out = join(dir, name);
  writeFileSync(out, gzipSync(readFileSync(path)));
  return out;
}

function rows(catalog: CatalogTable): unknown[] {
  return catalog.table
    .toArray()
    .map((r: { toJSON(): Record<string, unknown> }) =>
      JSON.stringify(r.toJSON(), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    );
}

function units(catalog: CatalogTable): (string | undefined)[] {
  return catalog.table.schema.fields.map((f) => f.metadata.get('unit'));
}

describe('gzip-compressed text tables', () => {
  it('read like their plain files in every text format, told apart by what they inflate to', async () => {
    const source = await readCatalog(join(FIXTURES, 'reference_binary2.vot'));
    const table = source.table.select(['source_id', 'ra', 'dec', 'phot_g_mean_mag', 'n_obs', 'ph_qual']);
    for (const [ext, format] of [
      ['csv', 'csv'],
      ['tsv', 'tsv'],
      ['ecsv', 'ecsv'],
      ['vot', 'votable'],
      ['mrt', 'mrt'],
    ] as const) {
      const plain = join(dir, `table.${ext}`);
      await writeCatalog(table, plain);
      const packed = gzipOf(plain);
      expect(detectFormat(packed), ext).toBe(format);
      // A gzip file named without `.gz` is still recognised by its content.
      const renamed = gzipOf(plain, `renamed-${ext}.txt`);
      const [a, b, c] = await Promise.all([readCatalog(plain), readCatalog(packed), readCatalog(renamed)]);
      expect(b.format, ext).toBe(a.format);
      expect(rows(b), ext).toEqual(rows(a));
      expect(rows(c), ext).toEqual(rows(a));
      expect(units(b), ext).toEqual(units(a));
    }
  });

  it('reads an ECSV whose header is longer than the first inflated block, as Gaia bulk files have', async () => {
    const columns = Array.from({ length: 400 }, (_, i) => `col_${i}`);
    const header = [
      '# %ECSV 1.0',
      '# ---',
      '# delimiter: ","',
      '# datatype:',
      ...columns.map(
        (name) =>
          `# - {name: ${name}, datatype: float64, unit: mag, description: ${'a long column description '.repeat(24)}}`,
      ),
    ];
    const body = [
      columns.join(','),
      columns.map((_, i) => String(i + 0.5)).join(','),
      columns.map(() => '').join(','),
    ];
    const plain = join(dir, 'long.ecsv');
    writeFileSync(plain, [...header, ...body].join('\n') + '\n');
    expect(readFileSync(plain).length).toBeGreaterThan(4 * 65536);
    const catalog = await readCatalog(gzipOf(plain, 'GaiaSource_000000-003111.csv.gz'));
    expect(catalog.format).toBe('ecsv');
    expect(catalog.table.numRows).toBe(2);
    expect(catalog.table.getChild('col_399')!.get(0)).toBe(399.5);
    expect(catalog.table.getChild('col_399')!.get(1)).toBeNull();
  });

  it("reads Gaia DR3 bulk files' `null` as missing in numeric, boolean and array columns; text keeps it", async () => {
    const plain = join(dir, 'gaia-nulls.ecsv');
    writeFileSync(
      plain,
      [
        '# %ECSV 1.0',
        '# ---',
        "# delimiter: ','",
        '# datatype:',
        '# - {name: source_id, datatype: int64}',
        '# - {name: radial_velocity, unit: km.s**-1, datatype: float32}',
        '# - {name: phot_bp_n_obs, datatype: int16}',
        '# - {name: has_xp_continuous, datatype: bool}',
        '# - {name: libname_best_gspphot, datatype: string}',
        "# - {name: bp_coefficients, datatype: string, subtype: 'float64[2]'}",
        'source_id,radial_velocity,phot_bp_n_obs,has_xp_continuous,libname_best_gspphot,bp_coefficients',
        '4295806720,null,null,null,null,null',
        '34361129088,-12.5,187,True,MARCS,"[1.5,2.5]"',
        '',
      ].join('\n'),
    );
    const catalog = await readCatalog(gzipOf(plain, 'GaiaSource_000000-003111.csv.gz'));
    const column = (name: string): unknown[] => [...catalog.table.getChild(name)!];
    expect(column('radial_velocity')).toEqual([null, -12.5]);
    expect(column('phot_bp_n_obs')).toEqual([null, 187]);
    expect(column('has_xp_continuous')).toEqual([null, true]);
    expect(column('libname_best_gspphot')).toEqual(['null', 'MARCS']);
    expect(column('bp_coefficients').map((v) => (v === null ? null : [...(v as Iterable<number>)]))).toEqual([
      null,
      [1.5, 2.5],
    ]);
  });

  it('reads every member of a multi-member gzip (files joined with cat)', async () => {
    const first = gzipSync('id,g\n1,10.5\n2,11.5\n');
    const second = gzipSync('3,12.5\n');
    const path = join(dir, 'joined.csv.gz');
    writeFileSync(path, Buffer.concat([first, second]));
    const catalog = await readCatalog(path);
    expect(Array.from(catalog.table.getChild('g')!.toArray() as Float64Array)).toEqual([10.5, 11.5, 12.5]);
  });

  it('refuses truncated or damaged gzip data with the file named, never a shorter table', async () => {
    const text = 'id,g\n' + Array.from({ length: 50000 }, (_, i) => `${i},${(i % 97) / 7}`).join('\n') + '\n';
    const whole = gzipSync(text);
    const truncated = join(dir, 'truncated.csv.gz');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expect(readCatalog(truncated)).rejects.toThrow(
      /truncated\.csv\.gz: the gzip data is damaged or truncated/,
    );
    const corrupt = Buffer.from(whole);
    corrupt.fill(0x55, 200, 400);
    const damaged = join(dir, 'damaged.csv.gz');
    writeFileSync(damaged, corrupt);
    await expect(readCatalog(damaged)).rejects.toThrow(
      /damaged\.csv\.gz: the gzip data is damaged or truncated/,
    );
  });

  it('names the line of a bad row inside a gzip file', async () => {
    const path = join(dir, 'ragged.csv.gz');
    writeFileSync(path, gzipSync('a,b\n1,2\n3,4\n5\n'));
    await expect(readCatalog(path)).rejects.toThrow(/ragged\.csv\.gz: line 4: ragged row: 1 fields/);
  });

  it('refuses a gzipped Parquet file with the reason', async () => {
    const plain = join(dir, 'table.parquet');
    const source = await readCatalog(join(FIXTURES, 'reference_binary2.vot'));
    await writeCatalog(source.table.select(['source_id', 'ra']), plain);
    await expect(readCatalog(gzipOf(plain))).rejects.toThrow(
      /table\.parquet\.gz: a gzip-compressed Parquet file/,
    );
  });

  it('serves as an inference input', async () => {
    const plain = join(dir, 'input.csv');
    writeFileSync(
      plain,
      'source_id,phot_g_mean_mag\n' +
        Array.from({ length: 30 }, (_, i) => `${i + 1},${12 + i / 10}`).join('\n'),
    );
    const reader = await openInputReader(gzipOf(plain));
    try {
      expect(reader.totalRows).toBe(30);
      const part = await reader.rows(10, 13);
      expect(Array.from(part.getChild('phot_g_mean_mag')!.toArray() as Float64Array)).toEqual([
        13, 13.1, 13.2,
      ]);
    } finally {
      reader.close();
    }
  });
});
