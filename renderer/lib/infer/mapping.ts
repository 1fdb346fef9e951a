// The Infer view's mapping table: for each model input, where the catalogue's recognition (or the
// user's saved mapping) found it and how many stars have it; and the user's edits turned into the
// saved mapping (a bare column name is a column, anything else an expression; an emptied field drops
// that quantity's saved entry).
import type { CatalogInspection, ModelInfo } from '../../../electron/api/infer.ts';

export interface ObservableRow {
  name: string;
  survey: string;
  /** The column or expression it comes from; null when not found. */
  source: string | null;
  observed: number | null;
  via: string | null;
  confidence: number | null;
}

export function observableRows(model: ModelInfo, inspection: CatalogInspection): ObservableRow[] {
  return model.variables
    .filter((v) => v.role === 'observable')
    .map((v) => {
      const found = inspection.quantities.find((q) => q.name === v.name);
      const saved = inspection.mapping[v.name];
      return {
        name: v.name,
        survey: v.survey ?? '',
        source: found?.column ?? found?.expression ?? saved?.column ?? saved?.expression ?? null,
        observed: found?.observed ?? null,
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
