// Loader for YSO model sets in the `sedfitter` layout of Robitaille (2017, A&A 600, A11) - the grids a user
// downloads from Zenodo (not shipped with Cradle). A model directory holds
//   models.conf                 "key = value" lines (name, length_subdir, aperture_dependent, ...)
//   parameters.fits             HDU 1: MODEL_NAME plus one column per model parameter
//   convolved/<FILTER>.fits     HDU 0 keywords FILTWAV (um), NMODELS, NAP; HDU 1: MODEL_NAME,
//                               TOTAL_FLUX, TOTAL_FLUX_ERR (mJy at 1 kpc, one value per aperture);
//                               HDU 2: APERTURE (au)
// (sedfitter's ConvolvedFluxes.read/write). This reads the configuration, the parameters and any subset of
// convolved filters into typed arrays, through Cradle's own FITS reader, with errors naming file, HDU and
// column.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FitsFile } from '../../fits/file.ts';
import { openBinaryTable, type BinaryTable, type CellValue } from '../../fits/bintable.ts';

export interface ConvolvedFilter {
  readonly name: string;
  /** FILTWAV, um (NaN when absent) */
  readonly wavelengthUm: number;
  /** au */
  readonly apertures: Float64Array;
  /** mJy at 1 kpc, [model][aperture] row-major */
  readonly flux: Float64Array;
  readonly fluxError: Float64Array;
}

export interface RobitailleModelSet {
  readonly dir: string;
  readonly config: Readonly<Record<string, string>>;
  readonly modelNames: string[];
  /** numeric parameter columns of parameters.fits, by column name */
  readonly parameters: Readonly<Record<string, Float64Array>>;
  readonly filters: Readonly<Record<string, ConvolvedFilter>>;
}

function parseConfig(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const text = line.replace(/#.*/, '').trim();
      if (!text) return;
      const eq = text.indexOf('=');
      if (eq < 0) throw new Error(`${path}: line ${i + 1} is not 'key = value'`);
      out[text.slice(0, eq).trim()] = text.slice(eq + 1).trim();
    });
  return out;
}

function asString(v: CellValue): string {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('').trim();
  throw new Error(`expected a string, got ${JSON.stringify(v)}`);
}

function asNumbers(v: CellValue): number[] {
  if (typeof v === 'number') return [v];
  if (typeof v === 'bigint') return [Number(v)];
  if (Array.isArray(v)) return v.flatMap((x) => asNumbers(x));
  throw new Error(`expected numbers, got ${JSON.stringify(v)}`);
}

/** every row of the named columns as decoded cells */
function readColumns(table: BinaryTable, names: string[]): CellValue[][] {
  const cols = names.map((n) => table.column(n));
  const out: CellValue[][] = names.map(() => []);
  for (const batch of table.batches()) {
    for (let r = 0; r < batch.count; r++) {
      cols.forEach((c, j) =>
        (out[j] as CellValue[]).push(table.cell(batch.view, r * table.rowWidth, c, batch.start + r)),
      );
    }
  }
  return out;
}

function readConvolved(path: string, name: string, models: readonly string[]): ConvolvedFilter {
  const nModelsExpected = models.length;
  return FitsFile.with(path, (file) => {
    const h0 = file.hdu(0).header;
    const nModels = h0.integer('NMODELS');
    const nAp = h0.integer('NAP');
    if (nModels !== nModelsExpected) {
      throw new Error(
        `${path}: HDU 0 NMODELS = ${nModels}, but parameters.fits lists ${nModelsExpected} models`,
      );
    }
    const table = openBinaryTable(file, file.hdu(1));
    const [names, flux, err] = readColumns(table, ['MODEL_NAME', 'TOTAL_FLUX', 'TOTAL_FLUX_ERR']) as [
      CellValue[],
      CellValue[],
      CellValue[],
    ];
    names.forEach((n, i) => {
      if (asString(n) !== models[i]) {
        throw new Error(
          `${path}: HDU 1 column MODEL_NAME row ${i} is '${asString(n)}', parameters.fits has '${models[i]}'`,
        );
      }
    });
    const apTable = openBinaryTable(file, file.hdu(2));
    const [ap] = readColumns(apTable, ['APERTURE']) as [CellValue[]];
    const f = Float64Array.from(flux.flatMap(asNumbers));
    const e = Float64Array.from(err.flatMap(asNumbers));
    if (f.length !== nModels * nAp || e.length !== nModels * nAp) {
      throw new Error(
        `${path}: HDU 1 TOTAL_FLUX has ${f.length} values, expected NMODELS x NAP = ${nModels * nAp}`,
      );
    }
    return {
      name,
      wavelengthUm: h0.optionalNumber('FILTWAV') ?? Number.NaN,
      apertures: Float64Array.from(ap.flatMap(asNumbers)),
      flux: f,
      fluxError: e,
    };
  });
}

/** Load a model set directory; `filters` names files in convolved/ (without .fits). */
export function loadRobitailleModelSet(dir: string, filters: readonly string[]): RobitailleModelSet {
  const confPath = join(dir, 'models.conf');
  const parPath = join(dir, 'parameters.fits');
  for (const p of [confPath, parPath]) {
    if (!existsSync(p))
      throw new Error(`${p}: missing; a sedfitter model directory needs models.conf and parameters.fits`);
  }
  const config = parseConfig(confPath);
  const { modelNames, parameters } = FitsFile.with(parPath, (file) => {
    const table = openBinaryTable(file, file.hdu(1));
    const numeric = table.columns.filter((c) => c.name !== 'MODEL_NAME' && c.type !== 'A').map((c) => c.name);
    const [names, ...values] = readColumns(table, ['MODEL_NAME', ...numeric]) as [
      CellValue[],
      ...CellValue[][],
    ];
    const params: Record<string, Float64Array> = {};
    numeric.forEach((n, j) => (params[n] = Float64Array.from((values[j] as CellValue[]).flatMap(asNumbers))));
    return { modelNames: names.map(asString), parameters: params };
  });
  const convolved: Record<string, ConvolvedFilter> = {};
  for (const name of filters) {
    const path = join(dir, 'convolved', `${name}.fits`);
    if (!existsSync(path)) throw new Error(`${path}: no convolved fluxes for filter '${name}'`);
    convolved[name] = readConvolved(path, name, modelNames);
  }
  return { dir, config, modelNames, parameters, filters: convolved };
}
