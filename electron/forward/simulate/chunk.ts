// One chunk of the simulation, start to finish: draw the chunk's stars from its source, put dust in
// front of them, ask the physics for their magnitudes, add unresolved companions, keep what passes the
// magnitude limit, and observe them with each survey. What only kept rows need (space velocities,
// ICRS positions, astrometry, source_id) is computed after the cut: about half the candidates never
// reach it. Every random draw comes from streams keyed by (seed, chunk index, purpose), so a chunk's rows
// depend on nothing but the config and its index; source_id's running number is the candidate's place
// in the run (chunk index x 2^ceil(log2 chunkSize) + candidate index), unique whatever is kept.
import type { Band } from '../physics/bands.ts';
import type { PhotometryBatch } from '../physics/bc-tables.ts';
import { componentById, type ComponentLaw } from '../population/components.ts';
import {
  galacticToIcrs,
  SUN_R_PC,
  toGalactocentric,
  velocityToAstrometry,
  V_CIRC_KMS,
} from '../population/frame.ts';
import { drawVelocity, relativeToSun, type Velocity } from '../population/kinematics.ts';
import { STELLAR_MASS_MAX, STELLAR_MASS_MIN } from '../population/imf.ts';
import { drawRv } from '../dust/dust-model.ts';
import { binaryFraction, combineMagnitudes, Q_MIN } from '../clusters/binaries.ts';
import { diskFraction } from '../clusters/disk-fraction.ts';
import { ConePlacement } from './cluster-placement.ts';
import { CLUSTER_EXTENT_RADII, type ClusterConfig } from './config.ts';
import { allocateInputs, allocateOutputs, type StarInputs } from './photometry-port.ts';
import { drawDisk, type DiskDraw } from './yso-disk-light.ts';
import { Random } from './random.ts';
import { observe, type Observations } from '../survey/observe.ts';
import type { GaiaSplines } from '../survey/gaia.ts';
import { sourceIds } from '../survey/source-id.ts';
import {
  COMPONENT_BROAD_AGE,
  COMPONENT_CLUSTER,
  SOURCE_BROAD_AGE,
  SOURCE_CLUSTER,
  SOURCE_FIELD,
  SOURCE_MIXTURE,
  type SimulationModel,
} from './model.ts';

export interface ChunkSpec {
  index: number;
  source: number;
  /** Candidate stars to draw. */
  count: number;
  /** Configured cluster (index) for SOURCE_CLUSTER in catalog mode; -1: clusters drawn from the prior. */
  clusterIndex: number;
}

/** The true parameters and values of the kept stars (one entry per row). */
export interface ChunkTruth {
  rows: number;
  sourceId: BigInt64Array;
  source: Uint8Array;
  component: Uint8Array;
  clusterId: Int32Array;
  lDeg: Float64Array;
  bDeg: Float64Array;
  raDeg: Float64Array;
  decDeg: Float64Array;
  distancePc: Float64Array;
  logAge: Float64Array;
  massInit: Float64Array;
  mh: Float64Array;
  av: Float64Array;
  rv: Float64Array;
  teff: Float64Array;
  logg: Float64Array;
  logLum: Float64Array;
  radius: Float64Array;
  binaryQ: Float64Array;
  hasDisk: Uint8Array;
  /** Disc parameters (NaN without a disc): L_disc/L_*, temperature index q, inclination (deg). */
  diskLumFraction: Float64Array;
  diskTempIndex: Float64Array;
  diskInclinationDeg: Float64Array;
  pmraMasYr: Float64Array;
  pmdecMasYr: Float64Array;
  radialVelocityKms: Float64Array;
  parallaxMas: Float64Array;
  /** Noiseless apparent magnitudes (including extinction and companions). */
  mag: Record<Band, Float64Array>;
}

