// The model's inputs from a catalog table: the card's observables through the catalog's survey
// recognition and quality rules (electron/catalog model-inputs), a user mapping for names the
// catalog does not know (a toy model's `x_0`, a column spelled unusually), then the card's transforms
// to the network's space, one block of rows at a time. Parameters are inferred, except those the user
// gives (`--given mh=0.03`, or a column or expression per star): the Simformer conditions on any subset
// of its variables, so a known [M/H] or distance enters as an observed token and the rest is inferred.
import type { Table, Vector } from 'apache-arrow';
import { vectorFromArray } from 'apache-arrow';
import { buildModelInputs } from '../catalog/model-inputs.ts';
import { resolveQuantity } from '../catalog/quality.ts';
import type { AssessedQuantity } from '../catalog/quality.ts';
import { recognise, textWhereNumbers } from '../catalog/recognise.ts';
import { quantityDef } from '../catalog/surveys.ts';
import type { QuantitySource, Recognition } from '../catalog/recognise.ts';
import { modelInputs } from './card.ts';
import type { CardVariable, ModelCard, SpectrumModality } from './card.ts';
import { binnedSpectrum } from './spectra.ts';
import type { StarBlock } from './tokens.ts';
import { errorToNetwork, toNetwork } from './transforms.ts';

export interface PreparedInputs {
  rows: number;
  /** Per card variable (card order): the assessed quantity, or null for parameters that are inferred. */
  quantities: (AssessedQuantity | null)[];
  /** Per model input (modelInputGroups): where it came from (column or expression), or null when absent. */
  sources: Record<string, string | null>;
  /** Per given parameter: how many stars have a value inside the model's training range (the rest are
   * inferred as usual). */
  given: Record<string, number>;
  /** The input's Gaia-style source id column (its own name in the file), when recognised. */
  sourceIdColumn: string | null;
}

function hasColumn(table: Table, name: string): boolean {
  return table.schema.fields.some((f) => f.name === name);
}

