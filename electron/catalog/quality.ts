// Quality rules: the one place that decides whether a star's value of a quantity is *observed*.
// A value that is missing, an upper limit or flagged as unreliable is not observed, and it is never
// replaced by a number (its value stays NaN and its mask 0). Each rule sets a bit in the per-star
// flags so a user sees why a value was dropped. The rules, with their sources:
//
//  bit  rule               effect
//  1    missing            value null, NaN or infinite → not observed
//  2    error-missing      the quantity has an uncertainty column but this star's is null, negative
//                          or non-finite → not observed (2MASS and WISE leave the error null for
//                          upper limits and unmeasurable fluxes; a journal's 0.000 is a rounded
//                          small error and is kept)
//  4    tmass-ph_qual      2MASS ph_qual letter for the band (J,H,Ks order) is U (upper limit),
//                          X (no valid brightness), E (poor fit) or F (no reliable error) → not observed
//                          (2MASS Explanatory Supplement, Cutri et al. 2003, sect. VI.2 Table 2a)
//  8    wise-ph_qual       WISE ph_qual letter for the band (W1..W4) is U (95% upper limit),
//                          X (no measurement) or Z (no flux uncertainty) → not observed
//                          (AllWISE Explanatory Supplement, Cutri et al. 2013, sect. II.2.c)
//  16   wise-cc-spurious   WISE cc_flags letter for the band is D, P, H or O in upper case (the
//                          detection is believed spurious: diffraction spike, persistence, halo,
//                          ghost) → not observed (same supplement, cc_flags)
//  32   wise-cc-contam     the same letters in lower case (real source, flux may be contaminated)
//                          → observed, flagged
//  64   gaia-ruwe          RUWE > 1.4 (default) → parallax and proper motions not observed
//                          (Lindegren et al. 2021, A&A 649, A2, sect. 5.4; GAIA-C3-TN-LU-LL-124)
//  128  gaia-bp-rp-excess  |C*| > 3 σ_C*(G) (default) → BP and RP not observed, with
//                          C* = C − f(BP−RP) from Riello et al. 2021, A&A 649, A3, Eq. 6 and Table 2,
//                          σ_C* = 0.0059898 + 8.817481e−12 · G^7.618399 (their Eq. 18)
//  256  table-flag         a journal flag column f_<column> says nodet, sat, false, err, ext, unres
//                          or out → not observed (codes as in Esplin & Luhman 2022, AJ 163, 64, note 6)
//  512  table-flag-note    the same column says bl or bin (blended, unresolved binary) → observed, flagged
//  1024 other-survey       a reference column r_<column> names another survey than the quantity's
//                          (e.g. tmass.j from VHS or FourStar photometry) → not observed as 2MASS/WISE
import type { Table } from 'apache-arrow';
import { evaluate, parseAssignment } from './expression.ts';
import type { NumericColumn } from './expression.ts';
import { angleValues, columnOf, toNumeric, toStrings } from './numeric.ts';
import type { Recognised, Recognition } from './recognise.ts';

export const FLAG = {
  missing: 1,
  errorMissing: 2,
  tmassPhQual: 4,
  wisePhQual: 8,
  wiseCcSpurious: 16,
  wiseCcContaminated: 32,
  gaiaRuwe: 64,
  gaiaBpRpExcess: 128,
  tableFlag: 256,
  tableFlagNote: 512,
  otherSurvey: 1024,
} as const;

export type FlagName = keyof typeof FLAG;

const FLAG_ENTRIES = Object.entries(FLAG) as [FlagName, number][];

/** Flags that make a value not observed (the others are notes). */
const DROPS =
  Object.values(FLAG).reduce((a, b) => a | b, 0) & ~(FLAG.wiseCcContaminated | FLAG.tableFlagNote);

export interface QualityOptions {
  ruweMax?: number;
  excessSigma?: number;
}

export interface AssessedQuantity {
  name: string;
  unit: string;
  values: Float64Array;
  errors: Float64Array;
  observed: Uint8Array;
  flags: Uint16Array;
  /** Stars per flag (by name), over the table. */
  counts: Partial<Record<FlagName, number>>;
  observedCount: number;
}

/** Resolved columns per table, so a table is converted once however often the rules ask for a column. */
const resolved = new WeakMap<Table, Map<string, NumericColumn>>();