/** The physics batch columns (Teff, log g, [M/H], log L, A_V, R_V, distance) of the given rows. */
function starColumns(truth: ChunkTruth, rows: readonly number[]): PhotometryBatch {
  const pick = (values: Float64Array): Float64Array => Float64Array.from(rows, (r) => values[r] as number);
  return {
    teff: pick(truth.teff),
    logg: pick(truth.logg),
    mh: pick(truth.mh),
    logL: pick(truth.logLum),
    av: pick(truth.av),
    rv: pick(truth.rv),
    distancePc: pick(truth.distancePc),
  };
}

export type SpectrumName = 'spectrum.lamost' | 'spectrum.apogee' | 'spectrum.boss';

/** One survey's spectra in a chunk, for the observed rows only (a full-width block of ~8000 pixels per
 * row would cost hundreds of MB per chunk): `rowIndex` (increasing) says which rows they belong to. */
export interface SpectrumBlock {
  pixels: number;
  rowIndex: Int32Array;
  flux: Float32Array;
  error: Float32Array;
}

export interface ChunkResult {
  index: number;
  candidates: number;
  truth: ChunkTruth;
  observed: Observations;
  /** XP spectra of the rows with `observed.hasXp` (row-major, `xpLength` per row; NaN rows elsewhere),
   * noisy fluxes and their 1σ errors; absent unless the config asks for XP. */
  xp?: { length: number; flux: Float32Array; error: Float32Array };
  /** Survey spectra (noisy) of the rows each survey observed; present for the surveys the config asks for. */
  spectra?: Partial<Record<SpectrumName, SpectrumBlock>>;
}

/** Everything drawn for the chunk's candidates before any photometry. */
interface Draws {
  n: number;
  source: Uint8Array;
  component: Uint8Array;
  clusterId: Int32Array;
  l: Float64Array;
  b: Float64Array;
  d: Float64Array;
  /** Fixed foreground A_V (clusters with `av`), NaN: from the dust model. */
  avFixed: Float64Array;
  /** How the velocity is drawn for a kept row: the field law's index (field), BROAD_AGE_VELOCITY, or
   * CLUSTER_VELOCITY (bulk + isotropic dispersion, below). */
  velocityKind: Int16Array;
  bulkU: Float64Array;
  bulkV: Float64Array;
  bulkW: Float64Array;
  sigmaKms: Float64Array;
}

const BROAD_AGE_VELOCITY = -1;
const CLUSTER_VELOCITY = -2;

/** Bits of a source_id's running number that index the candidate within its chunk. */
function candidateBits(chunkSize: number): number {
  return Math.ceil(Math.log2(chunkSize));
}

