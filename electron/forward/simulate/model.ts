// Everything a chunk needs that follows from the config alone, built once per thread: the dust model,
// the field and broad-age samplers (with their brightness curves from the photometry port), the fixed
// clusters' member counts, and the plan's source list. Building it is deterministic, so every worker
// holds the same model as the main thread.
import { COMPONENTS, massDensity, type ComponentLaw } from '../population/components.ts';
import {
  FieldSampler,
  starsPerLivingMass,
  type BrightnessCurve,
  type FieldSource,
} from '../population/field-sampler.ts';
import { Imf, STELLAR_MASS_MAX, STELLAR_MASS_MIN } from '../population/imf.ts';
import { DustModel } from '../dust/dust-model.ts';
import type { SimulationConfig } from './config.ts';
import { allocateInputs, allocateOutputs, type PhotometryPort } from './photometry-port.ts';
import { Random } from './random.ts';
import { DiskLight } from './yso-disk-light.ts';

export const SOURCE_FIELD = 0;
export const SOURCE_CLUSTER = 1;
export const SOURCE_BROAD_AGE = 2;
/** A training chunk whose stars come from all sources in the mixture's proportions. */
export const SOURCE_MIXTURE = 3;
export const SOURCE_NAMES = ['field', 'clusters', 'broadAge'] as const;
/** Component code of stars from the broad age prior and from clusters (truth column `component`). */
export const COMPONENT_BROAD_AGE = 20;
export const COMPONENT_CLUSTER = 21;

export interface SimulationModel {
  config: SimulationConfig;
  port: PhotometryPort;
  dust: DustModel;
  imf: Imf;
  /** Field components in use, in sampler source order. */
  fieldLaws: ComponentLaw[];
  field: FieldSampler | null;
  broadAge: FieldSampler | null;
  /** Members (0.08–120 M☉) of each configured cluster. */
  clusterMembers: number[];
  /** Training mode: chunks draw their source from the mixture instead of physical counts. */
  mixtureMode: boolean;
  /** Disc light for stars with a disc; null when the config turns discs off. */
  diskLight: DiskLight | null;
  /** The brightness curves the samplers were built from, for worker threads to reuse (buildModel's
   * `curves`), so each thread does not recompute them through the photometry. */
  curves: ModelCurves;
}

export interface ModelCurves {
  field: BrightnessCurve[];
  broadAge: BrightnessCurve | null;
}

const MASS_GRID = 240;

/** Brightest absolute magnitude in the limit band over a grid of masses, ages and [M/H]. */
export function brightnessCurve(
  port: PhotometryPort,
  band: SimulationConfig['magnitudeLimit']['band'],
  logAges: readonly number[],
  mhs: readonly number[],
): BrightnessCurve {
  const masses = new Float64Array(MASS_GRID);
  for (let i = 0; i < MASS_GRID; i++)
    masses[i] = STELLAR_MASS_MIN * (STELLAR_MASS_MAX / STELLAR_MASS_MIN) ** (i / (MASS_GRID - 1));
  const n = MASS_GRID * logAges.length * mhs.length;
  const inputs = allocateInputs(n);
  const outputs = allocateOutputs(port.bands, n);
  let k = 0;
  const clamp = (x: number, [lo, hi]: readonly [number, number]): number => Math.min(hi, Math.max(lo, x));
  for (const logAgeWanted of logAges) {
    const logAge = clamp(logAgeWanted, port.logAgeRange);
    for (const mhWanted of mhs) {
      const mh = clamp(mhWanted, port.mhRange);
      for (let i = 0; i < MASS_GRID; i++) {
        inputs.logAge[k] = logAge;
        inputs.mh[k] = mh;
        inputs.massInit[k] = masses[i] as number;
        inputs.av[k] = 0;
        inputs.rv[k] = 3.1;
        k++;
      }
    }
  }
  inputs.count = n;
  port.compute(inputs, outputs);
  const brightest = new Float64Array(MASS_GRID).fill(Infinity);
  const mags = outputs.absMag[band];
  for (let j = 0; j < n; j++) {
    const m = mags[j] as number;
    const i = j % MASS_GRID;
    if (outputs.alive[j] === 1 && m < (brightest[i] as number)) brightest[i] = m;
  }
  return { masses, brightest };
}

