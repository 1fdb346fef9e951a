import { describe, expect, it } from 'vitest';
import { BANDS, loadPassbands, loadVega } from '../../../../electron/forward/physics/bands.ts';
import { extinctionCurve, extinctionForSed } from '../../../../electron/forward/physics/extinction.ts';
import {
  bandFlux,
  integrationWeights,
  vegaMagnitude,
} from '../../../../electron/forward/physics/synthetic-photometry.ts';

describe('synthetic photometry', () => {
  const bands = loadPassbands();
  const vega = loadVega();

  it('gives Vega magnitude 0 in every band and -5 mag for 100x the flux', () => {
    for (const band of bands) {
      expect(vegaMagnitude(vega, band, vega)).toBeCloseTo(0, 12);
      const bright = { wavelength: vega.wavelength, flux: vega.flux.map((f) => f * 100) };
      expect(vegaMagnitude(bright, band, vega)).toBeCloseTo(-5, 10);
    }
  });

  it('weights integrate a flat spectrum to its value and photon-weight a slope', () => {
    const wave = Float64Array.from({ length: 4000 }, (_, i) => 2500 + i * 75);
    for (const band of bands) {
      expect(bandFlux({ wavelength: wave, flux: wave.map(() => 3) }, band)).toBeCloseTo(3, 10);
      const w = integrationWeights(wave, band);
      expect(w.norm).toBeGreaterThan(0);
    }
    // photon weighting: <F> of F = l is int S l^2 / int S l, larger than the energy-weighted mean
    const g = bands[0]!;
    const lin = bandFlux({ wavelength: wave, flux: wave.slice() }, g);
    const energy = bandFlux({ wavelength: wave, flux: wave.slice() }, { ...g, weighting: 'energy' });
    expect(lin).toBeGreaterThan(energy);
  });

  it('refuses a spectrum that does not cover a band', () => {
    const wave = Float64Array.from({ length: 100 }, (_, i) => 4000 + i * 10);
    expect(() =>
      bandFlux({ wavelength: wave, flux: wave.map(() => 1) }, bands[BANDS.indexOf('tmass.j')]!),
    ).toThrow(/does not cover band tmass.j/);
  });
});

describe('extinction', () => {
  it('is normalised at V and falls toward the infrared for G23 and F99', () => {
    for (const law of ['G23', 'F99'] as const) {
      const [v, i, k] = extinctionCurve(law, [5500, 8000, 22000], 3.1);
      expect(v).toBeGreaterThan(0.97);
      expect(v).toBeLessThan(1.03);
      expect(i!).toBeLessThan(v!);
      expect(k!).toBeLessThan(0.15);
    }
  });

  it('rejects R_V and wavelengths outside a law and extends F99 to the mid-IR toward zero', () => {
    expect(() => extinctionCurve('G23', [5500], 6)).toThrow(/R\(V\) = 6 is outside 2.3-5.6/);
    expect(() => extinctionCurve('F99', [50000], 3.1)).toThrow(/outside/);
    const [a4, a10, a22] = extinctionForSed('F99', [40000, 100000, 220000], 3.1);
    expect(a4!).toBeGreaterThan(a10!);
    expect(a22!).toBeGreaterThanOrEqual(0);
  });
});