export function simulateChunk(model: SimulationModel, splines: GaiaSplines, spec: ChunkSpec): ChunkResult {
  const { config, port } = model;
  const n = spec.count;
  const inputs = allocateInputs(n);
  const draws = drawCandidates(model, spec, inputs);

  // Dust, R_V, discs and binaries: their own streams.
  const dustRng = Random.stream(config.seed, spec.index, 'dust');
  const extraRng = Random.stream(config.seed, spec.index, 'binaries-discs');
  const hasDisk = new Uint8Array(n);
  const binaryQ = new Float64Array(n);
  const [mhLo, mhHi] = port.mhRange;
  const unresolved = config.binaries.enabled ? config.binaries.unresolvedFraction : 0;
  for (let i = 0; i < n; i++) {
    const fixed = draws.avFixed[i] as number;
    inputs.av[i] = Number.isNaN(fixed)
      ? model.dust.extinction(draws.l[i] as number, draws.b[i] as number, draws.d[i] as number)
      : fixed;
    inputs.rv[i] = drawRv(dustRng, config.dust.rvMean, config.dust.rvSigma);
    inputs.mh[i] = Math.min(mhHi, Math.max(mhLo, inputs.mh[i] as number));
    const ageMyr = 10 ** ((inputs.logAge[i] as number) - 6);
    hasDisk[i] = extraRng.uniform() < diskFraction(ageMyr, config.diskDecayMyr) ? 1 : 0;
    const isBinary = extraRng.uniform() < unresolved * binaryFraction(inputs.massInit[i] as number);
    const q = Q_MIN + (1 - Q_MIN) * extraRng.uniform();
    binaryQ[i] = isBinary ? q : 0;
  }
  inputs.count = n;
  const outputs = allocateOutputs(port.bands, n);
  port.compute(inputs, outputs);

  // Companions: same age, [M/H] and dust; their light adds to the primary's.
  let nBinaries = 0;
  for (let i = 0; i < n; i++) {
    const q = binaryQ[i] as number;
    if (q > 0 && outputs.alive[i] === 1 && (inputs.massInit[i] as number) * q >= STELLAR_MASS_MIN)
      nBinaries++;
  }
  const companionIn = allocateInputs(nBinaries);
  const primaryOf = new Int32Array(nBinaries);
  for (let i = 0, k = 0; i < n; i++) {
    const q = binaryQ[i] as number;
    if (!(q > 0 && outputs.alive[i] === 1 && (inputs.massInit[i] as number) * q >= STELLAR_MASS_MIN))
      continue;
    primaryOf[k] = i;
    companionIn.logAge[k] = inputs.logAge[i] as number;
    companionIn.mh[k] = inputs.mh[i] as number;
    companionIn.massInit[k] = (inputs.massInit[i] as number) * q;
    companionIn.av[k] = inputs.av[i] as number;
    companionIn.rv[k] = inputs.rv[i] as number;
    k++;
  }
  companionIn.count = nBinaries;
  const companionOut = allocateOutputs(port.bands, nBinaries);
  if (nBinaries > 0) port.compute(companionIn, companionOut);

  // Apparent magnitudes (band by band, companions folded in) and the magnitude limit.
  const modulus = new Float64Array(n);
  for (let i = 0; i < n; i++) modulus[i] = 5 * Math.log10(draws.d[i] as number) - 5;
  const apparent = {} as Record<Band, Float64Array>;
  const hasCompanion = new Uint8Array(n);
  for (let k = 0; k < nBinaries; k++)
    if (companionOut.alive[k] === 1) hasCompanion[primaryOf[k] as number] = 1;
  for (const band of port.bands) {
    const out = outputs.absMag[band];
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (modulus[i] as number);
    const companionAbs = companionOut.absMag[band];
    for (let k = 0; k < nBinaries; k++) {
      if (companionOut.alive[k] !== 1) continue;
      const i = primaryOf[k] as number;
      out[i] = combineMagnitudes(out[i] as number, (companionAbs[k] as number) + (modulus[i] as number));
    }
    apparent[band] = out;
  }
  // Disc light of the stars with a disc (living ones), added like a companion's.
  const disks = new Map<number, DiskDraw>();
  if (model.diskLight !== null) {
    const diskRng = Random.stream(config.seed, spec.index, 'disks');
    for (let i = 0; i < n; i++) {
      if (hasDisk[i] !== 1 || outputs.alive[i] !== 1) continue;
      const disk = drawDisk(diskRng);
      disks.set(i, disk);
      const light = model.diskLight.magnitudes(
        10 ** (outputs.logLum[i] as number),
        draws.d[i] as number,
        inputs.av[i] as number,
        inputs.rv[i] as number,
        disk,
      );
      for (const band of port.bands)
        apparent[band][i] = combineMagnitudes(apparent[band][i] as number, light[band]);
    }
  }
  const limitMag = apparent[config.magnitudeLimit.band];
  const limit = config.magnitudeLimit.max;
  const keep = new Int32Array(n);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    if (outputs.alive[i] !== 1 || !((limitMag[i] as number) <= limit)) continue;
    keep[rows++] = i;
  }

  const truth = allocateTruth(rows, port.bands);
  const kinematics = Random.stream(config.seed, spec.index, 'kinematics');
  const running = new Float64Array(rows);
  const runningBase = spec.index * 2 ** candidateBits(config.chunkSize);
  for (let r = 0; r < rows; r++) {
    const i = keep[r] as number;
    running[r] = runningBase + i;
    truth.source[r] = draws.source[i] as number;
    truth.component[r] = draws.component[i] as number;
    truth.clusterId[r] = draws.clusterId[i] as number;
    const l = draws.l[i] as number;
    const b = draws.b[i] as number;
    const d = draws.d[i] as number;
    const eq = galacticToIcrs(l, b);
    truth.lDeg[r] = l;
    truth.bDeg[r] = b;
    truth.raDeg[r] = eq.raDeg;
    truth.decDeg[r] = eq.decDeg;
    truth.distancePc[r] = d;
    truth.logAge[r] = inputs.logAge[i] as number;
    truth.massInit[r] = inputs.massInit[i] as number;
    truth.mh[r] = inputs.mh[i] as number;
    truth.av[r] = inputs.av[i] as number;
    truth.rv[r] = inputs.rv[i] as number;
    truth.teff[r] = outputs.teff[i] as number;
    truth.logg[r] = outputs.logg[i] as number;
    truth.logLum[r] = outputs.logLum[i] as number;
    truth.radius[r] = outputs.radius[i] as number;
    truth.binaryQ[r] = hasCompanion[i] === 1 ? (binaryQ[i] as number) : 0;
    truth.hasDisk[r] = hasDisk[i] as number;
    const disk = hasDisk[i] === 1 ? disks.get(i) : undefined;
    truth.diskLumFraction[r] = disk?.lumFraction ?? Number.NaN;
    truth.diskTempIndex[r] = disk?.tempIndex ?? Number.NaN;
    truth.diskInclinationDeg[r] = disk?.inclinationDeg ?? Number.NaN;
    const vel = drawRowVelocity(model, draws, i, kinematics);
    const astrometry = velocityToAstrometry(vel.u, vel.v, vel.w, eq.raDeg, eq.decDeg, d);
    truth.pmraMasYr[r] = astrometry.pmraMasYr;
    truth.pmdecMasYr[r] = astrometry.pmdecMasYr;
    truth.radialVelocityKms[r] = astrometry.radialVelocityKms;
    truth.parallaxMas[r] = 1000 / d;
  }
  truth.sourceId = sourceIds(truth.raDeg, truth.decDeg, running);
  for (const band of port.bands) {
    const src = apparent[band];
    const dst = truth.mag[band];
    for (let r = 0; r < rows; r++) dst[r] = src[keep[r] as number] as number;
  }

  const observed = observe(truth, splines, config.survey, Random.stream(config.seed, spec.index, 'observe'));
  const result: ChunkResult = { index: spec.index, candidates: n, truth, observed };
  if (config.xp) result.xp = simulateXp(model, truth, observed, Random.stream(config.seed, spec.index, 'xp'));
  if (config.spectra.length > 0) result.spectra = simulateSurveySpectra(model, truth, observed, spec.index);
  return result;
}

