// A spectrum encoder's inputs from a star's sampled spectrum, as the model was trained on them
// (cradle_models.adaptation.spectra.bin_spectrum, described by the card's `spectrum` block): `bin`
// consecutive samples averaged (the last samples mod `bin` dropped), log10 of the bin's mean flux,
// and σ_mean / (mean ln 10) from the samples' σ. A bin with a missing sample or a mean flux ≤ 0 is not
// observed; a bin whose σ is unknown keeps its value with σ = NaN (the card's typical_error stands in).
import type { AssessedQuantity } from '../catalog/quality.ts';
import type { XpSpectra } from '../catalog/xp.ts';
import type { SpectrumModality } from './card.ts';

/** The modality's card variables (one per bin, in wavelength order) from the stars' spectra. */
export function binnedSpectrum(
  spectra: XpSpectra,
  modality: SpectrumModality,
  file: string,
): AssessedQuantity[] {
  const { samples, bin } = modality.spectrum;
  const rows = spectra.observed.length;
  if (spectra.samples !== samples)
    throw new Error(
      `${file}: the model's encoder '${modality.name}' reads ${samples} samples per spectrum, the table's ` +
        `spectra have ${spectra.samples}`,
    );
  return modality.variables.map((name, k) => {
    const values = new Float64Array(rows).fill(Number.NaN);
    const errors = new Float64Array(rows).fill(Number.NaN);
    const observed = new Uint8Array(rows);
    let observedCount = 0;
    for (let r = 0; r < rows; r += 1) {
      if (spectra.observed[r] !== 1) continue;
      const at = r * samples + k * bin;
      let sum = 0;
      let variance = 0;
      for (let i = 0; i < bin; i += 1) {
        sum += spectra.flux[at + i]!;
        const e = spectra.error[at + i]!;
        variance += e * e;
      }
      const mean = sum / bin;
      if (!(mean > 0)) continue;
      values[r] = Math.log10(mean);
      errors[r] = Math.sqrt(variance) / bin / mean / Math.LN10;
      observed[r] = 1;
      observedCount += 1;
    }
    return {
      name,
      unit: `log10(${modality.spectrum.flux_unit ?? 'flux'})`,
      values,
      errors,
      observed,
      flags: new Uint16Array(rows),
      counts: {},
      observedCount,
    };
  });
}
