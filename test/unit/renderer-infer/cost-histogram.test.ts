// The Infer view's cost estimate and mapping edits, and the Star view's histograms.
import { describe, expect, it } from 'vitest';
import type { CatalogInspection, ModelInfo } from '../../../electron/api/infer.ts';
import { flopsPerStar, formatFlops } from '../../../renderer/lib/infer/cost.ts';
import {
  finiteRange,
  histogram,
  histogram2d,
  quantileDensity,
} from '../../../renderer/lib/infer/histogram.ts';
import { mappingEdits, observableRows, simulatedCatalog } from '../../../renderer/lib/infer/mapping.ts';

const model: ModelInfo = {
  name: 'm',
  dir: '/m',
  description: '',
  created: null,
  variables: [
    { name: 'age', role: 'parameter', unit: 'yr', survey: null, range: null },
    { name: 'gaia.g', role: 'observable', unit: 'mag', survey: 'gaia', range: null },
    { name: 'x_0', role: 'observable', unit: '', survey: 'toy', range: null },
  ],
  inputs: [
    { name: 'gaia.g', survey: 'gaia' },
    { name: 'x_0', survey: 'toy' },
  ],
  sampler: { solver: 'heun', steps: 16, samplesPerStar: 128, timeGrid: 'uniform', finalEuler: false },
  flopsPerStar: 422126720,
  evaluationsPerStep: { euler: 1, heun: 2, midpoint: 2 },
  costBreakdown: { contextMultiplyAdds: 37440, velocityMultiplyAddsPerEvaluation: 51520 },
  training: null,
  domainAdaptation: null,
  encoders: null,
  calibration: null,
  plots: [],
};

describe('cost', () => {
  it('reproduces the card figure at its own settings and scales with evaluations', () => {
    expect(flopsPerStar(model, { samples: 128, steps: 16, solver: 'heun' })).toBe(422126720);
    expect(flopsPerStar(model, { samples: 64, steps: 16, solver: 'euler' })).toBe(
      2 * (37440 + 51520 * 16 * 64),
    );
    const noBreakdown = { ...model, costBreakdown: null };
    expect(flopsPerStar(noBreakdown, { samples: 64, steps: 16, solver: 'heun' })).toBe(422126720 / 2);
    expect(flopsPerStar(model, { samples: 1, steps: 1, solver: 'rk4' })).toBeNull();
    expect(
      flopsPerStar({ ...noBreakdown, flopsPerStar: null }, { samples: 1, steps: 1, solver: 'heun' }),
    ).toBeNull();
    // A final Euler step saves one evaluation per sample for two-stage solvers only.
    const finalEuler = { ...model, sampler: { ...model.sampler, finalEuler: true } };
    expect(flopsPerStar(finalEuler, { samples: 64, steps: 16, solver: 'heun' })).toBe(
      2 * (37440 + 51520 * 31 * 64),
    );
    expect(flopsPerStar(finalEuler, { samples: 64, steps: 16, solver: 'euler' })).toBe(
      2 * (37440 + 51520 * 16 * 64),
    );
    expect(formatFlops(422126720)).toBe('422 MFLOP');
    expect(formatFlops(5)).toBe('5.00 FLOP');
  });
});