/**
 * Survey spectra of the primary star for the rows each survey's selection observed (observe.ts), with the
 * survey's noise law. A star the spectral library cannot make (Teff outside 2000-7000 K) is dropped from
 * that survey's selection, so `spectrum.<survey>.observed` always means a spectrum is there.
 */
function simulateSurveySpectra(
  model: SimulationModel,
  truth: ChunkTruth,
  observed: Observations,
  chunkIndex: number,
): Partial<Record<SpectrumName, SpectrumBlock>> {
  const { config, port } = model;
  if (port.surveySpectra === undefined)
    throw new Error('simulation: the config asks for survey spectra but the photometry offers none');
  const blocks: Partial<Record<SpectrumName, SpectrumBlock>> = {};
  for (const survey of config.spectra) {
    const name: SpectrumName = `spectrum.${survey}`;
    const mask = observed.spectra[name] as Uint8Array;
    const picked: number[] = [];
    for (let r = 0; r < truth.rows; r++) if (mask[r] === 1) picked.push(r);
    const spectra = port.surveySpectra(survey);
    const pixels = spectra.pixels;
    const noisy = new Float32Array(picked.length * pixels);
    const error = new Float32Array(picked.length * pixels);
    const flags = new Uint8Array(picked.length);
    const rng = Random.stream(config.seed, chunkIndex, `spectra-${survey}`);
    spectra.run(starColumns(truth, picked), noisy, error, flags, () => rng.uniform());
    // Keep the stars with a spectrum (flag bit 1: outside the library).
    const kept: number[] = [];
    picked.forEach((r, k) => {
      if (((flags[k] as number) & 1) === 0) kept.push(k);
      else mask[r] = 0;
    });
    const flux = new Float32Array(kept.length * pixels);
    const err = new Float32Array(kept.length * pixels);
    kept.forEach((k, j) => {
      flux.set(noisy.subarray(k * pixels, (k + 1) * pixels), j * pixels);
      err.set(error.subarray(k * pixels, (k + 1) * pixels), j * pixels);
    });
    blocks[name] = { pixels, rowIndex: Int32Array.from(kept, (k) => picked[k] as number), flux, error: err };
  }
  return blocks;
}