function ageGrid(loGyr: number, hiGyr: number): number[] {
  const lo = Math.log10(loGyr * 1e9);
  const hi = Math.log10(hiGyr * 1e9);
  const steps = Math.max(2, Math.ceil((hi - lo) / 0.1) + 1);
  return Array.from({ length: steps }, (_, i) => lo + ((hi - lo) * i) / (steps - 1));
}

export function buildModel(
  config: SimulationConfig,
  port: PhotometryPort,
  curves?: ModelCurves,
): SimulationModel {
  const imf = new Imf();
  const dust = new DustModel(config.dust, config.seed);
  const band = config.magnitudeLimit.band;
  const region = config.region;
  const maxDistance =
    region.kind === 'sphere' ? Math.min(config.volumeRadiusPc, config.maxDistancePc) : config.maxDistancePc;
  const mixtureMode = config.mixture.clusters > 0 || config.mixture.broadAge > 0;

  const fieldLaws = COMPONENTS.filter((c) => config.components.includes(c.id));
  let field: FieldSampler | null = null;
  const fieldCurves: BrightnessCurve[] = [];
  if (config.mixture.field > 0) {
    const sources: FieldSource[] = fieldLaws.map((law, i) => {
      const brightness =
        curves?.field[i] ??
        brightnessCurve(port, band, ageGrid(law.ageGyr[0], law.ageGyr[1]), [
          law.mhMean - 2 * law.mhSigma,
          law.mhMean,
          law.mhMean + 2 * law.mhSigma,
        ]);
      fieldCurves.push(brightness);
      const lawImf = config.fieldImf === 'kroupa2001' ? imf : new Imf(law.imf);
      return {
        code: law.code,
        density: (g) => massDensity(law, g),
        imf: lawImf,
        starsPerMass: starsPerLivingMass(lawImf, (law.ageGyr[0] + law.ageGyr[1]) / 2),
        brightness,
      };
    });
    field = new FieldSampler(region, 1, maxDistance, config.magnitudeLimit.max, sources);
  }

  let broadAge: FieldSampler | null = null;
  let broadAgeCurve: BrightnessCurve | null = null;
  if (config.mixture.broadAge > 0) {
    const thin = COMPONENTS.filter((c) => c.id.startsWith('thin'));
    const [a0, a1] = config.broadAgePrior.logAge;
    const [m0, m1] = config.broadAgePrior.mh;
    broadAgeCurve =
      curves?.broadAge ??
      brightnessCurve(port, band, ageGrid(10 ** a0 / 1e9, 10 ** a1 / 1e9), [m0, (m0 + m1) / 2, m1]);
    broadAge = new FieldSampler(region, 1, maxDistance, config.magnitudeLimit.max, [
      {
        code: COMPONENT_BROAD_AGE,
        density: (g) => thin.reduce((sum, law) => sum + massDensity(law, g), 0),
        imf,
        starsPerMass: 1,
        brightness: broadAgeCurve,
      },
    ]);
  }

  const meanMass = imf.meanMass(STELLAR_MASS_MIN, STELLAR_MASS_MAX);
  const clusterMembers = config.clusters.map((cluster, i) => {
    if (cluster.nStars !== undefined) return cluster.nStars;
    const rng = Random.stream(config.seed, i, 'cluster-size');
    return rng.poisson((cluster.massMsun as number) / meanMass);
  });
  const diskLight = config.disks ? new DiskLight(port.bands) : null;
  return {
    config,
    port,
    dust,
    imf,
    fieldLaws,
    field,
    broadAge,
    clusterMembers,
    mixtureMode,
    diskLight,
    curves: { field: fieldCurves, broadAge: broadAgeCurve },
  };
}