describe('mapping', () => {
  const inspection: CatalogInspection = {
    path: '/c.csv',
    format: 'csv',
    rows: 10,
    columns: ['phot_g_mean_mag', 'a'],
    quantities: [
      {
        name: 'gaia.g',
        column: 'phot_g_mean_mag',
        expression: null,
        unit: 'mag',
        role: 'photometry',
        confidence: 0.95,
        via: 'name',
        observed: 9,
      },
    ],
    modelInputs: null,
    modelInputsNote: null,
    mapping: { old: { column: 'a' } },
  };
  it('lists each model input with its source and count', () => {
    expect(observableRows(model, inspection)).toEqual([
      {
        name: 'gaia.g',
        survey: 'gaia',
        source: 'phot_g_mean_mag',
        observed: 9,
        via: 'name',
        confidence: 0.95,
      },
      { name: 'x_0', survey: 'toy', source: null, observed: null, via: null, confidence: null },
    ]);
  });
  it('prefers the counts inference gives for the model', () => {
    const withModel = { ...inspection, modelInputs: [{ name: 'x_0', source: 'a', observed: 7 }] };
    expect(observableRows(model, withModel)[1]).toMatchObject({ name: 'x_0', source: 'a', observed: 7 });
  });
  it('lists the inputs as the engine groups them: a spectrum encoder’s bins as one row', () => {
    const xp: ModelInfo = {
      ...model,
      variables: [
        ...model.variables,
        { name: 'gaia.xp[0]', role: 'observable', unit: 'log10(W m-2 nm-1)', survey: 'gaia', range: null },
        { name: 'gaia.xp[1]', role: 'observable', unit: 'log10(W m-2 nm-1)', survey: 'gaia', range: null },
      ],
      inputs: [...model.inputs, { name: 'gaia.xp', survey: 'gaia' }],
      encoders: [
        { name: 'photometry', variables: ['gaia.g', 'x_0'], tokens: 2, spectrum: null },
        { name: 'gaia.xp', variables: ['gaia.xp[0]', 'gaia.xp[1]'], tokens: 2, spectrum: 'gaia.xp' },
      ],
    };
    const withXp = { ...inspection, modelInputs: [{ name: 'gaia.xp', source: 'flux', observed: 4 }] };
    expect(observableRows(xp, withXp).map((r) => r.name)).toEqual(['gaia.g', 'x_0', 'gaia.xp']);
    expect(observableRows(xp, withXp)[2]).toMatchObject({ survey: 'gaia', source: 'flux', observed: 4 });
  });
  it('turns edits into columns or expressions and drops emptied entries', () => {
    expect(mappingEdits(inspection, { x_0: 'a', 'gaia.g': 'phot_g_mean_mag - 0.1', old: ' ' })).toEqual({
      x_0: { column: 'a' },
      'gaia.g': { expression: 'phot_g_mean_mag - 0.1' },
    });
  });
});

describe('simulated catalogue', () => {
  it('joins the relative file name to the output folder', () => {
    expect(simulatedCatalog({ out: '/tmp/sim/', files: ['catalog.parquet', 'truth.parquet'] })).toBe(
      '/tmp/sim/catalog.parquet',
    );
    expect(simulatedCatalog({ out: 'C:\\sim', files: ['truth.fits', 'catalog.fits'] })).toBe(
      'C:\\sim\\catalog.fits',
    );
    expect(simulatedCatalog({ out: '/tmp/sim', files: ['shard-000.parquet'] })).toBeNull();
  });
});

describe('histograms', () => {
  it('normalises to a density over the finite values', () => {
    const h = histogram([0, 1, 1, 2, 3, NaN, Infinity], 3)!;
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3]);
    // 5 finite values, bins of width 1: [0,1) holds 0; [1,2) holds 1, 1; [2,3] holds 2, 3.
    expect(Array.from(h.density)).toEqual([0.2, 0.4, 0.4]);
    expect(finiteRange([2, 2])).toEqual([1.5, 2.5]);
    expect(finiteRange([NaN])).toBeNull();
  });
  it('bins pairs on a grid with y outer', () => {
    const grid = histogram2d([0, 1, 1], [0, 0, 1], 2, [0, 1], [0, 1]);
    expect(Array.from(grid)).toEqual([1, 1, 0, 1]);
  });
  it('spreads the quantile masses between the quantiles and refuses unordered ones', () => {
    const d = quantileDensity({ p2_5: -2, p16: -1, median: 0, p84: 1, p97_5: 2 })!;
    expect(Array.from(d.density)).toEqual([0.135, 0.34, 0.34, 0.135]);
    expect(quantileDensity({ p2_5: 0, p16: 0, median: 0, p84: 1, p97_5: 2 })).toBeNull();
    expect(quantileDensity({ p2_5: null, p16: 0, median: 1, p84: 2, p97_5: 3 })).toBeNull();
  });
});
