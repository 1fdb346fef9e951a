// The model's inputs from a catalog table: the card's observables through the catalog's survey
// recognition and quality rules (electron/catalog model-inputs), a user mapping for names the
// catalog does not know (a toy model's `x_0`, a column spelled unusually), then the card's transforms
// to the network's space, one block of rows at a time. Parameters are never inputs: they are inferred.
import type { Table, Vector } from 'apache-arrow';
import { vectorFromArray } from 'apache-arrow';
import { buildModelInputs } from '../catalog/model-inputs.ts';
import type { AssessedQuantity } from '../catalog/quality.ts';
import { recognise } from '../catalog/recognise.ts';
import type { QuantitySource, Recognition } from '../catalog/recognise.ts';
import type { ModelCard } from './card.ts';
import type { StarBlock } from './tokens.ts';
import { errorToNetwork, toNetwork } from './transforms.ts';

export interface PreparedInputs {
  rows: number;
  /** Per card variable (card order): the assessed quantity, or null for parameters. */
  quantities: (AssessedQuantity | null)[];
  /** Per observable name: where it came from (column or expression), or null when absent. */
  sources: Record<string, string | null>;
  /** The input's Gaia-style source id column (its own name in the file), when recognised. */
  sourceIdColumn: string | null;
}

function hasColumn(table: Table, name: string): boolean {
  return table.schema.fields.some((f) => f.name === name);
}

/** Recognition for card names the catalog's survey tables do not define: mapping, then exact columns. */
function extendRecognition(
  table: Table,
  recognition: Recognition,
  names: string[],
  mapping: Record<string, QuantitySource>,
): void {
  const add = (name: string, source: QuantitySource): void => {
    if (source.column !== undefined && !hasColumn(table, source.column))
      throw new Error(`mapping: ${name} → column '${source.column}', which the table does not have`);
    recognition.set(name, {
      name,
      role: 'photometry',
      kind: 'numeric',
      unit: '',
      ...source,
      confidence: 1,
      via: 'override',
    });
  };
  for (const name of names) {
    for (const target of [name, `${name}.err`]) {
      if (recognition.has(target)) continue;
      const mapped = mapping[target];
      if (mapped !== undefined) {
        add(target, mapped);
        continue;
      }
      const spellings =
        target === name ? [name] : [`${name}.err`, `${name}_err`, `e_${name}`, `${name}_error`];
      const column = spellings.find((s) => hasColumn(table, s));
      if (column !== undefined) add(target, { column });
    }
  }
}

export function prepareInputs(
  table: Table,
  card: ModelCard,
  file: string,
  mapping: Record<string, QuantitySource> = {},
): PreparedInputs {
  const observables = card.variables.filter((v) => v.role === 'observable').map((v) => v.name);
  const recognition = recognise(table, mapping);
  extendRecognition(table, recognition, observables, mapping);
  const found = observables.filter((n) => recognition.has(n));
  if (found.length === 0) {
    throw new Error(
      `${file}: none of the model's inputs (${observables.join(', ')}) was found among the columns ` +
        `(${table.schema.fields.map((f) => f.name).join(', ')}); give a --mapping`,
    );
  }
  const assessed = buildModelInputs(table, observables, { recognition });
  const byName = new Map(assessed.variables.map((q) => [q.name, q]));
  const sources: Record<string, string | null> = {};
  for (const name of observables) {
    const r = recognition.get(name);
    sources[name] = r === undefined ? null : (r.column ?? r.expression ?? null);
  }
  return {
    rows: table.numRows,
    quantities: card.variables.map((v) => (v.role === 'observable' ? (byName.get(v.name) ?? null) : null)),
    sources,
    sourceIdColumn: recognition.get('source_id')?.column ?? null,
  };
}

/** Rows [start, end) in the network's space. A value the transform cannot take is not observed. */
export function blockOf(inputs: PreparedInputs, card: ModelCard, start: number, end: number): StarBlock {
  const rows = end - start;
  const width = card.variables.length;
  const values = new Float32Array(rows * width);
  const errors = new Float32Array(rows * width);
  const observed = new Uint8Array(rows * width);
  card.variables.forEach((v, j) => {
    const q = inputs.quantities[j];
    if (q === null || q === undefined) return;
    for (let r = 0; r < rows; r += 1) {
      if (!q.observed[start + r]) continue;
      const x = q.values[start + r]!;
      const z = toNetwork(v, x);
      if (!Number.isFinite(z)) continue;
      values[r * width + j] = z;
      errors[r * width + j] = errorToNetwork(v, x, q.errors[start + r]!);
      observed[r * width + j] = 1;
    }
  });
  return { start, rows, width, values, errors, observed };
}

/** Rows [start, end) of a column as a single-chunk vector (Arrow slices may span record batches). */
export function sliceColumn(table: Table, name: string, start: number, end: number): Vector {
  const column = table.getChild(name);
  if (column === null) throw new Error(`no column '${name}'`);
  const slice = column.slice(start, end);
  return slice.data.length === 1 ? slice : vectorFromArray([...slice], slice.type);
}
