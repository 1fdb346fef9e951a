// Survey adapters: the expression language, quality rules (each rule on a star built to trip it),
// model inputs, saved mappings and the spatial index.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, parseAssignment } from '../../../electron/catalog/expression.ts';
import { loadMapping, mappingPath, saveMapping } from '../../../electron/catalog/mapping-store.ts';
import { buildModelInputs } from '../../../electron/catalog/model-inputs.ts';
import { FLAG, excessSigma, expectedExcess } from '../../../electron/catalog/quality.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { recognise } from '../../../electron/catalog/recognise.ts';
import {
  KdTree,
  crossMatchTables,
  matchPositions,
  parseRadius,
  unitVectors,
} from '../../../electron/catalog/xmatch.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-adapters-'));

describe('expressions', () => {
  const column = (values: number[], valid = values.map(() => 1)) => ({
    values: Float64Array.from(values),
    valid: Uint8Array.from(valid),
  });
  const run = (text: string, columns: Record<string, ReturnType<typeof column>>, rows: number) =>
    evaluate(parseAssignment(text).expression, rows, (name) => {
      const c = columns[name];
      if (c === undefined) throw new Error(`no ${name}`);
      return c;
    });

  it('follows arithmetic precedence and right-associative powers', () => {
    const r = run('-2^2 + 3*4 - 10/4 + 2**3**0', {}, 1);
    expect(r.values[0]).toBeCloseTo(-4 + 12 - 2.5 + 2, 12);
  });

  it('never turns a missing or non-finite input into a value', () => {
    const r = run(
      'G + bp_g',
      { G: column([12, 13, 14], [1, 0, 1]), bp_g: column([0.5, 0.5, Number.NaN], [1, 1, 0]) },
      3,
    );
    expect(Array.from(r.valid)).toEqual([1, 0, 0]);
    expect(r.values[0]).toBe(12.5);
    expect(Number.isNaN(r.values[1]!)).toBe(true);
    const log = run('-2.5 * log10(F)', { F: column([1e-3, -1, 0]) }, 3);
    expect(Array.from(log.valid)).toEqual([1, 0, 0]);
    expect(log.values[0]).toBeCloseTo(7.5, 12);
  });

  it('parses assignments and backtick names, and names the position of an error', () => {
    const a = parseAssignment('gaia.bp = `e_3.6mag` * 2');
    expect(a.target).toBe('gaia.bp');
    expect(a.expression).toEqual({
      kind: 'binary',
      op: '*',
      left: { kind: 'name', name: 'e_3.6mag' },
      right: { kind: 'number', value: 2 },
    });
    expect(() => parseAssignment('G + (bp_g')).toThrow(/position 10: expected '\)'/);
    expect(() => parseAssignment('G + foo(1)')).toThrow(/unknown function 'foo'/);
    expect(() => parseAssignment('G; rm')).toThrow(/position 2: unexpected ';'/);
    expect(() => parseAssignment(`${'('.repeat(20000)}1${')'.repeat(20000)}`)).toThrow(
      /40001 tokens, more than the 1000 allowed/,
    );
  });
});

