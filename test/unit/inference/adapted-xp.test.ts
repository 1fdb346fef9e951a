// An adapted model with a Gaia XP encoder: the app bins a catalogue's XP spectra into the encoder's
// inputs as training did. The committed toy (test/fixtures/inference/adapted-xp-toy, written by
// `python -m cradle_models.adaptation.app_model --toy DIR --xp`) holds stars as a catalogue has them
// (photometry, sampled spectra with σ, a missing photometer, non-positive fluxes, no spectrum), the
// inputs cradle_models.adaptation.spectra makes of them and the PyTorch reference's samples.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Field, FixedSizeList, Float64, Int64, List, Table, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeParquet } from '../../../electron/catalog/parquet.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import type { AssessedQuantity } from '../../../electron/catalog/quality.ts';
import { loadModel, modelInputGroups } from '../../../electron/inference/card.ts';
import type { ModelCard } from '../../../electron/inference/card.ts';
import { blockOf, prepareInputs, starsObserving } from '../../../electron/inference/inputs.ts';
import type { PreparedInputs } from '../../../electron/inference/inputs.ts';
import { openSessions } from '../../../electron/inference/sessions.ts';
import type { ModelSessions } from '../../../electron/inference/sessions.ts';
import { expectReferenceSamples, inputEffect, runToy } from './adapted-helpers.ts';
import type { ParityCase, ParityFixture } from './adapted-helpers.ts';
import { tempDir } from './helpers.ts';

const MODEL = fileURLToPath(new URL('../../fixtures/inference/adapted-xp-toy', import.meta.url));
const XP_SAMPLED = resolve(
  import.meta.dirname,
  '../../../../shared/data/fits/real-gaia-xp/XP_SAMPLED_RAW_dr3int6.fits',
);
const XP_FITS = resolve(
  import.meta.dirname,
  '../../../../shared/data/fits/real-gaia-xp/XP_CONTINUOUS_RAW_with_missing_BP.fits',
);

type Cell = number | null;
type Case = ParityCase & {
  catalogue: Record<string, Cell> & { flux: Cell[] | null; flux_error: Cell[] | null };
};

const fixture = JSON.parse(readFileSync(join(MODEL, 'xp-cases.json'), 'utf8')) as ParityFixture<Case>;

function listType(size: number | null): DataType {
  const item = new Field('item', new Float64(), true);
  return size === null ? new List(item) : new FixedSizeList(size, item);
}

/** The cases as a Gaia-like table; the spectra in `flux`/`flux_error` list columns (`size` null: variable-length lists). */
function casesTable(size: number | null = 343): Table {
  const column = (name: string): Vector =>
    vectorFromArray(
      fixture.cases.map((c) => c.catalogue[name] as Cell),
      new Float64(),
    );
  return new Table({
    source_id: vectorFromArray(
      fixture.cases.map((_, r) => BigInt(1000 + r)),
      new Int64(),
    ),
    phot_g_mean_mag: column('phot_g_mean_mag'),
    phot_bp_mean_mag: column('phot_bp_mean_mag'),
    phot_rp_mean_mag: column('phot_rp_mean_mag'),
    parallax: column('parallax'),
    parallax_error: column('parallax_error'),
    flux: vectorFromArray(
      fixture.cases.map((c) => c.catalogue.flux),
      listType(size),
    ),
    flux_error: vectorFromArray(
      fixture.cases.map((c) => c.catalogue.flux_error),
      listType(size),
    ),
  });
}

/** A real file read through the XP toy's inputs; `quantity` gives one card variable's. */
async function realFile(path: string): Promise<{
  card: ModelCard;
  table: Table;
  prepared: PreparedInputs;
  quantity: (name: string) => AssessedQuantity;
}> {
  const { card } = loadModel(MODEL);
  const { table, file } = await readCatalog(path);
  const prepared = prepareInputs(table, card, file);
  const quantity = (name: string): AssessedQuantity =>
    prepared.quantities[card.variables.findIndex((v) => v.name === name)]!;
  return { card, table, prepared, quantity };
}