/** A kept star's heliocentric velocity: its field law's velocity ellipsoid at its position, the thin
 * disc's for the broad age prior, or its cluster's bulk motion plus the internal dispersion. */
function drawRowVelocity(model: SimulationModel, draws: Draws, i: number, rng: Random): Velocity {
  const kind = draws.velocityKind[i] as number;
  if (kind === CLUSTER_VELOCITY) {
    const sigma = draws.sigmaKms[i] as number;
    return {
      u: (draws.bulkU[i] as number) + sigma * rng.normal(),
      v: (draws.bulkV[i] as number) + sigma * rng.normal(),
      w: (draws.bulkW[i] as number) + sigma * rng.normal(),
    };
  }
  const law = kind === BROAD_AGE_VELOCITY ? THIN_BROAD_AGE : (model.fieldLaws[kind] as ComponentLaw);
  const g = toGalactocentric(draws.l[i] as number, draws.b[i] as number, draws.d[i] as number);
  return drawVelocity(rng, g.xPc, g.yPc, law.sigmaUVW, law.lagKms);
}

/** Draws the chunk's candidates from its source(s): positions, masses, ages, [M/H] (into `inputs`). */
function drawCandidates(model: SimulationModel, spec: ChunkSpec, inputs: StarInputs): Draws {
  const { config, port } = model;
  const n = spec.count;
  const rng = Random.stream(config.seed, spec.index, 'stars');
  const draws: Draws = {
    n,
    source: new Uint8Array(n),
    component: new Uint8Array(n),
    clusterId: new Int32Array(n).fill(-1),
    l: new Float64Array(n),
    b: new Float64Array(n),
    d: new Float64Array(n),
    avFixed: new Float64Array(n).fill(Number.NaN),
    velocityKind: new Int16Array(n),
    bulkU: new Float64Array(n),
    bulkV: new Float64Array(n),
    bulkW: new Float64Array(n),
    sigmaKms: new Float64Array(n),
  };
  const [ageLo, ageHi] = port.logAgeRange;
  const clampAge = (logAge: number): number => Math.min(ageHi, Math.max(ageLo, logAge));
  const { logAge, mh, massInit } = inputs;
  if (spec.source === SOURCE_MIXTURE) {
    // A training chunk: each star's source drawn from the mixture weights, then drawn source by source
    // (field, cluster members, broad age prior: contiguous blocks of the chunk).
    const { field, clusters, broadAge } = config.mixture;
    const cumulative = [field, field + clusters, field + clusters + broadAge];
    const split = Random.stream(config.seed, spec.index, 'mixture-split');
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const source = split.pickCumulative(cumulative);
      counts[source] = (counts[source] as number) + 1;
    }
    const [nField, nClusters] = counts as [number, number, number];
    if (nField > 0) drawField(model, rng, draws, 0, nField, logAge, mh, massInit);
    if (nClusters > 0)
      drawPriorClusters(model, rng, draws, nField, nField + nClusters, spec.index, logAge, mh, massInit);
    if (nField + nClusters < n) drawBroadAge(model, rng, draws, nField + nClusters, n, logAge, mh, massInit);
  } else if (spec.source === SOURCE_FIELD) drawField(model, rng, draws, 0, n, logAge, mh, massInit);
  else if (spec.source === SOURCE_BROAD_AGE) drawBroadAge(model, rng, draws, 0, n, logAge, mh, massInit);
  else if (spec.clusterIndex >= 0) {
    const cluster = config.clusters[spec.clusterIndex] as ClusterConfig;
    drawCluster(model, rng, draws, 0, n, cluster, spec.clusterIndex + 1, logAge, mh, massInit);
  } else drawPriorClusters(model, rng, draws, 0, n, spec.index, logAge, mh, massInit);
  for (let i = 0; i < n; i++) logAge[i] = clampAge(logAge[i] as number);
  return draws;
}

