// The summary `cradle catalog inspect` prints: format, rows, columns with units/UCDs, and for each
// recognised quantity where it comes from, its unit, the confidence and how many stars have a usable
// (observed) value after the quality rules.
import { assessQuantity } from './quality.ts';
import type { FlagName, QualityOptions } from './quality.ts';
import { recognise } from './recognise.ts';
import type { QuantitySource, Recognition } from './recognise.ts';
import { columnInfo } from './table.ts';
import type { CatalogTable } from './table.ts';

export interface QuantitySummary {
  column?: string;
  expression?: string;
  unit: string;
  role: string;
  confidence: number;
  via: string;
  observed: number;
  note?: string;
  flagged?: Partial<Record<FlagName, number>>;
}

export interface CatalogSummary {
  file: string;
  format: string;
  rows: number;
  columns: { name: string; type: string; unit?: string; ucd?: string; nulls: number }[];
  quantities: Record<string, QuantitySummary>;
}

export function summarise(
  catalog: CatalogTable,
  overrides: Record<string, QuantitySource> = {},
  options: QualityOptions = {},
): { summary: CatalogSummary; recognition: Recognition } {
  const { table } = catalog;
  const recognition = recognise(table, overrides);
  const quantities: Record<string, QuantitySummary> = {};
  for (const [name, q] of recognition) {
    let observed: number;
    let flagged: Partial<Record<FlagName, number>> | undefined;
    if (q.kind === 'numeric') {
      let assessed: ReturnType<typeof assessQuantity>;
      try {
        assessed = assessQuantity(table, recognition, name, options);
      } catch (error) {
        // A cell that cannot be read (a sexagesimal angle that does not parse) is named by column and row.
        throw new Error(`${catalog.file}: ${(error as Error).message}`, { cause: error });
      }
      observed = assessed.observedCount;
      const rest = Object.entries(assessed.counts).filter(([flag]) => flag !== 'missing');
      if (rest.length > 0) flagged = Object.fromEntries(rest);
    } else {
      const vector = table.getChild(q.column ?? '');
      observed = vector === null ? 0 : vector.length - vector.nullCount;
    }
    const entry: QuantitySummary = {
      unit: q.unit,
      role: q.role,
      confidence: Math.round(q.confidence * 1000) / 1000,
      via: q.via,
      observed,
    };
    if (q.column !== undefined) entry.column = q.column;
    if (q.expression !== undefined) entry.expression = q.expression;
    if (q.note !== undefined) entry.note = q.note;
    if (flagged !== undefined) entry.flagged = flagged;
    quantities[name] = entry;
  }
  const columns = table.schema.fields.map((field, c) => {
    const info = columnInfo(field);
    const column: CatalogSummary['columns'][number] = {
      name: field.name,
      type: String(field.type).toLowerCase(),
      nulls: table.getChildAt(c)!.nullCount,
    };
    if (info.unit) column.unit = info.unit;
    if (info.ucd) column.ucd = info.ucd;
    return column;
  });
  return {
    summary: { file: catalog.file, format: catalog.format, rows: table.numRows, columns, quantities },
    recognition,
  };
}