/** Values of a recognised quantity (column or expression), as doubles with validity. Read-only: shared. */
export function resolveQuantity(
  table: Table,
  recognition: Recognition,
  source: Recognised,
  depth = 0,
): NumericColumn {
  const key =
    source.column !== undefined ? `column:${source.column}` : `expression:${source.expression ?? ''}`;
  let cache = resolved.get(table);
  if (cache === undefined) {
    cache = new Map();
    resolved.set(table, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = resolveUncached(table, recognition, source, depth);
  cache.set(key, result);
  return result;
}

function resolveUncached(
  table: Table,
  recognition: Recognition,
  source: Recognised,
  depth: number,
): NumericColumn {
  if (source.angle !== undefined) return angleValues(table, source.angle);
  if (source.column !== undefined) return toNumeric(columnOf(table, source.column), source.column);
  if (source.expression === undefined) throw new Error(`${source.name}: neither a column nor an expression`);
  if (depth > 8) throw new Error(`${source.name}: expressions refer to each other in a loop`);
  const { expression } = parseAssignment(source.expression);
  return evaluate(expression, table.numRows, (name) => {
    if (table.schema.fields.some((f) => f.name === name)) return toNumeric(columnOf(table, name), name);
    const other = recognition.get(name);
    if (other !== undefined) return resolveQuantity(table, recognition, other, depth + 1);
    throw new Error(`${source.name} = ${source.expression}: no column or quantity '${name}'`);
  });
}

const TMASS_BANDS = ['j', 'h', 'ks'];
const WISE_BANDS = ['w1', 'w2', 'w3', 'w4'];
const BAD_TABLE_FLAGS = ['nodet', 'sat', 'false', 'err', 'ext', 'unres', 'out'];
const NOTE_TABLE_FLAGS = ['bl', 'bin'];

function bandLetters(
  table: Table,
  recognition: Recognition,
  flagName: string,
  band: number,
): (string | null)[] | null {
  const flag = recognition.get(flagName);
  if (flag?.column === undefined) return null;
  return toStrings(columnOf(table, flag.column)).map((s) => (s === null ? null : (s.trim()[band] ?? null)));
}

/** Riello et al. 2021 Table 2: the expected BP/RP flux excess at colour x = BP − RP. */
export function expectedExcess(x: number): number {
  if (x < 0.5) return 1.15436 + 0.033772 * x + 0.032277 * x * x;
  if (x < 4) return 1.162004 + 0.011464 * x + 0.049255 * x * x - 0.005879 * x * x * x;
  return 1.057572 + 0.140537 * x;
}

/** Riello et al. 2021 Eq. 18: the 1σ scatter of C* at magnitude G. */
export function excessSigma(g: number): number {
  return 0.0059898 + 8.817481e-12 * g ** 7.618399;
}

export function assessQuantity(
  table: Table,
  recognition: Recognition,
  name: string,
  options: QualityOptions = {},
): AssessedQuantity {
  const source = recognition.get(name);
  if (source === undefined)
    throw new Error(`the table holds no '${name}' (recognised: ${[...recognition.keys()].join(', ')})`);
  const rows = table.numRows;
  const value = resolveQuantity(table, recognition, source);
  const errorSource = recognition.get(`${name}.err`);
  const error = errorSource ? resolveQuantity(table, recognition, errorSource) : null;
  const flags = new Uint16Array(rows);
  for (let i = 0; i < rows; i += 1) {
    if (!(value.valid[i] && Number.isFinite(value.values[i]))) flags[i]! |= FLAG.missing;
    if (error !== null && !(error.valid[i] && error.values[i]! >= 0 && error.values[i]! < Infinity))
      flags[i]! |= FLAG.errorMissing;
  }
  const [survey, band] = name.split('.');
  if (survey === 'tmass' && band !== undefined && TMASS_BANDS.includes(band) && !name.endsWith('.err')) {
    const letters = bandLetters(table, recognition, 'tmass.ph_qual', TMASS_BANDS.indexOf(band));
    letters?.forEach((c, i) => {
      if (c !== null && 'UXEF'.includes(c)) flags[i]! |= FLAG.tmassPhQual;
    });
  }
  if (survey === 'wise' && band !== undefined && WISE_BANDS.includes(band) && !name.endsWith('.err')) {
    const index = WISE_BANDS.indexOf(band);
    bandLetters(table, recognition, 'wise.ph_qual', index)?.forEach((c, i) => {
      if (c !== null && 'UXZ'.includes(c)) flags[i]! |= FLAG.wisePhQual;
    });
    bandLetters(table, recognition, 'wise.cc_flags', index)?.forEach((c, i) => {
      if (c !== null && 'DPHO'.includes(c)) flags[i]! |= FLAG.wiseCcSpurious;
      else if (c !== null && 'dpho'.includes(c)) flags[i]! |= FLAG.wiseCcContaminated;
    });
  }
  if (name === 'gaia.parallax' || name === 'pmra' || name === 'pmdec') {
    const ruwe = recognition.get('gaia.ruwe');
    if (ruwe !== undefined) {
      const limit = options.ruweMax ?? 1.4;
      const r = resolveQuantity(table, recognition, ruwe);
      for (let i = 0; i < rows; i += 1) if (r.valid[i] && r.values[i]! > limit) flags[i]! |= FLAG.gaiaRuwe;
    }
  }
  if (name === 'gaia.bp' || name === 'gaia.rp') {
    const c = recognition.get('gaia.bp_rp_excess');
    const g = recognition.get('gaia.g');
    const bp = recognition.get('gaia.bp');
    const rp = recognition.get('gaia.rp');
    if (c !== undefined && g !== undefined && bp !== undefined && rp !== undefined) {
      const nSigma = options.excessSigma ?? 3;
      const cv = resolveQuantity(table, recognition, c);
      const gv = resolveQuantity(table, recognition, g);
      const bpv = resolveQuantity(table, recognition, bp);
      const rpv = resolveQuantity(table, recognition, rp);
      for (let i = 0; i < rows; i += 1) {
        if (!(cv.valid[i] && gv.valid[i] && bpv.valid[i] && rpv.valid[i])) continue;
        const cStar = cv.values[i]! - expectedExcess(bpv.values[i]! - rpv.values[i]!);
        if (Math.abs(cStar) > nSigma * excessSigma(gv.values[i]!)) flags[i]! |= FLAG.gaiaBpRpExcess;
      }
    }
  }
  if (source.column !== undefined && (survey === 'tmass' || survey === 'wise' || survey === 'gaia')) {
    const flagColumn = table.getChild(`f_${source.column}`);
    if (flagColumn !== null) {
      toStrings(flagColumn).forEach((text, i) => {
        if (text === null) return;
        const codes = text.toLowerCase().split(/[\s/,;]+/);
        if (codes.some((code) => BAD_TABLE_FLAGS.includes(code))) flags[i]! |= FLAG.tableFlag;
        else if (codes.some((code) => NOTE_TABLE_FLAGS.includes(code))) flags[i]! |= FLAG.tableFlagNote;
      });
    }
    const refColumn = table.getChild(`r_${source.column}`);
    const own =
      survey === 'tmass'
        ? /^(2MASS|2M|TMASS)$/i
        : survey === 'wise'
          ? /^(ALLWISE|WISE|CATWISE)/i
          : /^(GAIA|DR2|EDR3|DR3)/i;
    if (refColumn !== null) {
      toStrings(refColumn).forEach((text, i) => {
        if (text !== null && text.trim() !== '' && !own.test(text.trim())) flags[i]! |= FLAG.otherSurvey;
      });
    }
  }
  const observed = new Uint8Array(rows);
  const values = new Float64Array(rows);
  const errors = new Float64Array(rows);
  let observedCount = 0;
  const counts: Partial<Record<FlagName, number>> = {};
  const bitCounts = new Float64Array(16);
  for (let i = 0; i < rows; i += 1) {
    const f = flags[i]!;
    const ok = (f & DROPS) === 0;
    observed[i] = ok ? 1 : 0;
    observedCount += ok ? 1 : 0;
    values[i] = ok ? value.values[i]! : Number.NaN;
    errors[i] = ok && error !== null ? error.values[i]! : Number.NaN;
    if (f !== 0) for (let b = 0; b < 16; b += 1) if (f & (1 << b)) bitCounts[b]! += 1;
  }
  for (const [flagName, bit] of FLAG_ENTRIES) {
    const count = bitCounts[Math.log2(bit)]!;
    if (count > 0) counts[flagName] = count;
  }
  return { name, unit: source.unit, values, errors, observed, flags, counts, observedCount };
}