/**
 * XP spectra of the primary star (an unresolved companion's light is left out of the spectrum) for the
 * rows Gaia would publish them for, with Gaussian noise from the physics' calibrated error model.
 */
function simulateXp(
  model: SimulationModel,
  truth: ChunkTruth,
  observed: Observations,
  rng: Random,
): ChunkResult['xp'] {
  const port = model.port;
  if (port.xp === undefined || port.xpLength === undefined) {
    throw new Error('simulation: the config asks for XP spectra but the photometry offers none');
  }
  const length = port.xpLength;
  const rows: number[] = [];
  for (let r = 0; r < truth.rows; r++) if (observed.hasXp[r] === 1) rows.push(r);
  const fluxSome = new Float32Array(rows.length * length);
  const errorSome = new Float32Array(rows.length * length);
  port.xp(starColumns(truth, rows), fluxSome, errorSome);
  const flux = new Float32Array(truth.rows * length).fill(Number.NaN);
  const error = new Float32Array(truth.rows * length).fill(Number.NaN);
  rows.forEach((r, k) => {
    for (let j = 0; j < length; j++) {
      const sigma = errorSome[k * length + j] as number;
      flux[r * length + j] = (fluxSome[k * length + j] as number) + sigma * rng.normal();
      error[r * length + j] = sigma;
    }
  });
  return { length, flux, error };
}

function allocateTruth(rows: number, bands: readonly Band[]): ChunkTruth {
  const f = (): Float64Array => new Float64Array(rows);
  const mag = {} as Record<Band, Float64Array>;
  for (const band of bands) mag[band] = f();
  return {
    rows,
    sourceId: new BigInt64Array(rows),
    source: new Uint8Array(rows),
    component: new Uint8Array(rows),
    clusterId: new Int32Array(rows),
    lDeg: f(),
    bDeg: f(),
    raDeg: f(),
    decDeg: f(),
    distancePc: f(),
    logAge: f(),
    massInit: f(),
    mh: f(),
    av: f(),
    rv: f(),
    teff: f(),
    logg: f(),
    logLum: f(),
    radius: f(),
    binaryQ: f(),
    hasDisk: new Uint8Array(rows),
    diskLumFraction: f(),
    diskTempIndex: f(),
    diskInclinationDeg: f(),
    pmraMasYr: f(),
    pmdecMasYr: f(),
    radialVelocityKms: f(),
    parallaxMas: f(),
    mag,
  };
}

function drawField(
  model: SimulationModel,
  rng: Random,
  draws: Draws,
  start: number,
  end: number,
  logAge: Float64Array,
  mh: Float64Array,
  mass: Float64Array,
): void {
  const sampler = model.field;
  if (sampler === null)
    throw new Error('simulation: the mixture has a field chunk but the field weight is 0');
  for (let i = start; i < end; i++) {
    const star = sampler.draw(rng);
    const law = model.fieldLaws[star.source] as ComponentLaw;
    draws.l[i] = star.lDeg;
    draws.b[i] = star.bDeg;
    draws.d[i] = star.distancePc;
    draws.source[i] = SOURCE_FIELD;
    draws.component[i] = law.code;
    draws.velocityKind[i] = star.source;
    mass[i] = star.massInit;
    logAge[i] = Math.log10(rng.range(law.ageGyr[0], law.ageGyr[1]) * 1e9);
    const rPc = galactocentricRadius(star.lDeg, star.bDeg, star.distancePc);
    mh[i] = law.mhMean + (law.mhGradientPerKpc * (rPc - SUN_R_PC)) / 1000 + law.mhSigma * rng.normal();
  }
}

