// Survey recognition: which column (or derivation) holds each canonical quantity, with a confidence.
// Candidates come from the spellings in surveys.ts (by name, checked against the column's unit and
// type), from derivations whose inputs are all present, and from UCDs; the most confident wins.
// Units that differ only by scale (arcsec vs mas, deg vs rad) become an expression with the factor.
// Right ascension and declination may also be sexagesimal text under the same names, or the CDS split
// into RAh/RAm/RAs and DE-/DEd/DEm/DEs; they are then read as angles (see `angle`).
// A user's saved mapping (mapping-store.ts) overrides any of this.
import { DataType } from 'apache-arrow';
import type { Field, Table } from 'apache-arrow';
import { arrayCell } from './columns.ts';
import { namesIn, parseAssignment } from './expression.ts';
import { isNumericType } from './numeric.ts';
import type { AngleSource } from './numeric.ts';
import { QUANTITIES } from './surveys.ts';
import type { QuantityDef, QuantityRole } from './surveys.ts';
import { META_UCD, META_UNIT } from './table.ts';
import { isSexagesimal, normaliseUnit, unitFactor } from './units.ts';

export interface QuantitySource {
  column?: string;
  expression?: string;
}

export interface Recognised extends QuantitySource {
  name: string;
  role: QuantityRole;
  kind: QuantityDef['kind'];
  unit: string;
  confidence: number;
  /** name | derived | ucd | override */
  via: 'name' | 'derived' | 'ucd' | 'override';
  note?: string;
  /** Set where the value is a sexagesimal angle: read it with `angleValues`, not as a number. */
  angle?: AngleSource;
}

export type Recognition = Map<string, Recognised>;

function fieldByName(table: Table): Map<string, Field> {
  return new Map(table.schema.fields.map((f) => [f.name, f]));
}

/** A name rule's field: by its exact name, or in any case where the rule allows (the first such field). */
function fieldFinder(fields: Map<string, Field>): (name: string, anyCase?: boolean) => Field | undefined {
  const lowerIndex = new Map<string, Field>();
  for (const f of fields.values())
    if (!lowerIndex.has(f.name.toLowerCase())) lowerIndex.set(f.name.toLowerCase(), f);
  return (name, anyCase) => fields.get(name) ?? (anyCase ? lowerIndex.get(name.toLowerCase()) : undefined);
}

function unitOk(field: Field, accepted: string[] | undefined): boolean {
  const unit = normaliseUnit(field.metadata.get(META_UNIT));
  if (unit === '' || accepted === undefined) return true;
  return accepted.map((a) => normaliseUnit(a)).includes(unit);
}

function typeOk(field: Field, def: QuantityDef): boolean {
  if (def.kind === 'numeric') return isNumericType(field.type as DataType);
  if (def.kind === 'text') return DataType.isUtf8(field.type) || DataType.isLargeUtf8(field.type);
  return true;
}

function flagLengthOk(table: Table, field: Field, def: QuantityDef): boolean {
  if (def.flagLength === undefined) return true;
  const vector = table.getChild(field.name);
  if (vector === null) return false;
  for (let i = 0; i < vector.length; i += 1) {
    const v: unknown = vector.get(i);
    if (typeof v === 'string' && v.trim() !== '') return v.trim().length === def.flagLength;
  }
  return false;
}