describe('an adapted model with a Gaia XP encoder', () => {
  let sessions: ModelSessions;
  beforeAll(async () => {
    sessions = await openSessions(loadModel(MODEL), { provider: 'cpu', threads: 1 });
  });
  afterAll(async () => sessions.release());

  it('lists the XP encoder with its binning, one card variable per bin', () => {
    const { card } = loadModel(MODEL);
    const xp = card.encoders!.modalities.find((m) => m.name === 'gaia.xp')!;
    expect(xp.spectrum).toMatchObject({ quantity: 'gaia.xp', samples: 343, bin: 7, transform: 'log10' });
    expect(xp.variables).toHaveLength(49);
    expect(xp.variables[0]).toBe('gaia.xp[0]');
  });

  it('bins a catalogue’s spectra as training did and gives the PyTorch reference samples', async () => {
    const { card } = loadModel(MODEL);
    const table = casesTable();
    const prepared = prepareInputs(table, card, 'cases');
    expect(prepared.sources['gaia.xp']).toBe('flux');
    const block = blockOf(prepared, card, 0, table.numRows);
    const P = card.architecture.n_variables;
    const width = card.variables.length;
    fixture.cases.forEach((c, r) => {
      c.observed.forEach((o, k) => {
        const j = r * width + P + k;
        expect(block.observed[j], `${c.label}: input ${k} observed`).toBe(o ? 1 : 0);
        if (!o) return;
        expect(block.values[j]!, `${c.label}: input ${k}`).toBeCloseTo(c.values[k]!, 5);
        expect(block.errors[j]!, `${c.label}: σ of input ${k}`).toBeCloseTo(c.errors[k]!, 5);
      });
    });
    // The missing photometer's samples (NaN below 635 nm) and the non-positive blue end are masked bins.
    expect(fixture.cases[1]!.observed.slice(4, 26).every((o) => !o)).toBe(true);
    expect(fixture.cases[2]!.observed[4]).toBe(false);
    await expectReferenceSamples(sessions, card, block, fixture);
    // From the same noise, the spectrum moves the posterior: photometry with and without XP, and XP alone.
    expect(inputEffect(fixture, 0, 3)).toBeGreaterThan(0.1);
    expect(inputEffect(fixture, 0, 4)).toBeGreaterThan(0.1);
  });

  it('takes a mapped spectrum column with its σ beside it, and counts each input once', () => {
    const { card } = loadModel(MODEL);
    const base = casesTable();
    const renamed = new Table({
      ...Object.fromEntries(base.schema.fields.map((f) => [f.name, base.getChild(f.name)!])),
      my_xp: base.getChild('flux')!,
      my_xp_error: base.getChild('flux_error')!,
      flux: vectorFromArray(
        fixture.cases.map(() => null),
        listType(343),
      ),
    });
    const prepared = prepareInputs(renamed, card, 'mapped', { 'gaia.xp': { column: 'my_xp' } });
    expect(prepared.sources['gaia.xp']).toBe('my_xp');
    const block = blockOf(prepared, card, 0, renamed.numRows);
    const P = card.architecture.n_variables;
    fixture.cases[0]!.values.forEach((v, k) => expect(block.values[P + k]!, `input ${k}`).toBeCloseTo(v, 5));
    fixture.cases[0]!.errors.forEach((e, k) =>
      expect(block.errors[P + k]!, `σ of input ${k}`).toBeCloseTo(e, 5),
    );
    // One model input per observable, and the 49 bins as one: the four stars with a spectrum.
    const groups = modelInputGroups(card);
    expect(groups.map((g) => g.name)).toEqual(['gaia.g', 'gaia.bp', 'gaia.rp', 'gaia.parallax', 'gaia.xp']);
    expect(starsObserving(prepared, groups[4]!.variables)).toBe(4);
    expect(starsObserving(prepared, groups[1]!.variables)).toBe(3);
  });

  it('runs end to end from a Parquet file with sampled spectra in variable-length lists', async () => {
    const dir = tempDir('adapted-xp');
    const input = join(dir, 'stars.parquet');
    await writeParquet(casesTable(null), input);
    // Through Parquet, a missing sample inside a spectrum is still missing (not the 0 its slot holds).
    const { card } = loadModel(MODEL);
    const { table: stars } = await readCatalog(input);
    const block = blockOf(prepareInputs(stars, card, input), card, 0, stars.numRows);
    const P = card.architecture.n_variables;
    fixture.cases.forEach((c, r) =>
      c.observed.forEach((o, k) => expect(block.observed[r * card.variables.length + P + k]).toBe(o ? 1 : 0)),
    );
    const { summary, run } = await runToy(MODEL, input, join(dir, 'out'));
    expect(summary.numRows).toBe(fixture.cases.length);
    expect((run['input'] as { mapping: Record<string, string | null> }).mapping['gaia.xp']).toBe('flux');
  });

  it('refuses a spectrum off the XP grid, naming the file, column and row', () => {
    const { card } = loadModel(MODEL);
    const base = casesTable(null);
    // The XP column's third star holds 300 samples: its row is named.
    const ragged = fixture.cases.map((c, r) =>
      c.catalogue.flux === null || r !== 2 ? c.catalogue.flux : c.catalogue.flux.slice(0, 300),
    );
    const table = base.assign(new Table({ flux: vectorFromArray(ragged, listType(null)) }));
    expect(() => prepareInputs(table, card, 'ragged.parquet')).toThrow(
      /ragged\.parquet: column 'flux', row 3: 300 samples, but Gaia XP sampled spectra have 343/,
    );
    // A `flux` column of other spectra (a survey's) is not XP: the model reads photometry alone …
    const short = fixture.cases.map((c) =>
      c.catalogue.flux === null ? null : c.catalogue.flux.slice(0, 300),
    );
    for (const size of [300, null]) {
      const other = base.assign(new Table({ flux: vectorFromArray(short, listType(size)) }));
      const prepared = prepareInputs(other, card, 'lamost-like.parquet');
      expect(prepared.sources['gaia.xp']).toBeNull();
      expect(prepared.sources['gaia.g']).toBe('phot_g_mean_mag');
    }
    // … unless it is mapped as gaia.xp, when its first star is refused.
    const mapped = base.assign(new Table({ flux: vectorFromArray(short, listType(null)) }));
    expect(() => prepareInputs(mapped, card, 'mapped.parquet', { 'gaia.xp': { column: 'flux' } })).toThrow(
      /mapped\.parquet: column 'flux', row 1: 300 samples/,
    );
  });

  it.skipIf(!existsSync(XP_FITS))(
    'reads the real DR3 continuous spectra: the star without BP observes only the bins above 635 nm',
    async () => {
      const { card, prepared, quantity } = await realFile(XP_FITS);
      expect(prepared.sources['gaia.xp']).toBe('bp_coefficients');
      const bins = card.encoders!.modalities.find((m) => m.name === 'gaia.xp')!.variables;
      const observed = (r: number): boolean[] => bins.map((name) => quantity(name).observed[r] === 1);
      expect(observed(0).filter(Boolean).length).toBeGreaterThan(40);
      // Bin k holds samples 7k…7k+6 (336 + 2·sample nm): bins 0–21 reach below 635 nm.
      expect(observed(1).slice(0, 22).some(Boolean)).toBe(false);
      expect(observed(1).slice(22).filter(Boolean).length).toBeGreaterThan(20);
      const flux = quantity('gaia.xp[30]');
      expect(flux.values[0]).toBeGreaterThan(-20);
      expect(flux.values[0]).toBeLessThan(-13);
    },
  );

  it.skipIf(!existsSync(XP_SAMPLED))(
    'reads gaiaxpy’s sampled spectra file (flux, flux_error: float32 lists of 343) as they are',
    async () => {
      const { table, prepared, quantity } = await realFile(XP_SAMPLED);
      expect(prepared.sources['gaia.xp']).toBe('flux');
      const flux = table.getChild('flux')!;
      const error = table.getChild('flux_error')!;
      for (let r = 0; r < table.numRows; r += 1) {
        const f = Array.from(flux.get(r) as Iterable<number>);
        const e = Array.from(error.get(r) as Iterable<number>);
        for (const k of [0, 10, 48]) {
          const q = quantity(`gaia.xp[${k}]`);
          const mean = f.slice(7 * k, 7 * k + 7).reduce((a, b) => a + b, 0) / 7;
          const sigma = Math.sqrt(e.slice(7 * k, 7 * k + 7).reduce((a, b) => a + b * b, 0)) / 7;
          expect(q.observed[r]).toBe(1);
          expect(q.values[r]).toBeCloseTo(Math.log10(mean), 10);
          expect(q.errors[r]).toBeCloseTo(sigma / mean / Math.LN10, 10);
        }
      }
    },
  );
});