function drawBroadAge(
  model: SimulationModel,
  rng: Random,
  draws: Draws,
  start: number,
  end: number,
  logAge: Float64Array,
  mh: Float64Array,
  mass: Float64Array,
): void {
  const sampler = model.broadAge;
  if (sampler === null) throw new Error('simulation: the mixture has a broad-age chunk but its weight is 0');
  const [a0, a1] = model.config.broadAgePrior.logAge;
  const [m0, m1] = model.config.broadAgePrior.mh;
  for (let i = start; i < end; i++) {
    const star = sampler.draw(rng);
    draws.l[i] = star.lDeg;
    draws.b[i] = star.bDeg;
    draws.d[i] = star.distancePc;
    draws.source[i] = SOURCE_BROAD_AGE;
    draws.component[i] = COMPONENT_BROAD_AGE;
    draws.velocityKind[i] = BROAD_AGE_VELOCITY;
    mass[i] = star.massInit;
    logAge[i] = rng.range(a0, a1);
    mh[i] = rng.range(m0, m1);
  }
}

/** Stars of the broad age prior move like the middle-aged thin disc (R03 age bin 4). */
const THIN_BROAD_AGE = componentById('thin4');

const DEG = Math.PI / 180;

/** Galactocentric cylindrical radius (pc) of a heliocentric (l, b, d). */
function galactocentricRadius(lDeg: number, bDeg: number, distancePc: number): number {
  const cb = distancePc * Math.cos(bDeg * DEG);
  return Math.hypot(SUN_R_PC - cb * Math.cos(lDeg * DEG), cb * Math.sin(lDeg * DEG));
}

/** Members of one cluster: IMF masses, a Plummer sphere, Gaussian velocities about the bulk motion. */
function drawCluster(
  model: SimulationModel,
  rng: Random,
  draws: Draws,
  start: number,
  count: number,
  cluster: ClusterConfig,
  clusterId: number,
  logAge: Float64Array,
  mh: Float64Array,
  mass: Float64Array,
): void {
  const cb = Math.cos(cluster.bDeg * DEG);
  const cx = cluster.distancePc * cb * Math.cos(cluster.lDeg * DEG);
  const cy = cluster.distancePc * cb * Math.sin(cluster.lDeg * DEG);
  const cz = cluster.distancePc * Math.sin(cluster.bDeg * DEG);
  let bulk = cluster.velocityKms;
  if (bulk === undefined) {
    const g = toGalactocentric(cluster.lDeg, cluster.bDeg, cluster.distancePc);
    const vel = relativeToSun(g.xPc / g.rPc, g.yPc / g.rPc, 0, V_CIRC_KMS, 0);
    bulk = [vel.u, vel.v, vel.w];
  }
  for (let i = start; i < start + count; i++) {
    // Plummer (1911) sphere by inversion of its cumulative mass, cut at CLUSTER_EXTENT_RADII radii.
    let r: number;
    do {
      const u = rng.uniformOpen();
      r = cluster.radiusPc / Math.sqrt(u ** (-2 / 3) - 1);
    } while (r > CLUSTER_EXTENT_RADII * cluster.radiusPc);
    const cosT = 2 * rng.uniform() - 1;
    const sinT = Math.sqrt(1 - cosT * cosT);
    const phi = 2 * Math.PI * rng.uniform();
    const x = cx + r * sinT * Math.cos(phi);
    const y = cy + r * sinT * Math.sin(phi);
    const z = cz + r * cosT;
    const d = Math.hypot(x, y, z);
    let l = Math.atan2(y, x) / DEG;
    if (l < 0) l += 360;
    draws.l[i] = l;
    draws.b[i] = Math.asin(z / d) / DEG;
    draws.d[i] = d;
    draws.source[i] = SOURCE_CLUSTER;
    draws.component[i] = COMPONENT_CLUSTER;
    draws.clusterId[i] = clusterId;
    mass[i] = model.imf.quantile(rng.uniform(), STELLAR_MASS_MIN, STELLAR_MASS_MAX);
    const ageMyr = Math.max(0.1, cluster.ageMyr + cluster.ageSpreadMyr * rng.normal());
    logAge[i] = Math.log10(ageMyr * 1e6);
    mh[i] = cluster.mh;
    draws.velocityKind[i] = CLUSTER_VELOCITY;
    draws.bulkU[i] = bulk[0];
    draws.bulkV[i] = bulk[1];
    draws.bulkW[i] = bulk[2];
    draws.sigmaKms[i] = cluster.velocityDispersionKms;
    if (cluster.av !== undefined)
      draws.avFixed[i] = Math.max(0, cluster.av + cluster.avSpread * rng.normal());
  }
}

