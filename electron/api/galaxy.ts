// The Galaxy view's contract: load the stars of a catalogue, a run or the simulator's demo sky as
// per-star typed arrays (positions in heliocentric Galactic Cartesian pc, log age and its 1σ width,
// distance and its 1σ width), with where the ages came from so the UI never shows simulated truth as
// a posterior.
import { z } from 'zod';
import { AbsolutePath } from './common.ts';

const Float32Values = z.custom<Float32Array>(
  (value) => value instanceof Float32Array,
  'expected a Float32Array',
);

export const GalaxyLoadParams = z
  .object({
    /** An inference run folder (run.json), a simulator output folder (truth.parquet) or a Parquet catalogue. */
    path: AbsolutePath,
  })
  .strict();

/** Where the ages and distances came from: simulated truth is never a posterior. */
export const GalaxyAgeSource = z.enum(['simulated-truth', 'catalogue', 'posterior']);
export type GalaxyAgeSource = z.infer<typeof GalaxyAgeSource>;

const Uint32Values = z.custom<Uint32Array>((value) => value instanceof Uint32Array, 'expected a Uint32Array');
const Uint8Values = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array');

/**
 * The level-of-detail octree over the stars (electron/galaxy/lod.ts): the per-star arrays below are in
 * its order, each node's points one contiguous range; children of a node are consecutive.
 */
export const GalaxyOctree = z.object({
  nodeStart: Uint32Values,
  nodePoints: Uint32Values,
  nodeLevel: Uint8Values,
  /** minX, minY, minZ, size (pc) per node. */
  nodeCube: Float32Values,
  nodeFirstChild: Uint32Values,
  nodeChildCount: Uint8Values,
});
export type GalaxyOctree = z.infer<typeof GalaxyOctree>;

export const GalaxyStars = z.object({
  path: z.string(),
  source: GalaxyAgeSource,
  /** The run folder (source 'posterior'): the Star view opens its stars by inputRow. */
  runDir: z.string().nullable(),
  /** Stars placed (with a position); the arrays hold these, in octree order. */
  count: z.number().int().nonnegative(),
  /** Stars without a distance, left out. */
  unplaced: z.number().int().nonnegative(),
  octree: GalaxyOctree,
  /** x, y, z per star (pc; X toward the Galactic centre, Z toward the NGP). */
  positions: Float32Values,
  /** log10(age / yr); NaN where unknown. */
  logAge: Float32Values,
  /** Half the 16–84% width of log age (0 for simulated truth). */
  logAgeError: Float32Values,
  distancePc: Float32Values,
  distanceErrorPc: Float32Values,
  /** Source identifiers (exact for ids below 2^53). */
  sourceId: z.custom<BigInt64Array>((value) => value instanceof BigInt64Array, 'expected a BigInt64Array'),
  /** Each star's row in the run's input table and summary (runs only). */
  inputRow: Uint32Values.nullable(),
  /** P(age < 50 Myr); −1 where unknown. */
  pYoung: Float32Values,
  /** 1 where the run flagged an observed input outside the model's training range (not clustered). */
  outsideTraining: Float32Values,
  /** Gaia BP − RP and M_G (G − 5 log10(d/10 pc), not dereddened); NaN where not observed. */
  colour: Float32Values,
  absMag: Float32Values,
  /** Tangential velocity along l and b, km/s (NaN without proper motion). */
  vLKms: Float32Values,
  vBKms: Float32Values,
  /** Simulated cluster id (NaN for field stars), only for the demo sky. */
  truthCluster: Float32Values.nullable(),
});
export type GalaxyStars = z.infer<typeof GalaxyStars>;

export const GalaxyClustersParams = z
  .object({
    path: AbsolutePath,
    minClusterSize: z.number().int().min(2).max(100_000).default(20),
    minSamples: z.number().int().min(1).max(100_000).optional(),
    /** pc per km/s applied to tangential velocities (SPYGLASS weighting). */
    velocityScale: z.number().min(0).max(1000).default(6),
    /** Only stars whose log age minus its 1σ half-width is at most this seed the clusters (log10 yr). */
    maxLogAge: z.number().min(4).max(11).default(8),
    /** Other stars join a found cluster at this membership strength or more (clusters.ts). */
    joinStrength: z.number().min(0).max(1).default(0.5),
  })
  .strict();

export const GalaxyCluster = z.object({
  id: z.number().int(),
  members: z.number().int(),
  /** Members that seeded the cluster (young within 1σ); the rest joined it. */
  youngMembers: z.number().int(),
  centre: z.tuple([z.number(), z.number(), z.number()]),
  /** Galactic longitude and latitude of the centre, degrees. */
  lDeg: z.number(),
  bDeg: z.number(),
  distancePc: z.number(),
  logAge: z.number(),
  logAgeSigma: z.number(),
  /** 'prior-divided': the run's posteriors with the model's prior divided out; 'gaussian': medians and widths. */
  ageMethod: z.enum(['prior-divided', 'gaussian']),
});
export type GalaxyCluster = z.infer<typeof GalaxyCluster>;

export const GalaxyClusters = z.object({
  clusters: z.array(GalaxyCluster),
  /** Cluster id per star in the order of galaxy.load's arrays (−1: none). */
  labels: z.custom<Int32Array>((value) => value instanceof Int32Array, 'expected an Int32Array'),
});
