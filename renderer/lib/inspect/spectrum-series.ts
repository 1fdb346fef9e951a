// A spectrum as uPlot series: wavelength ascending, flux, the ±1σ band edges (null where the file
// gives no uncertainty) and the flux of masked pixels only (null elsewhere), so masked pixels can
// be drawn as marks over the curve.
import type { SpectrumResult } from '../../../electron/api/inspect.ts';

export interface SpectrumSeries {
  wavelength: number[];
  flux: (number | null)[];
  upper: (number | null)[];
  lower: (number | null)[];
  masked: (number | null)[];
  maskedCount: number;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function spectrumSeries(spectrum: SpectrumResult): SpectrumSeries {
  const order = Array.from(spectrum.wavelength.keys()).filter((i) =>
    Number.isFinite(spectrum.wavelength[i]!),
  );
  order.sort((a, b) => spectrum.wavelength[a]! - spectrum.wavelength[b]!);
  let maskedCount = 0;
  const series: SpectrumSeries = {
    wavelength: [],
    flux: [],
    upper: [],
    lower: [],
    masked: [],
    maskedCount: 0,
  };
  for (const i of order) {
    const flux = spectrum.flux[i]!;
    const sigma = spectrum.uncertainty[i]!;
    const bad = spectrum.mask[i] === 1;
    series.wavelength.push(spectrum.wavelength[i]!);
    series.flux.push(finite(flux));
    series.upper.push(Number.isFinite(sigma) ? finite(flux + sigma) : null);
    series.lower.push(Number.isFinite(sigma) ? finite(flux - sigma) : null);
    series.masked.push(bad ? finite(flux) : null);
    if (bad) maskedCount++;
  }
  series.maskedCount = maskedCount;
  return series;
}

/** "Å" for the spellings of Angstrom FITS files use; the unit itself otherwise. */
export function unitLabel(unit: string): string {
  return /^(angstroms?|a|aa)$/i.test(unit.trim()) ? 'Å' : unit.trim();
}
