// The photometry the simulator runs on: electron/forward/physics' isochrones (initial mass, age, [M/H]
// → Teff, log g, L, R) followed by its bolometric-correction tables (Teff, log g, [M/H], A_V, R_V → BC per
// band), giving extincted absolute magnitudes in the ten bands. Only the wiring lives here, plus two
// choices the config makes (config.ts `physics`): the atmosphere library of the BC table, and an optional
// pre-main-sequence isochrone set for young stars.
//
// The BC table (~40 MB, 5-8 s to build) is read from the disk cache (table-cache.ts) when an entry for the
// same grids and physics code exists, and is shared with worker threads: `workerOptions()` hands them the
// table's shared memory, and a port built with `bcValues` wraps it instead of rebuilding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BANDS } from '../physics/bands.ts';
import { BcTable, bcTable } from '../physics/bc-tables.ts';
import { defaultGridDir } from '../physics/grid-file.ts';
import {
  FLAG_OUTSIDE,
  FLAG_DEAD,
  isIsochroneSetName,
  loadIsochrones,
  type IsochroneSet,
} from '../physics/isochrones.ts';
import { XP_N, XpBatchModel } from '../physics/xp.ts';
import { SurveySpectraModel } from '../physics/survey-spectra.ts';
import type { LibraryName } from '../physics/atmospheres.ts';
import type {
  PhotometryPort,
  StarInputs,
  StarOutputs,
  SurveyKey,
  SurveySpectraPort,
  XpInputs,
} from './photometry-port.ts';
import { cacheDir, cachedFloat32, cacheKey } from './table-cache.ts';

export interface PhysicsPortOptions {
  /** Atmosphere library of the BC table: kurucz (default) or btsettl. */
  library?: string;
  /** Pre-main-sequence isochrone set for stars no older than `pmsMaxLogAge`; absent/null: PARSEC only. */
  pmsIsochrones?: string | null;
  pmsMaxLogAge?: number;
  /** The BC table's values from the main thread's port (shared memory); absent: cache or build. */
  bcValues?: Float32Array;
  /** Folder of the BC table cache; absent: table-cache.ts cacheDir(); null: no disk cache. */
  cacheDir?: string | null;
}

/** The physics modules whose code decides the BC values (part of the cache key with the grid bytes). */
const BC_SOURCES = ['bc-tables', 'atmospheres', 'extinction', 'synthetic-photometry', 'bands', 'grid-file'];

function bcCacheKey(library: LibraryName): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const parts: (Uint8Array | string)[] = [library, 'G23'];
  for (const name of BC_SOURCES)
    parts.push(readFileSync(new URL(`../physics/${name}${extension}`, import.meta.url)));
  parts.push(readFileSync(join(defaultGridDir(), 'manifest.json')));
  return cacheKey(parts);
}

function loadBcTable(library: LibraryName, options: PhysicsPortOptions): BcTable {
  if (options.bcValues !== undefined) return new BcTable(library, 'G23', options.bcValues);
  const dir = options.cacheDir === undefined ? cacheDir() : options.cacheDir;
  if (dir === null) return bcTable(library, 'G23');
  return cachedFloat32(
    dir,
    `bc-${library}-G23`,
    bcCacheKey(library),
    (values) => new BcTable(library, 'G23', values),
    () => {
      const table = bcTable(library, 'G23');
      return { table, values: table.values };
    },
  ).table;
}

function pmsSet(options: PhysicsPortOptions): IsochroneSet | null {
  const name = options.pmsIsochrones ?? null;
  if (name === null) return null;
  if (!isIsochroneSetName(name) || name === 'parsec12')
    throw new Error(`photometry: unknown pre-main-sequence isochrone set '${name}'`);
  return loadIsochrones(name);
}