describe('quality rules', () => {
  it('Riello et al. 2021 C* polynomial and its scatter', () => {
    // Table 2: continuous at the breaks to 1e-3; Eq. 18 at G = 20.
    expect(expectedExcess(0.5 - 1e-9)).toBeCloseTo(expectedExcess(0.5), 2);
    expect(expectedExcess(4 - 1e-9)).toBeCloseTo(expectedExcess(4), 2);
    expect(excessSigma(20)).toBeCloseTo(0.0059898 + 8.817481e-12 * 20 ** 7.618399, 12);
  });

  it('2MASS ph_qual, WISE ph_qual/cc_flags, RUWE, BP/RP excess and journal flags decide what is observed', async () => {
    const csv = [
      'source_id,ra,dec,parallax,parallax_error,ruwe,phot_g_mean_mag,phot_bp_mean_mag,phot_rp_mean_mag,phot_bp_rp_excess_factor,j_m,j_msigcom,h_m,h_msigcom,ks_m,ks_msigcom,tmass_ph_qual,w1mpro,w1sigmpro,w2mpro,w2sigmpro,allwise_ph_qual,cc_flags',
      // clean star
      '1,10,0,5,0.1,1.0,15,15.5,14.4,1.2,13,0.02,12.5,0.02,12.3,0.02,AAA,12.1,0.02,12.0,0.02,AAAA,0000',
      // J upper limit (U, null error), H flagged E, RUWE 2, W1 spurious halo, W2 contaminated (lower case)
      '2,11,0,5,0.1,2.0,15,15.5,14.4,1.2,13,,12.5,0.02,12.3,0.02,UEA,12.1,0.02,12.0,0.02,AAAA,Hh00',
      // BP/RP excess far off the Riello relation, W2 upper limit
      '3,12,0,5,0.1,1.0,15,15.5,14.4,3.0,13,0.02,12.5,0.02,12.3,0.02,AAA,12.1,0.02,12.0,,AUAA,0000',
    ].join('\n');
    const path = join(dir, 'flags.csv');
    writeFileSync(path, `${csv}\n`);
    const { table } = await readCatalog(path);
    const names = [
      'gaia.parallax',
      'gaia.bp',
      'gaia.rp',
      'gaia.g',
      'tmass.j',
      'tmass.h',
      'tmass.ks',
      'wise.w1',
      'wise.w2',
      'wise.w3',
    ];
    const inputs = buildModelInputs(table, names);
    const by = Object.fromEntries(inputs.variables.map((v) => [v.name, v]));
    const observed = (name: string) => Array.from(by[name]!.observed);
    expect(observed('gaia.parallax')).toEqual([1, 0, 1]);
    expect(by['gaia.parallax']!.flags[1]! & FLAG.gaiaRuwe).toBeTruthy();
    expect(observed('gaia.bp')).toEqual([1, 1, 0]);
    expect(observed('gaia.rp')).toEqual([1, 1, 0]);
    expect(observed('gaia.g')).toEqual([1, 1, 1]);
    expect(observed('tmass.j')).toEqual([1, 0, 1]);
    expect(by['tmass.j']!.flags[1]! & FLAG.tmassPhQual).toBeTruthy();
    expect(observed('tmass.h')).toEqual([1, 0, 1]);
    expect(observed('tmass.ks')).toEqual([1, 1, 1]);
    expect(observed('wise.w1')).toEqual([1, 0, 1]);
    expect(by['wise.w1']!.flags[1]! & FLAG.wiseCcSpurious).toBeTruthy();
    expect(observed('wise.w2')).toEqual([1, 1, 0]);
    expect(by['wise.w2']!.flags[1]! & FLAG.wiseCcContaminated).toBeTruthy();
    expect(observed('wise.w3')).toEqual([0, 0, 0]);
    // Nothing unobserved carries a number.
    for (const v of inputs.variables) {
      v.observed.forEach((o, i) => {
        if (!o) {
          expect(Number.isNaN(v.values[i]!)).toBe(true);
          expect(Number.isNaN(v.errors[i]!)).toBe(true);
        }
      });
    }
    expect(by['tmass.j']!.errors[0]).toBe(0.02);
  });

  it('an infinite value or uncertainty is not observed', async () => {
    // A CSV's 'inf' reads as a number; as a model input it would be a value the network never saw.
    const path = join(dir, 'infinite.csv');
    writeFileSync(
      path,
      'source_id,j_m,j_msigcom,h_m,h_msigcom\n1,inf,0.02,12.5,inf\n2,13,0.02,-inf,0.02\n3,13,0.02,12.5,0.02\n',
    );
    const { table } = await readCatalog(path);
    const [j, h] = buildModelInputs(table, ['tmass.j', 'tmass.h']).variables;
    expect(Array.from(j!.observed)).toEqual([0, 1, 1]);
    expect(j!.flags[0]! & FLAG.missing).toBeTruthy();
    expect(Array.from(h!.observed)).toEqual([0, 0, 1]);
    expect(h!.flags[0]! & FLAG.errorMissing).toBeTruthy();
    expect(h!.flags[1]! & FLAG.missing).toBeTruthy();
  });

  it('refuses labels as model inputs', async () => {
    const path = join(dir, 'labels.csv');
    writeFileSync(path, 'ra,dec,Av\n1,2,0.5\n');
    const { table } = await readCatalog(path);
    expect(() => buildModelInputs(table, ['av'])).toThrow(/'av' is a label/);
  });
});