function arrayLengthOk(table: Table, field: Field, length: number | undefined): boolean {
  if (length === undefined) return true;
  const type = field.type as DataType;
  if (DataType.isFixedSizeList(type)) return type.listSize === length;
  const textual = DataType.isUtf8(type) || DataType.isLargeUtf8(type);
  if (!DataType.isList(type) && !textual) return false;
  const vector = table.getChild(field.name)!;
  for (let r = 0; r < vector.length; r += 1) {
    const value: unknown = vector.get(r);
    if (value === null || value === undefined) continue;
    if (textual && !/^\s*[[(]/.test(value as string)) return false;
    try {
      return arrayCell(vector, r)?.length === length;
    } catch {
      return false;
    }
  }
  return false;
}

function quoted(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `\`${name}\``;
}

function candidates(table: Table, fields: Map<string, Field>, def: QuantityDef): Recognised[] {
  const found: Recognised[] = [];
  const base = { name: def.name, role: def.role, kind: def.kind, unit: def.unit };
  const fieldFor = fieldFinder(fields);
  for (const rule of def.columns) {
    rule.names.forEach((name, k) => {
      const field = fieldFor(name, rule.anyCase);
      if (
        field === undefined ||
        !typeOk(field, def) ||
        !flagLengthOk(table, field, def) ||
        !arrayLengthOk(table, field, rule.arrayLength)
      )
        return;
      const confidence = rule.confidence - 0.005 * k;
      if (unitOk(field, rule.units)) {
        found.push({ ...base, column: field.name, confidence, via: 'name' });
        return;
      }
      const unit = field.metadata.get(META_UNIT) ?? '';
      const factor = def.unit === '' ? null : unitFactor(unit, def.unit);
      if (factor !== null) {
        found.push({
          ...base,
          expression: `${quoted(field.name)} * ${factor}`,
          confidence: confidence - 0.05,
          via: 'name',
          note: `converted from ${unit}`,
        });
      }
    });
  }
  for (const rule of def.derived ?? []) {
    const names = namesIn(parseAssignment(rule.expression).expression);
    const ok = [...names].every((n) => {
      const field = fields.get(n);
      return (
        field !== undefined &&
        isNumericType(field.type as DataType) &&
        (rule.units?.[n] === undefined ||
          (normaliseUnit(field.metadata.get(META_UNIT)) !== '' && unitOk(field, rule.units[n])))
      );
    });
    if (ok)
      found.push({
        ...base,
        expression: rule.expression,
        confidence: rule.confidence,
        via: 'derived',
        note: rule.note,
      });
  }
  found.push(...angleCandidates(table, fields, def));
  if (def.ucd !== undefined) {
    for (const field of fields.values()) {
      const ucd = field.metadata.get(META_UCD);
      if (ucd !== undefined && def.ucd.test(ucd) && typeOk(field, def)) {
        found.push({ ...base, column: field.name, confidence: 0.6, via: 'ucd', note: `UCD ${ucd}` });
      }
    }
  }
  return found;
}

function isText(field: Field): boolean {
  return DataType.isUtf8(field.type) || DataType.isLargeUtf8(field.type);
}

/** Units a sexagesimal column may declare (VizieR "h:m:s", "d:m:s"), as hours or degrees. */
const SEXAGESIMAL_UNITS: Record<string, 'hours' | 'degrees'> = {
  'h:m:s': 'hours',
  '"h:m:s"': 'hours',
  hms: 'hours',
  h: 'hours',
  hour: 'hours',
  hourangle: 'hours',
  'd:m:s': 'degrees',
  '"d:m:s"': 'degrees',
  dms: 'degrees',
  deg: 'degrees',
};

/**
 * How a text column holding right ascension or declination reads as an angle: hours for right
 * ascension (as TOPCAT and CDS write it) unless its unit says degrees; null when its unit is neither.
 */
function textAngle(field: Field, quantity: string): AngleSource | null {
  const unit = normaliseUnit(field.metadata.get(META_UNIT));
  const declared = unit === '' ? undefined : SEXAGESIMAL_UNITS[unit];
  if (unit !== '' && declared === undefined) return null;
  if (quantity === 'dec' && declared === 'hours') return null;
  return { text: field.name, hours: quantity === 'ra' && declared !== 'degrees' };
}

/**
 * A text column at least half of whose first cells (up to 100 of them, blanks aside) are sexagesimal
 * angles. Not all of them: a stray bad cell is then reported by its row when the angles are read,
 * rather than leaving the table without a position.
 */
function looksSexagesimal(table: Table, field: Field): boolean {
  const vector = table.getChild(field.name);
  if (vector === null) return false;
  let seen = 0;
  let angles = 0;
  for (let i = 0; i < vector.length && seen < 100; i += 1) {
    const v: unknown = vector.get(i);
    if (typeof v !== 'string' || v.trim() === '') continue;
    seen += 1;
    if (isSexagesimal(v)) angles += 1;
  }
  return angles > 0 && 2 * angles >= seen;
}

/** The CDS byte-by-byte split of a position into fields (VizieR and AAS tables). */
const CDS_SPLIT: Record<string, { parts: string[]; sign?: string; hours: boolean }> = {
  ra: { parts: ['RAh', 'RAm', 'RAs'], hours: true },
  dec: { parts: ['DEd', 'DEm', 'DEs'], sign: 'DE-', hours: false },
};

/**
 * Sexagesimal candidates for right ascension and declination: text columns under the quantity's names,
 * a little less confident than a numeric column (which needs no parsing and is preferred where a
 * table has both), and the CDS split (hours or degrees and minutes, seconds optional).
 */
function angleCandidates(table: Table, fields: Map<string, Field>, def: QuantityDef): Recognised[] {
  const split = CDS_SPLIT[def.name];
  if (split === undefined) return [];
  const found: Recognised[] = [];
  const base = { name: def.name, role: def.role, kind: def.kind, unit: def.unit, via: 'name' as const };
  const fieldFor = fieldFinder(fields);
  for (const rule of def.columns) {
    rule.names.forEach((name, k) => {
      const field = fieldFor(name, rule.anyCase);
      if (field === undefined || !isText(field) || !looksSexagesimal(table, field)) return;
      const angle = textAngle(field, def.name);
      if (angle === null) return;
      found.push({
        ...base,
        column: field.name,
        confidence: rule.confidence - 0.005 * k - 0.05,
        note: `sexagesimal ${angle.hours ? 'hours' : 'degrees'}`,
        angle,
      });
    });
  }
  const numeric = (name: string): boolean => {
    const field = fields.get(name);
    return field !== undefined && isNumericType(field.type as DataType);
  };
  const [whole, minutes, seconds] = split.parts as [string, string, string];
  const sign = split.sign === undefined ? undefined : fields.get(split.sign);
  if (
    numeric(whole) &&
    numeric(minutes) &&
    (split.sign === undefined || (sign !== undefined && isText(sign)))
  ) {
    const parts: [string, string, ...string[]] = numeric(seconds)
      ? [whole, minutes, seconds]
      : [whole, minutes];
    const sum = parts.map((p, k) => (k === 0 ? p : `${p} / ${60 ** k}`)).join(' + ');
    found.push({
      ...base,
      // For display: the sign column is text, which expressions cannot read.
      expression: split.hours ? `15 * (${sum})` : `sign(${quoted(split.sign!)}) * (${sum})`,
      confidence: 0.8,
      note: `sexagesimal ${split.hours ? 'hours' : 'degrees'} (CDS ${[split.sign, ...parts].filter((p) => p !== undefined).join(', ')})`,
      angle: { parts, ...(split.sign === undefined ? {} : { sign: split.sign }), hours: split.hours },
    });
  }
  return found;
}

/**
 * An error column named after a value column (e_X, X_error, X_err, eX) belongs to that column: it is
 * accepted for a quantity only when X is the column chosen for the value (or X is not in the table).
 */
function errorPairs(
  errorColumn: string,
  valueColumn: string | undefined,
  fields: Map<string, Field>,
): boolean {
  const bases = [/^e_(.+)$/, /^(.+)_error$/, /^(.+)_err$/, /^e(.+)$/]
    .map((pattern) => pattern.exec(errorColumn)?.[1])
    .filter((base): base is string => base !== undefined && fields.has(base));
  if (bases.length === 0) return true;
  return valueColumn !== undefined && bases.includes(valueColumn);
}

/** A saved mapping that points right ascension or declination at a text column reads it as an angle. */
function overrideAngle(
  fields: Map<string, Field>,
  quantity: string,
  override: QuantitySource,
): { angle?: AngleSource; note?: string } {
  const field = override.column === undefined ? undefined : fields.get(override.column);
  if (CDS_SPLIT[quantity] === undefined || field === undefined || !isText(field)) return {};
  const angle = textAngle(field, quantity) ?? { text: field.name, hours: quantity === 'ra' };
  return { angle, note: `sexagesimal ${angle.hours ? 'hours' : 'degrees'}` };
}

/** Recognises every canonical quantity the table holds; `overrides` (a saved mapping) win. */
export function recognise(table: Table, overrides: Record<string, QuantitySource> = {}): Recognition {
  const fields = fieldByName(table);
  const result: Recognition = new Map();
  const claimed = new Map<string, string>();
  for (const def of QUANTITIES) {
    const override = overrides[def.name];
    if (override !== undefined) {
      if (override.column !== undefined && !fields.has(override.column)) {
        throw new Error(
          `saved mapping: ${def.name} → column '${override.column}', which the table does not have`,
        );
      }
      if (override.expression !== undefined) {
        for (const n of namesIn(parseAssignment(override.expression).expression)) {
          if (!fields.has(n))
            throw new Error(`saved mapping: ${def.name} = ${override.expression}: no column '${n}'`);
        }
      }
      result.set(def.name, {
        name: def.name,
        role: def.role,
        kind: def.kind,
        unit: def.unit,
        ...override,
        confidence: 1,
        via: 'override',
        ...overrideAngle(fields, def.name, override),
      });
      continue;
    }
    const valueColumn = def.name.endsWith('.err') ? result.get(def.name.slice(0, -4))?.column : undefined;
    const options = candidates(table, fields, def)
      .filter((c) => c.column === undefined || !claimed.has(c.column) || claimed.get(c.column) === def.name)
      .filter(
        (c) =>
          !def.name.endsWith('.err') || c.column === undefined || errorPairs(c.column, valueColumn, fields),
      )
      .sort((a, b) => b.confidence - a.confidence);
    const best = options[0];
    if (best === undefined) continue;
    result.set(def.name, best);
    if (best.column !== undefined && def.role !== 'flag') claimed.set(best.column, def.name);
  }
  return result;
}

/**
 * Text columns that carry the name of a numeric quantity among `names`, with their first cell that is
 * not a number (if `table`'s rows show one). One such cell makes a CSV column text, as in astropy and
 * TOPCAT, and recognition then passes the column over; a run told nothing would infer without it.
 */
export function textWhereNumbers(
  table: Table,
  names: readonly string[],
): { name: string; column: string; row: number | null; cell: string | null }[] {
  const fieldFor = fieldFinder(fieldByName(table));
  const found: { name: string; column: string; row: number | null; cell: string | null }[] = [];
  for (const def of QUANTITIES) {
    if (def.kind !== 'numeric' || !names.includes(def.name)) continue;
    for (const rule of def.columns) {
      for (const name of rule.names) {
        const field = fieldFor(name, rule.anyCase);
        if (field === undefined || !(DataType.isUtf8(field.type) || DataType.isLargeUtf8(field.type)))
          continue;
        const vector = table.getChild(field.name)!;
        let row: number | null = null;
        for (let i = 0; i < vector.length && row === null; i += 1) {
          const cell: unknown = vector.get(i);
          if (typeof cell === 'string' && cell.trim() !== '' && Number.isNaN(Number(cell))) row = i;
        }
        found.push({
          name: def.name,
          column: field.name,
          row,
          cell: row === null ? null : String(vector.get(row)),
        });
      }
    }
  }
  return found;
}
