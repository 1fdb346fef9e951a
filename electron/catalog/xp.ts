// Gaia DR3 XP continuous spectra → externally calibrated sampled spectra (336–1020 nm, 2 nm), as
// gaiaxpy.calibrate() computes them with its default models (Montegriffo et al. 2023, A&A 674, A3):
//   per band  f_b = c_b · D_b,   σ_b² = diag(D_bᵀ C_b D_b),   C_b = diag(e_b) R_b diag(e_b)
//   merged    f = w_bp f_bp + w_rp f_rp,   σ = sqrt(w_bp² σ_bp² + w_rp² σ_rp²)
// R_b is rebuilt from the archive's correlation vector (the strict lower triangle, row by row, unit
// diagonal); with one band missing, the other band's spectrum is used alone and blanked outside its
// range (BP < 643 nm, RP > 635 nm), as gaiaxpy does. The design matrices, merge weights and grid come
// from assets/grids/gaia-xp (extracted from gaiaxpy by assets/make/xp_basis.py).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Field, FixedSizeList, Float64, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import type { Table, Vector } from 'apache-arrow';
import { arrayCell, packValidity } from './columns.ts';
import { buildTable } from './table.ts';
import type { ColumnInfo } from './table.ts';

const ASSET_DIR = new URL('../../assets/grids/gaia-xp/', import.meta.url);
const BP_HIGH_NM = 643;
const RP_LOW_NM = 635;

export interface XpBasis {
  wavelengthNm: Float64Array;
  mergeBp: Float64Array;
  mergeRp: Float64Array;
  /** bases × samples, row-major */
  designBp: Float64Array;
  designRp: Float64Array;
  bases: number;
  samples: number;
}

interface ManifestArray {
  name: string;
  shape: number[];
  offset: number;
}

let cached: XpBasis | null = null;

export function loadXpBasis(): XpBasis {
  if (cached) return cached;
  const manifestPath = new URL('manifest.json', ASSET_DIR);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    grids: { file: string; sha256: string; arrays: ManifestArray[] }[];
  };
  const grid = manifest.grids[0];
  if (grid === undefined) throw new Error(`${manifestPath.pathname}: no grid listed`);
  const bytes = readFileSync(new URL(grid.file, ASSET_DIR));
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== grid.sha256) {
    throw new Error(
      `${grid.file}: sha256 ${digest} differs from the manifest; rebuild with assets/make/xp_basis.py`,
    );
  }
  const array = (name: string): { data: Float64Array; shape: number[] } => {
    const entry = grid.arrays.find((a) => a.name === name);
    if (entry === undefined) throw new Error(`${grid.file}: no array '${name}' in the manifest`);
    const length = entry.shape.reduce((a, b) => a * b, 1);
    const copy = new Uint8Array(bytes.subarray(entry.offset, entry.offset + length * 8));
    return { data: new Float64Array(copy.buffer), shape: entry.shape };
  };
  const designBp = array('design_bp');
  cached = {
    wavelengthNm: array('wavelength_nm').data,
    mergeBp: array('merge_bp').data,
    mergeRp: array('merge_rp').data,
    designBp: designBp.data,
    designRp: array('design_rp').data,
    bases: designBp.shape[0]!,
    samples: designBp.shape[1]!,
  };
  return cached;
}

export interface XpBand {
  coefficients: ArrayLike<number>;
  errors: ArrayLike<number>;
  /** Strict lower triangle of the correlation matrix, row by row (the Gaia archive's layout). */
  correlations: ArrayLike<number>;
}

/** Samples one band: flux and its standard error. */
function sampleBand(
  band: XpBand,
  design: Float64Array,
  basis: XpBasis,
): { flux: Float64Array; error: Float64Array } {
  const n = basis.bases;
  const m = basis.samples;
  if (
    band.coefficients.length !== n ||
    band.errors.length !== n ||
    band.correlations.length !== (n * (n - 1)) / 2
  ) {
    throw new Error(
      `XP band has ${band.coefficients.length} coefficients, ${band.errors.length} errors and ${band.correlations.length} correlations; expected ${n}, ${n} and ${(n * (n - 1)) / 2}`,
    );
  }
  const flux = new Float64Array(m);
  const error = new Float64Array(m);
  const weighted = new Float64Array(n);
  for (let k = 0; k < m; k += 1) {
    let f = 0;
    for (let i = 0; i < n; i += 1) {
      const d = design[i * m + k]!;
      f += band.coefficients[i]! * d;
      weighted[i] = band.errors[i]! * d;
    }
    let variance = 0;
    let r = 0;
    for (let i = 0; i < n; i += 1) {
      const wi = weighted[i]!;
      variance += wi * wi;
      let cross = 0;
      for (let j = 0; j < i; j += 1) cross += band.correlations[r + j]! * weighted[j]!;
      r += i;
      variance += 2 * wi * cross;
    }
    flux[k] = f;
    error[k] = Math.sqrt(variance);
  }
  return { flux, error };
}