/** Training clusters: θ_C drawn from the prior until the chunk is full (the last one may be cut). */
function drawPriorClusters(
  model: SimulationModel,
  rng: Random,
  draws: Draws,
  start: number,
  end: number,
  chunkIndex: number,
  logAge: Float64Array,
  mh: Float64Array,
  mass: Float64Array,
): void {
  const prior = model.config.clusterPrior;
  const logUniform = (lo: number, hi: number): number => lo * (hi / lo) ** rng.uniform();
  const meanMass = model.imf.meanMass(STELLAR_MASS_MIN, STELLAR_MASS_MAX);
  const region = model.config.region;
  const d0 = prior.distancePc[0];
  // In a cone, the same prior restricted to the cone (cluster-placement.ts).
  const inCone =
    region.kind === 'cone'
      ? new ConePlacement(
          region,
          d0,
          Math.min(prior.distancePc[1], model.config.maxDistancePc),
          prior.scaleHeightPc,
        )
      : null;
  const maxDistance = Math.min(prior.distancePc[1], model.config.volumeRadiusPc);
  let filled = start;
  let k = 0;
  while (filled < end) {
    const placed = inCone?.draw(rng) ?? null;
    // Volume-uniform distance within the range, isotropic in l, exponential in height above the plane.
    const distancePc =
      placed?.distancePc ?? Math.cbrt(d0 ** 3 + rng.uniform() * (maxDistance ** 3 - d0 ** 3));
    const zPc =
      placed === null
        ? Math.min(distancePc * 0.999, prior.scaleHeightPc * -Math.log(rng.uniformOpen())) *
          (rng.uniform() < 0.5 ? -1 : 1)
        : 0;
    const cluster: ClusterConfig = {
      name: `prior-${chunkIndex}-${k}`,
      ageMyr: logUniform(prior.ageMyr[0], prior.ageMyr[1]),
      ageSpreadMyr: 0,
      mh: rng.range(prior.mh[0], prior.mh[1]),
      massMsun: logUniform(prior.massMsun[0], prior.massMsun[1]),
      lDeg: placed?.lDeg ?? 360 * rng.uniform(),
      bDeg: placed?.bDeg ?? Math.asin(zPc / distancePc) / DEG,
      distancePc,
      radiusPc: logUniform(prior.radiusPc[0], prior.radiusPc[1]),
      velocityDispersionKms: rng.range(prior.velocityDispersionKms[0], prior.velocityDispersionKms[1]),
      avSpread: 0,
    };
    const members = Math.max(1, rng.poisson((cluster.massMsun as number) / meanMass));
    const take = Math.min(members, end - filled);
    drawCluster(
      model,
      rng,
      draws,
      filled,
      take,
      cluster,
      1_000_000 + chunkIndex * 1000 + k,
      logAge,
      mh,
      mass,
    );
    filled += take;
    k++;
  }
}
