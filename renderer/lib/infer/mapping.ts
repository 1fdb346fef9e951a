// The Infer view's mapping table: for each model input, where the catalogue's recognition (or the
// user's saved mapping) found it and how many stars have it (as inference counts them when the
// engine was asked with the model, else as the catalogue's recognition does); and the user's edits turned into the
// saved mapping (a bare column name is a column, anything else an expression; an emptied field drops
// that quantity's saved entry).
import type { CatalogInspection, ModelInfo } from '../../../electron/api/infer.ts';
import type { SimulateResult } from '../../../electron/api/jobs.ts';

export interface ObservableRow {
  name: string;
  survey: string;
  /** The column or expression it comes from; null when not found. */
  source: string | null;
  observed: number | null;
  via: string | null;
  confidence: number | null;
}

/** One row per model input (the engine's grouping: a spectrum once for all its bins). */
export function observableRows(model: ModelInfo, inspection: CatalogInspection): ObservableRow[] {
  return model.inputs.map((v) => {
    const found = inspection.quantities.find((q) => q.name === v.name);
    const saved = inspection.mapping[v.name];
    const input = inspection.modelInputs?.find((m) => m.name === v.name);
    return {
      name: v.name,
      survey: v.survey ?? '',
      source:
        input?.source ?? found?.column ?? found?.expression ?? saved?.column ?? saved?.expression ?? null,
      observed: input?.observed ?? found?.observed ?? null,
      via: found?.via ?? (saved === undefined ? null : 'saved mapping'),
      confidence: found?.confidence ?? null,
    };
  });
}

type Source = { column: string } | { expression: string };

export function mappingEdits(
  inspection: CatalogInspection,
  edits: Record<string, string>,
): Record<string, Source> {
  const out: Record<string, Source> = {};
  for (const [name, saved] of Object.entries(inspection.mapping)) {
    if (saved.column !== undefined) out[name] = { column: saved.column };
    else if (saved.expression !== undefined) out[name] = { expression: saved.expression };
  }
  for (const [name, text] of Object.entries(edits)) {
    const value = text.trim();
    if (value === '') delete out[name];
    else if (inspection.columns.includes(value)) out[name] = { column: value };
    else out[name] = { expression: value };
  }
  return out;
}

/** The catalogue a simulate job wrote (its files are named relative to its output folder). */
export function simulatedCatalog(result: Pick<SimulateResult, 'out' | 'files'>): string | null {
  const name = result.files.find((f) => /(^|[\\/])catalog\.(parquet|fits)$/.test(f));
  if (name === undefined) return null;
  if (/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(name)) return name;
  const separator = result.out.includes('\\') && !result.out.includes('/') ? '\\' : '/';
  return `${result.out.replace(/[\\/]+$/, '')}${separator}${name}`;
}
