// Gaia XP as a model input: sampled spectra from the real DR3 continuous file (through the FITS
// engine, and as the archive's bulk ECSV writes it); the star without BP keeps only RP samples
// (> 635 nm, as gaiaxpy). The values themselves are checked against gaiaxpy in
// test/python/test_catalog_xp.py.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataType, Field, Float64, List, Table, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { buildModelInputs } from '../../../electron/catalog/model-inputs.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { calibrateXp, loadXpBasis, xpSpectra } from '../../../electron/catalog/xp.ts';

const XP = resolve(
  import.meta.dirname,
  '../../../../shared/data/fits/real-gaia-xp/XP_CONTINUOUS_RAW_with_missing_BP.fits',
);

describe('Gaia XP sampled spectra', () => {
  it('loads the gaiaxpy grid: 336–1020 nm in 2 nm steps, 55 bases per band', () => {
    const basis = loadXpBasis();
    expect(basis.samples).toBe(343);
    expect(basis.bases).toBe(55);
    expect(basis.wavelengthNm[0]).toBe(336);
    expect(basis.wavelengthNm[342]).toBe(1020);
  });

  it('refuses a band whose sizes do not match the basis', () => {
    const band = { coefficients: [1, 2], errors: [1, 1], correlations: [0] };
    expect(() => calibrateXp(band, null)).toThrow(
      /2 coefficients, 2 errors and 1 correlations; expected 55, 55 and 1485/,
    );
  });

  it('refuses a damaged coefficient cell, naming its row, column and element', () => {
    const list = (row: number[]) => vectorFromArray([row], new List(new Field('item', new Float64(), true)));
    const band = (coefficients: number[], errors: number[], correlations: number[]) => ({
      coefficients: list(coefficients),
      coefficient_errors: list(errors),
      coefficient_correlations: list(correlations),
      standard_deviation: vectorFromArray([1]),
    });
    const table = (bp: ReturnType<typeof band>) => {
      const rp = band(
        new Array<number>(55).fill(1),
        new Array<number>(55).fill(0.1),
        new Array<number>(1485).fill(0),
      );
      const columns = Object.fromEntries(
        (['bp', 'rp'] as const).flatMap((name) =>
          Object.entries(name === 'bp' ? bp : rp).map(([suffix, v]) => [`${name}_${suffix}`, v]),
        ),
      );
      return new Table(columns);
    };
    const ok = new Array<number>(55).fill(1);
    const errors = new Array<number>(55).fill(0.1);
    const correlations = new Array<number>(1485).fill(0);
    expect(xpSpectra(table(band(ok, errors, correlations)), 'xp.parquet').observed[0]).toBe(1);
    const cases: [number[], number[], number[], RegExp][] = [
      [
        ok.with(2, Infinity),
        errors,
        correlations,
        /xp\.parquet: row 1: bp_coefficients: element 3 is Infinity/,
      ],
      [ok, errors.with(0, -1), correlations, /bp_coefficient_errors: element 1 is -1/],
      [ok, errors, correlations.with(9, 1.5), /bp_coefficient_correlations: element 10 is 1\.5/],
    ];
    for (const [c, e, r, message] of cases)
      expect(() => xpSpectra(table(band(c, e, r)), 'xp.parquet')).toThrow(message);
    expect(() => xpSpectra(new Table({ x: vectorFromArray([1]) }), 'plain.csv')).toThrow(
      /^plain\.csv: no column bp_coefficients \(Gaia DR3 xp_continuous_mean_spectrum\)$/,
    );
  });

  it.skipIf(!existsSync(XP))('builds star × sample inputs; a missing band is missing, not zero', async () => {
    const { table, file } = await readCatalog(XP);
    const inputs = buildModelInputs(table, ['gaia.xp'], { file });
    const xp = inputs.spectra[0]!;
    expect(xp.samples).toBe(343);
    expect(Array.from(xp.observed)).toEqual([1, 1, 1]);
    const star = (r: number) => Array.from(xp.flux.subarray(r * 343, (r + 1) * 343));
    expect(star(0).every(Number.isFinite)).toBe(true);
    const rpOnly = star(1);
    rpOnly.forEach((f, k) => {
      const wl = xp.wavelengthNm[k]!;
      if (wl <= 635) expect(Number.isNaN(f)).toBe(true);
      else expect(Number.isFinite(f)).toBe(true);
    });
  });

  it.skipIf(!existsSync(XP))(
    "gives the same inputs from a Gaia bulk ECSV (arrays as text, a missing band's cells `null`)",
    async () => {
      const { table, file } = await readCatalog(XP);
      const fields = table.schema.fields;
      const header = fields.map((f) => {
        const datatype = DataType.isList(f.type)
          ? 'string'
          : DataType.isInt(f.type)
            ? `int${f.type.bitWidth}`
            : 'float64';
        return `# - {name: ${f.name}, datatype: ${datatype}}`;
      });
      const cell = (value: number | bigint | Iterable<number> | null): string => {
        if (value === null) return 'null';
        if (typeof value === 'object') {
          const items = Array.from(value);
          return items.length === 0 ? 'null' : `"[${items.join(',')}]"`;
        }
        return String(value);
      };
      const rows = Array.from({ length: table.numRows }, (_, r) =>
        fields
          .map((f) => cell(table.getChild(f.name)!.get(r) as number | bigint | Iterable<number> | null))
          .join(','),
      );
      const text = ['# %ECSV 1.0', '# ---', "# delimiter: ','", '# datatype:', ...header];
      text.push(fields.map((f) => f.name).join(','), ...rows, '');
      const ecsv = join(
        mkdtempSync(join(tmpdir(), 'cradle-xp-')),
        'XpContinuousMeanSpectrum_000000-003111.csv.gz',
      );
      writeFileSync(ecsv, gzipSync(text.join('\n')));
      expect(text.join('\n')).toContain(',null,');
      const fromEcsv = await readCatalog(ecsv);
      expect(fromEcsv.format).toBe('ecsv');
      const want = buildModelInputs(table, ['gaia.xp'], { file }).spectra[0]!;
      const got = buildModelInputs(fromEcsv.table, ['gaia.xp'], { file: ecsv }).spectra[0]!;
      expect(Array.from(got.observed)).toEqual(Array.from(want.observed));
      expect(Array.from(got.flux)).toEqual(Array.from(want.flux));
      expect(Array.from(got.error)).toEqual(Array.from(want.error));
    },
  );
});