/** Stars with a usable value of any of the card variables `variables` (one model input's). */
export function starsObserving(inputs: PreparedInputs, variables: number[]): number {
  const quantities = variables.flatMap((j) => {
    const q = inputs.quantities[j];
    return q === null || q === undefined ? [] : [q];
  });
  if (quantities.length === 1) return quantities[0]!.observedCount;
  let count = 0;
  for (let r = 0; r < inputs.rows; r += 1) if (quantities.some((q) => q.observed[r] === 1)) count += 1;
  return count;
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

/**
 * A parameter the user gives, as a quantity the model observes: `expression` (a number, a column name or
 * an expression of columns, in the card's unit) per star; stars without a value, or with one outside
 * the training range (the card's `range`), keep the parameter latent.
 */
function givenParameter(
  table: Table,
  recognition: Recognition,
  v: CardVariable,
  expression: string,
): AssessedQuantity {
  const column = resolveQuantity(table, recognition, {
    name: v.name,
    role: 'label',
    kind: 'numeric',
    unit: v.unit,
    expression,
    confidence: 1,
    via: 'override',
  });
  const rows = table.numRows;
  const [lo, hi] = v.range ?? [-Infinity, Infinity];
  const observed = new Uint8Array(rows);
  let observedCount = 0;
  for (let r = 0; r < rows; r += 1) {
    const x = column.values[r]!;
    if (column.valid[r] && Number.isFinite(x) && x >= lo && x <= hi) {
      observed[r] = 1;
      observedCount += 1;
    }
  }
  return {
    name: v.name,
    unit: v.unit,
    values: column.values,
    errors: new Float64Array(rows),
    observed,
    flags: new Uint16Array(rows),
    counts: {},
    observedCount,
  };
}

/** How a table's columns become the model's inputs, decided once per run (inputPlan) and applied to
 * each chunk of rows (assessInputs). */
export interface InputPlan {
  card: ModelCard;
  file: string;
  recognition: Recognition;
  /** The card's observables read from columns one by one (not a spectrum encoder's bins). */
  observables: string[];
  /** An adapted model's spectrum encoders, whose card variables are bins of one spectrum column. */
  spectra: SpectrumModality[];
  /** Per model input (modelInputGroups): where it came from (column or expression), or null when absent. */
  sources: Record<string, string | null>;
  given: Record<string, string>;
  /** The input's Gaia-style source id column (its own name in the file), when recognised. */
  sourceIdColumn: string | null;
}

/**
 * The plan for a table whose columns and first rows are `probe`: survey recognition, the user's mapping
 * and given parameters, checked (unknown names, no model input found, an expression that does not
 * evaluate) before any star is run.
 */
export function inputPlan(
  probe: Table,
  card: ModelCard,
  file: string,
  mapping: Record<string, QuantitySource> = {},
  given: Record<string, string> = {},
): InputPlan {
  const parameters = card.variables.filter((v) => v.role === 'parameter');
  if (card.encoders !== undefined && Object.keys(given).length > 0)
    throw new Error(
      `--given: ${card.name} reads stars through its modality encoders and was not trained with known ` +
        'parameters as context; it infers every parameter',
    );
  for (const name of Object.keys(given)) {
    if (!parameters.some((v) => v.name === name))
      throw new Error(
        `--given ${name}: not a parameter of ${card.name} (its parameters: ${parameters.map((v) => v.name).join(', ')})`,
      );
  }
  if (parameters.length > 0 && parameters.every((v) => given[v.name] !== undefined))
    throw new Error(`--given names every parameter of ${card.name}: there would be nothing to infer`);
  const { scalars: observables, spectra } = modelInputs(card);
  for (const name of Object.keys(mapping)) {
    // A card's own inputs may be mapped with their uncertainties (`x_0.err`).
    if (quantityDef(name) === undefined && !observables.includes(name.replace(/\.err$/, '')))
      throw new Error(
        `mapping: '${name}' is neither a quantity Cradle knows (e.g. gaia.g, tmass.j) nor an input of ${card.name}`,
      );
  }
  const recognition = recognise(probe, mapping);
  extendRecognition(
    probe,
    recognition,
    [...observables, ...spectra.map((m) => m.spectrum.quantity)],
    mapping,
  );
  const unread = textWhereNumbers(
    probe,
    observables.filter((name) => recognition.get(name) === undefined),
  );
  if (unread.length > 0) {
    const { name, column, row, cell } = unread[0]!;
    throw new Error(
      `${file}: column ${column} holds text, so the model's ${name} would not be read from it` +
        (row === null ? '' : ` (data row ${row + 1}: '${cell}')`) +
        '; make every cell of it a number or blank',
    );
  }
  const sources: Record<string, string | null> = {};
  for (const name of observables) {
    const r = recognition.get(name);
    sources[name] = r === undefined ? null : (r.column ?? r.expression ?? null);
  }
  for (const m of spectra)
    sources[m.spectrum.quantity] = recognition.get(m.spectrum.quantity)?.column ?? null;
  if (Object.values(sources).every((source) => source === null)) {
    const wanted = [...observables, ...spectra.map((m) => `${m.spectrum.quantity} (spectra)`)];
    throw new Error(
      `${file}: none of the model's inputs (${wanted.join(', ')}) was found among the columns ` +
        `(${probe.schema.fields.map((f) => f.name).join(', ')}); give a --mapping`,
    );
  }
  const plan: InputPlan = {
    card,
    file,
    recognition,
    observables,
    spectra,
    sources,
    given,
    sourceIdColumn: recognition.get('source_id')?.column ?? null,
  };
  givenQuantities(plan, probe);
  return plan;
}

/** The given parameters' quantities for a table's rows, by card variable index. */
function givenQuantities(plan: InputPlan, table: Table): Map<number, AssessedQuantity> {
  const out = new Map<number, AssessedQuantity>();
  plan.card.variables.forEach((v, j) => {
    const expression = v.role === 'parameter' ? plan.given[v.name] : undefined;
    if (expression === undefined) return;
    try {
      out.set(j, givenParameter(table, plan.recognition, v, expression));
    } catch (error) {
      throw new Error(`${plan.file}: --given ${v.name}=${expression}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
  return out;
}

function countsOf(plan: InputPlan, given: Map<number, AssessedQuantity>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [j, q] of given) counts[plan.card.variables[j]!.name] = q.observedCount;
  return counts;
}

/** Per given parameter, the stars of `table` with a value inside the training range. */
export function givenCounts(plan: InputPlan, table: Table): Record<string, number> {
  return countsOf(plan, givenQuantities(plan, table));
}

/** The error for a given parameter no star has a usable value of. */
export function noGivenValue(plan: InputPlan, name: string): Error {
  const v = plan.card.variables.find((x) => x.name === name)!;
  const [lo, hi] = v.range ?? [-Infinity, Infinity];
  return new Error(
    `${plan.file}: --given ${name}=${plan.given[name]}: no star has a value inside the model's training range [${lo}, ${hi}] ${v.unit}`,
  );
}

/** The plan applied to a table of rows (the whole input, or one chunk of it). */
export function assessInputs(plan: InputPlan, table: Table): PreparedInputs {
  const present = plan.spectra.filter((m) => plan.sources[m.spectrum.quantity] !== null);
  const assessed = buildModelInputs(
    table,
    [...plan.observables, ...new Set(present.map((m) => m.spectrum.quantity))],
    { recognition: plan.recognition, file: plan.file },
  );
  const byName = new Map(assessed.variables.map((q) => [q.name, q]));
  for (const m of present) {
    const spectra = assessed.spectra.find((x) => x.name === m.spectrum.quantity)!;
    for (const q of binnedSpectrum(spectra, m, plan.file)) byName.set(q.name, q);
  }
  const given = givenQuantities(plan, table);
  return {
    rows: table.numRows,
    quantities: plan.card.variables.map((v, j) =>
      v.role === 'observable' ? (byName.get(v.name) ?? null) : (given.get(j) ?? null),
    ),
    sources: plan.sources,
    given: countsOf(plan, given),
    sourceIdColumn: plan.sourceIdColumn,
  };
}

/** A whole table's model inputs (its own rows recognised); a given parameter no star has fails. */
export function prepareInputs(
  table: Table,
  card: ModelCard,
  file: string,
  mapping: Record<string, QuantitySource> = {},
  given: Record<string, string> = {},
): PreparedInputs {
  const plan = inputPlan(table, card, file, mapping, given);
  const inputs = assessInputs(plan, table);
  for (const [name, count] of Object.entries(inputs.given)) if (count === 0) throw noGivenValue(plan, name);
  return inputs;
}

/** Rows [start, end) in the network's space. A value the transform cannot take is not observed; one
 * without an uncertainty gets the card's `typical_error` where it has one. `inputRow`: the input row of
 * table row `start` (the block's noise is addressed by it), which differs when the table holds a part. */
export function blockOf(
  inputs: PreparedInputs,
  card: ModelCard,
  start: number,
  end: number,
  inputRow = start,
): StarBlock {
  const rows = end - start;
  const width = card.variables.length;
  const values = new Float32Array(rows * width);
  const errors = new Float32Array(rows * width);
  const observed = new Uint8Array(rows * width);
  const anyGiven = card.variables.some((v, j) => v.role === 'parameter' && inputs.quantities[j] != null);
  const given = anyGiven ? new Float64Array(rows * width).fill(Number.NaN) : undefined;
  card.variables.forEach((v, j) => {
    const q = inputs.quantities[j];
    if (q === null || q === undefined) return;
    for (let r = 0; r < rows; r += 1) {
      if (!q.observed[start + r]) continue;
      const x = q.values[start + r]!;
      const z = toNetwork(v, x);
      if (!Number.isFinite(z)) continue;
      if (given !== undefined && v.role === 'parameter') given[r * width + j] = x;
      values[r * width + j] = z;
      const err = q.errors[start + r]!;
      errors[r * width + j] = errorToNetwork(
        v,
        x,
        err > 0 || v.typical_error === undefined ? err : v.typical_error,
      );
      observed[r * width + j] = 1;
    }
  });
  return {
    start: inputRow,
    rows,
    width,
    values,
    errors,
    observed,
    ...(given === undefined ? {} : { given }),
  };
}

/** Rows [start, end) of a column as a single-chunk vector (Arrow slices may span record batches). */
export function sliceColumn(table: Table, name: string, start: number, end: number): Vector {
  const column = table.getChild(name);
  if (column === null) throw new Error(`no column '${name}'`);
  const slice = column.slice(start, end);
  return slice.data.length === 1 ? slice : vectorFromArray([...slice], slice.type);
}
