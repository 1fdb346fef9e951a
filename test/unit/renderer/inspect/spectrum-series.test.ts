// A spectrum turned into uPlot series: ascending wavelength, the ±1σ band only where an uncertainty
// exists, masked pixels as their own series, non-finite values as gaps; Angstrom spelled Å.
import { describe, expect, it } from 'vitest';
import type { SpectrumResult } from '../../../../electron/api/inspect.ts';
import { spectrumSeries, unitLabel } from '../../../../renderer/lib/inspect/spectrum-series.ts';

describe('spectrumSeries', () => {
  it('orders by wavelength, bands by σ, marks masked pixels and leaves gaps for NaN', () => {
    const spectrum: SpectrumResult = {
      wavelength: Float64Array.from([5002, 5000, 5001, NaN]),
      flux: Float64Array.from([3, 1, NaN, 9]),
      uncertainty: Float64Array.from([0.5, NaN, 1, 1]),
      mask: Uint8Array.from([0, 1, 1, 0]),
      wavelengthUnit: 'Angstrom',
      fluxUnit: '',
      medium: 'vacuum',
      wavelengthSource: 'test',
      layout: 'test',
    };
    const series = spectrumSeries(spectrum);
    expect(series.wavelength).toEqual([5000, 5001, 5002]);
    expect(series.flux).toEqual([1, null, 3]);
    expect(series.upper).toEqual([null, null, 3.5]);
    expect(series.lower).toEqual([null, null, 2.5]);
    expect(series.masked).toEqual([1, null, null]);
    expect(series.maskedCount).toBe(2);
  });

  it('writes Angstrom as Å and keeps other units', () => {
    expect(['Angstrom', 'angstroms', 'AA', 'nm'].map(unitLabel)).toEqual(['Å', 'Å', 'Å', 'nm']);
  });
});
