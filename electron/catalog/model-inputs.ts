// Model inputs (docs/architecture.md, "Model inputs"): for a list of canonical variables (from a
// model card), per star a value, an uncertainty and an observed mask, as typed arrays in the
// canonical units, with the quality rules of quality.ts applied. `gaia.xp` is a spectrum: its
// inputs are the externally calibrated sampled spectra (xp.ts), star × sample. Labels (extinctions,
// ages, literature Teff) are refused: they are for comparison, never inputs.
import type { Table } from 'apache-arrow';
import { FLAG, assessQuantity } from './quality.ts';
import type { AssessedQuantity, QualityOptions } from './quality.ts';
import { recognise } from './recognise.ts';
import type { Recognition } from './recognise.ts';
import { xpSpectra } from './xp.ts';
import type { XpSpectra } from './xp.ts';

export interface ModelInputs {
  rows: number;
  variables: AssessedQuantity[];
  /** Spectrum-valued variables (gaia.xp), in the order asked for. */
  spectra: ({ name: string } & XpSpectra)[];
}

export function buildModelInputs(
  table: Table,
  variables: string[],
  options: QualityOptions & { recognition?: Recognition; file?: string } = {},
): ModelInputs {
  const recognition = options.recognition ?? recognise(table);
  const out: AssessedQuantity[] = [];
  const spectra: ModelInputs['spectra'] = [];
  for (const name of variables) {
    const source = recognition.get(name);
    if (name === 'gaia.xp') {
      if (source === undefined)
        throw new Error(`'gaia.xp' asked for, but the table has no bp_coefficients column`);
      spectra.push({ name, ...xpSpectra(table, options.file ?? 'table') });
      continue;
    }
    if (source?.role === 'label')
      throw new Error(`'${name}' is a label (literature or pipeline value), never a model input`);
    if (source !== undefined && source.kind !== 'numeric')
      throw new Error(`'${name}' is not a numeric quantity`);
    if (source === undefined) {
      // The table holds nothing for this variable: every star has it unobserved.
      const rows = table.numRows;
      out.push({
        name,
        unit: '',
        values: new Float64Array(rows).fill(Number.NaN),
        errors: new Float64Array(rows).fill(Number.NaN),
        observed: new Uint8Array(rows),
        flags: new Uint16Array(rows).fill(FLAG.missing),
        counts: { missing: rows },
        observedCount: 0,
      });
    } else out.push(assessQuantity(table, recognition, name, options));
  }
  return { rows: table.numRows, variables: out, spectra };
}
