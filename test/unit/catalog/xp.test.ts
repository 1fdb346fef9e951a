// Gaia XP as a model input: sampled spectra from the real DR3 continuous file (through the FITS
// engine); the star without BP keeps only RP samples (> 635 nm, as gaiaxpy). The values themselves
// are checked against gaiaxpy in test/python/test_catalog_xp.py.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModelInputs } from '../../../electron/catalog/model-inputs.ts';
import { readCatalog } from '../../../electron/catalog/read.ts';
import { calibrateXp, loadXpBasis } from '../../../electron/catalog/xp.ts';

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
});
