// Model inputs (docs/architecture.md, "Model inputs"): for a list of canonical variables (from a
// model card), per star a value, an uncertainty and an observed mask, as typed arrays in the
// canonical units, with the quality rules of quality.ts applied. `gaia.xp` is a spectrum: its
// inputs are the externally calibrated sampled spectra (xp.ts), star × sample, computed from the
// continuous coefficients or read as sampled. Labels (extinctions,
// ages, literature Teff) are refused: they are for comparison, never inputs.
import type { Table } from 'apache-arrow';
import { FLAG, assessQuantity } from './quality.ts';
import type { AssessedQuantity, QualityOptions } from './quality.ts';
import { recognise } from './recognise.ts';
import type { Recognition } from './recognise.ts';
import { sampledXpSpectra, xpSpectra } from './xp.ts';
import type { XpSpectra } from './xp.ts';

export interface ModelInputs {
  rows: number;
  variables: AssessedQuantity[];
  /** Spectrum-valued variables (gaia.xp), in the order asked for. */
  spectra: ({ name: string } & XpSpectra)[];
}

/** Gaia XP as sampled spectra: calibrated from the continuous coefficients (`bp_coefficients`, …), or
 * read from a sampled column (recognised or mapped as `gaia.xp`; its σ mapped as `gaia.xp.err`, else
 * the column of the same name with `_error`, `_err` or `.err`). */
function xpInputs(table: Table, recognition: Recognition, file: string): XpSpectra {
  const column = recognition.get('gaia.xp')?.column;
  if (column === undefined)
    throw new Error(
      `${file}: 'gaia.xp' asked for, but the table has neither XP continuous coefficients (bp_coefficients) ` +
        'nor sampled spectra (gaia.xp or flux, 343 samples per star); map gaia.xp to the column that holds them',
    );
  if (column === 'bp_coefficients') return xpSpectra(table, file);
  const names = new Set(table.schema.fields.map((f) => f.name));
  const error =
    recognition.get('gaia.xp.err')?.column ??
    [`${column}_error`, `${column}_err`, `${column}.err`].find((n) => names.has(n)) ??
    null;
  return sampledXpSpectra(table, file, column, error);
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
      spectra.push({ name, ...xpInputs(table, recognition, options.file ?? 'table') });
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