describe('saved mappings', () => {
  it('saves a per-file override in $CRADLE_HOME and recognition uses it', async () => {
    process.env['CRADLE_HOME'] = join(dir, 'home');
    const path = join(dir, 'colours.csv');
    writeFileSync(path, 'id,RAJ,G,BPG\n1,10,12,0.5\n');
    const { table } = await readCatalog(path);
    expect(recognise(table).get('gaia.bp')).toBeUndefined();
    const saved = await saveMapping(path, { 'gaia.bp': { expression: 'G + BPG' }, ra: { column: 'RAJ' } });
    expect(saved).toBe(mappingPath(path));
    const overrides = loadMapping(path);
    const recognition = recognise(table, overrides);
    expect(recognition.get('gaia.bp')).toMatchObject({
      expression: 'G + BPG',
      via: 'override',
      confidence: 1,
    });
    expect(recognition.get('ra')).toMatchObject({ column: 'RAJ', via: 'override' });
    const inputs = buildModelInputs(table, ['gaia.bp'], { recognition });
    expect(inputs.variables[0]!.values[0]).toBe(12.5);
    writeFileSync(mappingPath(path), '{"file": 3}');
    expect(() => loadMapping(path)).toThrow(/saved mapping .* is malformed/);
  });
});

describe('spatial index', () => {
  it('finds exactly the brute-force neighbours within a radius', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const n = 3000;
    const ra = Float64Array.from({ length: n }, () => 360 * random());
    const dec = Float64Array.from({ length: n }, () => (Math.asin(2 * random() - 1) * 180) / Math.PI);
    const valid = new Uint8Array(n).fill(1);
    const points = unitVectors(ra, dec, valid);
    const tree = new KdTree(points.xyz, valid);
    const radius = 0.05;
    for (let q = 0; q < 50; q += 1) {
      const x = points.xyz[3 * q]!,
        y = points.xyz[3 * q + 1]!,
        z = points.xyz[3 * q + 2]!;
      const found: number[] = [];
      tree.within(x, y, z, radius, (j) => found.push(j));
      const brute: number[] = [];
      for (let j = 0; j < n; j += 1) {
        const d2 =
          (points.xyz[3 * j]! - x) ** 2 +
          (points.xyz[3 * j + 1]! - y) ** 2 +
          (points.xyz[3 * j + 2]! - z) ** 2;
        if (d2 <= radius * radius) brute.push(j);
      }
      expect(found.sort((a, b) => a - b)).toEqual(brute);
    }
  });

  it('matches across RA = 0 and near the pole, nearest first, with separations', () => {
    const a = unitVectors(
      Float64Array.from([359.9999, 10]),
      Float64Array.from([0, 89.9999]),
      Uint8Array.from([1, 1]),
    );
    const b = unitVectors(
      Float64Array.from([0.0001, 190, 200]),
      Float64Array.from([0, 89.9999, 89.99995]),
      Uint8Array.from([1, 1, 1]),
    );
    const best = matchPositions(a, b, 1 / 3600, false);
    expect(Array.from(best.b)).toEqual([0, 2]);
    expect(best.separationArcsec[0]).toBeCloseTo(0.72, 6);
    const all = matchPositions(a, b, 1 / 3600, true);
    expect(Array.from(all.a)).toEqual([0, 1, 1]);
    expect(Array.from(all.b)).toEqual([0, 2, 1]);
  });

  it('joins by identifier (first or all) and keeps every A row', async () => {
    const a = join(dir, 'ids_a.csv');
    const b = join(dir, 'ids_b.csv');
    writeFileSync(a, 'source_id,G\n6728162648254144128,12\n5,13\n7,14\n');
    writeFileSync(b, 'Source,J\n5,10.5\n6728162648254144128,11.5\n5,10.6\n');
    const left = await readCatalog(a);
    const right = await readCatalog(b);
    const first = crossMatchTables(left, right, { radiusDeg: 1, all: false, byId: 'source_id=Source' });
    expect(first.matched).toBe(2);
    expect(first.table.getChild('J')!.toArray()).toEqual(new Float64Array([11.5, 10.5, 0]));
    expect(first.table.getChild('J')!.nullCount).toBe(1);
    const all = crossMatchTables(left, right, { radiusDeg: 1, all: true, byId: 'source_id=Source' });
    expect(all.table.numRows).toBe(4);
    expect(() => crossMatchTables(left, right, { radiusDeg: 1, all: false, byId: 'nope=Source' })).toThrow(
      /no column 'nope'/,
    );
  });

  it('reads radii with units', () => {
    expect(parseRadius('1arcsec')).toBeCloseTo(1 / 3600, 15);
    expect(parseRadius('0.5 arcmin')).toBeCloseTo(1 / 120, 15);
    expect(parseRadius('2e-4deg')).toBeCloseTo(2e-4, 15);
    expect(() => parseRadius('1 parsec')).toThrow(/radius '1 parsec'/);
    expect(() => parseRadius('1e400deg')).toThrow(/radius '1e400deg' must be at most 180 deg/);
  });

  it('refuses positions off the sphere, a match with too many pairs, and keeps every name distinct', async () => {
    const a = join(dir, 'pos_a.csv');
    const b = join(dir, 'pos_b.csv');
    writeFileSync(a, 'ra,dec,ra_b,separation_arcsec\n10,20,1,2\n10,20,3,4\n');
    writeFileSync(b, 'ra,dec,id\n10,20,7\n10.0001,20,8\n');
    const left = await readCatalog(a);
    const right = await readCatalog(b);
    const matched = crossMatchTables(left, right, { radiusDeg: 1 / 3600, all: true });
    expect(matched.table.schema.fields.map((f) => f.name)).toEqual([
      'ra',
      'dec',
      'ra_b',
      'separation_arcsec',
      'ra_b2',
      'dec_b',
      'id',
      'separation_arcsec_b',
    ]);
    expect([...matched.table.getChild('id')!]).toEqual([7n, 8n, 7n, 8n]);
    const points = unitVectors(
      Float64Array.from([10, 10]),
      Float64Array.from([20, 20]),
      Uint8Array.from([1, 1]),
    );
    expect(() => matchPositions(points, points, 1 / 3600, true, 1)).toThrow(
      /more than 1 extra pairs within 1 arcsec in the first 2 rows of A/,
    );
    expect(matchPositions(points, points, 1 / 3600, false, 1).a.length).toBe(2);
    for (const [cell, message] of [
      ['10,95', /pos_bad\.csv: row 2: declination \(column dec\) is 95°, outside \[-90°, 90°\]/],
      ['inf,20', /pos_bad\.csv: row 2: right ascension \(column ra\) is Infinity/],
    ] as const) {
      const bad = join(dir, 'pos_bad.csv');
      writeFileSync(bad, `ra,dec\n10,20\n${cell}\n`);
      const off = await readCatalog(bad);
      expect(() => crossMatchTables(left, off, { radiusDeg: 1 / 3600, all: false })).toThrow(message);
    }
  });
});