/** One star's sampled spectrum; a band is null when the star has no solution for it. */
export function calibrateXp(
  bp: XpBand | null,
  rp: XpBand | null,
  basis = loadXpBasis(),
): { flux: Float64Array; error: Float64Array } {
  const m = basis.samples;
  if (bp === null && rp === null) {
    return { flux: new Float64Array(m).fill(Number.NaN), error: new Float64Array(m).fill(Number.NaN) };
  }
  if (bp !== null && rp !== null) {
    const b = sampleBand(bp, basis.designBp, basis);
    const r = sampleBand(rp, basis.designRp, basis);
    const flux = new Float64Array(m);
    const error = new Float64Array(m);
    for (let k = 0; k < m; k += 1) {
      const wb = basis.mergeBp[k]!;
      const wr = basis.mergeRp[k]!;
      flux[k] = wb * b.flux[k]! + wr * r.flux[k]!;
      error[k] = Math.sqrt(wb * wb * b.error[k]! ** 2 + wr * wr * r.error[k]! ** 2);
    }
    return { flux, error };
  }
  const single = bp !== null ? sampleBand(bp, basis.designBp, basis) : sampleBand(rp!, basis.designRp, basis);
  for (let k = 0; k < m; k += 1) {
    const wl = basis.wavelengthNm[k]!;
    if ((bp !== null && wl >= BP_HIGH_NM) || (rp !== null && wl <= RP_LOW_NM)) {
      single.flux[k] = Number.NaN;
      single.error[k] = Number.NaN;
    }
  }
  return single;
}

function scalarCell(vector: Vector | null, row: number): number {
  if (vector === null) return Number.NaN;
  const value: unknown = vector.get(row);
  return value === null || value === undefined ? Number.NaN : Number(value);
}

const XP_ARRAYS = ['coefficients', 'coefficient_errors', 'coefficient_correlations'] as const;

/** A band's columns, checked once for the whole table. */
function bandColumns(
  table: Table,
  band: 'bp' | 'rp',
  file: string,
): Record<(typeof XP_ARRAYS)[number], Vector> {
  const columns = XP_ARRAYS.map((suffix) => {
    const v = table.getChild(`${band}_${suffix}`);
    if (v === null)
      throw new Error(`${file}: no column ${band}_${suffix} (Gaia DR3 xp_continuous_mean_spectrum)`);
    return v;
  });
  return {
    coefficients: columns[0]!,
    coefficient_errors: columns[1]!,
    coefficient_correlations: columns[2]!,
  };
}

/** The archive never holds an infinite coefficient, a negative error or a correlation beyond ±1: such a
 * cell is a damaged file, and sampling it would give infinite or meaningless fluxes. */
function checkBandArray(values: Float64Array, column: string, kind: (typeof XP_ARRAYS)[number]): void {
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    const bad =
      !Number.isFinite(v) ||
      (kind === 'coefficient_errors' && v < 0) ||
      (kind === 'coefficient_correlations' && Math.abs(v) > 1);
    if (bad) throw new Error(`${column}: element ${i + 1} is ${v}`);
  }
}

function bandAt(
  table: Table,
  band: 'bp' | 'rp',
  columns: Record<(typeof XP_ARRAYS)[number], Vector>,
  row: number,
): XpBand | null {
  const coefficients = arrayCell(columns.coefficients, row);
  const sigma = scalarCell(table.getChild(`${band}_standard_deviation`), row);
  if (coefficients === null || coefficients.length === 0 || Number.isNaN(sigma)) return null;
  const errors = arrayCell(columns.coefficient_errors, row);
  const correlations = arrayCell(columns.coefficient_correlations, row);
  if (errors === null || correlations === null) return null;
  checkBandArray(coefficients, `${band}_coefficients`, 'coefficients');
  checkBandArray(errors, `${band}_coefficient_errors`, 'coefficient_errors');
  checkBandArray(correlations, `${band}_coefficient_correlations`, 'coefficient_correlations');
  return { coefficients, errors, correlations };
}

/** Sampled XP spectra of every star, row-major (star × sample); a star without XP is all NaN. */
export interface XpSpectra {
  wavelengthNm: Float64Array;
  flux: Float64Array;
  error: Float64Array;
  /** 1 where the star has at least one band (its sampled spectrum is a model input). */
  observed: Uint8Array;
  samples: number;
}