export function physicsPort(options: PhysicsPortOptions = {}): PhotometryPort {
  const libraryName = options.library ?? 'kurucz';
  if (libraryName !== 'kurucz' && libraryName !== 'btsettl') {
    throw new Error(`photometry: unknown atmosphere library '${libraryName}' (kurucz or btsettl)`);
  }
  const library: LibraryName = libraryName;
  const iso = loadIsochrones('parsec12');
  const pms = pmsSet(options);
  const pmsMaxLogAge = options.pmsMaxLogAge ?? 8;
  const table = loadBcTable(library, options);
  let xpModel: XpBatchModel | null = null;
  const surveys = new Map<SurveyKey, SurveySpectraPort>();
  const description: Record<string, string> = {
    isochrones: 'parsec12',
    atmospheres: library,
    extinctionLaw: 'G23 (Gordon et al. 2023)',
    bolometricCorrections: 'physics/bc-tables',
  };
  if (pms !== null) {
    description['pmsIsochrones'] = `${pms.name} (log age <= ${pmsMaxLogAge}, ${pms.massRange
      .map((m) => m.toFixed(2))
      .join('-')} Msun; solar)`;
  }
  return {
    xpLength: XP_N,
    xp(stars: XpInputs, flux: Float32Array, error: Float32Array): void {
      xpModel ??= new XpBatchModel(library, 'G23');
      xpModel.run(stars, flux, error);
    },
    surveySpectra(survey: SurveyKey): SurveySpectraPort {
      let found = surveys.get(survey);
      if (found === undefined) {
        const model = new SurveySpectraModel(survey);
        const wave = model.wavelength;
        found = {
          pixels: model.pixels,
          unit: 'erg s-1 cm-2 Angstrom-1',
          description: {
            pixels: model.pixels,
            resolution: model.resolution,
            wavelengthAngstrom: [wave[0], wave[wave.length - 1]],
            wavelengthScale: 'log-uniform, vacuum',
            library: 'BT-Settl CIFIST (physics survey-spectra.ts)',
          },
          run(stars, noisy, error, flags, random) {
            const flux = new Float32Array(stars.teff.length * model.pixels);
            model.run(stars, { flux, noisy, error, flags }, random);
          },
        };
        surveys.set(survey, found);
      }
      return found;
    },
    description,
    bands: BANDS,
    logAgeRange: iso.logAgeRange,
    mhRange: iso.mhRange,
    workerOptions: () => ({ ...options, bcValues: table.values }),
    compute(inputs: StarInputs, out: StarOutputs): void {
      const n = inputs.count;
      const mh = inputs.mh.subarray(0, n);
      const logAge = inputs.logAge.subarray(0, n);
      const massInit = inputs.massInit.subarray(0, n);
      const stars = iso.interpolate({ massInit, logAge, mh });
      out.teff.set(stars.teff);
      out.logg.set(stars.logg);
      out.logLum.set(stars.logL);
      out.radius.set(stars.radius);
      if (pms !== null) overlayPms(pms, pmsMaxLogAge, massInit, logAge, mh, out);
      const phot = table.photometry({
        teff: out.teff.subarray(0, n),
        logg: out.logg.subarray(0, n),
        mh,
        logL: out.logLum.subarray(0, n),
        av: inputs.av.subarray(0, n),
        rv: inputs.rv.subarray(0, n),
        distancePc: new Float64Array(n).fill(10),
      });
      for (let i = 0; i < n; i++) {
        out.alive[i] = Number.isFinite(out.teff[i]) && phot.flags[i] === 0 ? 1 : 0;
      }
      for (const band of BANDS) out.absMag[band].set(phot.mags[band]);
    },
  };
}

/** Stellar parameters of the young stars the PMS grid covers replace PARSEC's (the grid is solar, so
 * [M/H] still reaches the atmosphere but not the interior). */
function overlayPms(
  pms: IsochroneSet,
  maxLogAge: number,
  massInit: Float64Array,
  logAge: Float64Array,
  mh: Float64Array,
  out: StarOutputs,
): void {
  const young: number[] = [];
  for (let i = 0; i < logAge.length; i++) if ((logAge[i] as number) <= maxLogAge) young.push(i);
  if (young.length === 0) return;
  const pick = (values: Float64Array): Float64Array => Float64Array.from(young, (i) => values[i] as number);
  const stars = pms.interpolate({ massInit: pick(massInit), logAge: pick(logAge), mh: pick(mh) });
  young.forEach((i, k) => {
    if (((stars.flags[k] as number) & (FLAG_OUTSIDE | FLAG_DEAD)) !== 0) return;
    out.teff[i] = stars.teff[k] as number;
    out.logg[i] = stars.logg[k] as number;
    out.logLum[i] = stars.logL[k] as number;
    out.radius[i] = stars.radius[k] as number;
  });
}