export function xpSpectra(table: Table, file: string): XpSpectra {
  const basis = loadXpBasis();
  const rows = table.numRows;
  const m = basis.samples;
  const flux = new Float64Array(rows * m);
  const error = new Float64Array(rows * m);
  const observed = new Uint8Array(rows);
  const bpColumns = bandColumns(table, 'bp', file);
  const rpColumns = bandColumns(table, 'rp', file);
  for (let r = 0; r < rows; r += 1) {
    let spectrum: { flux: Float64Array; error: Float64Array };
    try {
      const bp = bandAt(table, 'bp', bpColumns, r);
      const rp = bandAt(table, 'rp', rpColumns, r);
      observed[r] = bp !== null || rp !== null ? 1 : 0;
      spectrum = calibrateXp(bp, rp, basis);
    } catch (error_) {
      throw new Error(`${file}: row ${r + 1}: ${(error_ as Error).message}`, { cause: error_ });
    }
    flux.set(spectrum.flux, r * m);
    error.set(spectrum.error, r * m);
  }
  return { wavelengthNm: basis.wavelengthNm, flux, error, observed, samples: m };
}

/** A star × sample array as an Arrow FixedSizeList<Float64> column; NaN samples are nulls. */
export function spectrumVector(values: Float64Array, rows: number, samples: number): Vector {
  const valid = Uint8Array.from(values, (v) => (Number.isNaN(v) ? 0 : 1));
  const child = packValidity(valid, values.length);
  const childData = makeData({
    type: new Float64(),
    length: values.length,
    nullCount: child.nullCount,
    nullBitmap: child.bitmap,
    data: values,
  });
  return makeVector(
    makeData({
      type: new FixedSizeList(samples, new Field('item', new Float64(), true)),
      length: rows,
      nullCount: 0,
      child: childData,
    }),
  );
}

/** Sampled spectra for every row of an XP continuous table, as an Arrow table. */
export function xpSampledTable(table: Table, file: string): Table {
  const basis = loadXpBasis();
  const rows = table.numRows;
  const m = basis.samples;
  const { flux, error } = xpSpectra(table, file);
  const listVector = (values: Float64Array): Vector => spectrumVector(values, rows, m);
  const grid = `${basis.wavelengthNm[0]}–${basis.wavelengthNm[m - 1]} nm in ${m} samples`;
  const fluxInfo: ColumnInfo = { unit: 'W nm-1 m-2', description: `XP externally calibrated flux, ${grid}` };
  const columns = [];
  const ids = table.getChild('source_id');
  if (ids !== null) {
    const single = ids.data.length === 1 ? ids : vectorFromArray(Array.from(ids), ids.type);
    columns.push({ name: 'source_id', vector: single, info: {} });
  }
  columns.push({ name: 'flux', vector: listVector(flux), info: fluxInfo });
  columns.push({
    name: 'flux_error',
    vector: listVector(error),
    info: { ...fluxInfo, description: `1σ of flux, ${grid}` },
  });
  return buildTable(columns);
}

/**
 * Already-sampled XP spectra (gaiaxpy's grid, 336–1020 nm in 2 nm steps) from list columns or bracketed
 * text arrays (gaiaxpy's CSV): a null cell is a star without XP, a null or NaN sample a missing one;
 * without a σ column every σ is NaN. A cell with another number of samples is refused with its row,
 * since it is not on the grid the model knows.
 */
export function sampledXpSpectra(
  table: Table,
  file: string,
  fluxColumn: string,
  errorColumn: string | null,
): XpSpectra {
  const basis = loadXpBasis();
  const rows = table.numRows;
  const m = basis.samples;
  const column = (name: string): Vector => {
    const v = table.getChild(name);
    if (v === null) throw new Error(`${file}: no column '${name}'`);
    return v;
  };
  const fluxVector = column(fluxColumn);
  const errorVector = errorColumn === null ? null : column(errorColumn);
  const flux = new Float64Array(rows * m).fill(Number.NaN);
  const error = new Float64Array(rows * m).fill(Number.NaN);
  const observed = new Uint8Array(rows);
  const cell = (vector: Vector, name: string, r: number): Float64Array | null => {
    let values: Float64Array | null;
    try {
      values = arrayCell(vector, r);
    } catch (error_) {
      throw new Error(`${file}: column '${name}', ${(error_ as Error).message}`, { cause: error_ });
    }
    if (values !== null && values.length !== m)
      throw new Error(
        `${file}: column '${name}', row ${r + 1}: ${values.length} samples, but Gaia XP sampled spectra ` +
          `have ${m} (${basis.wavelengthNm[0]}–${basis.wavelengthNm[m - 1]} nm in 2 nm steps)`,
      );
    return values;
  };
  for (let r = 0; r < rows; r += 1) {
    const f = cell(fluxVector, fluxColumn, r);
    if (f === null) continue;
    flux.set(f, r * m);
    observed[r] = f.some(Number.isFinite) ? 1 : 0;
    const e = errorVector === null ? null : cell(errorVector, errorColumn!, r);
    if (e !== null) error.set(e, r * m);
  }
  return { wavelengthNm: basis.wavelengthNm, flux, error, observed, samples: m };
}
