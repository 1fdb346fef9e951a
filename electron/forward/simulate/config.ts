// The simulation's configuration: one zod schema with defaults, so a config file, a preset, the CLI and
// the UI job all describe a run the same way, and the resolved config is what the manifest records.
import { z } from 'zod';
import { DISK_DECAY_MYR } from '../clusters/disk-fraction.ts';

const ComponentIdSchema = z.enum([
  'thin1',
  'thin2',
  'thin3',
  'thin4',
  'thin5',
  'thin6',
  'thin7',
  'thick',
  'halo',
  'bulge',
]);
const ALL_COMPONENTS = [
  'thin1',
  'thin2',
  'thin3',
  'thin4',
  'thin5',
  'thin6',
  'thin7',
  'thick',
  'halo',
  'bulge',
] as const;

export const RegionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('cone'),
      lDeg: z.number().min(-360).max(360),
      bDeg: z.number().min(-90).max(90),
      radiusDeg: z.number().positive().max(180),
    })
    .strict(),
  z.object({ kind: z.literal('sphere') }).strict(),
]);

/** Members are drawn within this many Plummer radii of their cluster's centre (chunk.ts). */
export const CLUSTER_EXTENT_RADII = 10;

/**
 * A configured cluster is simulated whole, wherever it is: one straddling the edge of the region keeps
 * its members beyond the edge (its member count is the one the config asks for). One that lies wholly
 * outside the region (no member could fall inside the cone, or all lie beyond the region's distance) is
 * refused, since a mock catalogue of the region would hold stars outside it.
 */
export const ClusterSchema = z
  .object({
    name: z.string().min(1),
    ageMyr: z.number().positive().max(14000),
    /** Gaussian spread of member ages (Myr); 0 = a single burst. */
    ageSpreadMyr: z.number().min(0).default(0),
    mh: z.number().min(-2.5).max(0.6).default(0),
    /** Total initial stellar mass (M☉), or `nStars` members (0.08–120 M☉) — one of the two. */
    massMsun: z.number().positive().optional(),
    nStars: z.number().int().positive().optional(),
    lDeg: z.number(),
    bDeg: z.number().min(-90).max(90),
    distancePc: z.number().positive(),
    /** Plummer scale radius (pc). */
    radiusPc: z.number().positive().default(2),
    /** 1D velocity dispersion (km/s). */
    velocityDispersionKms: z.number().min(0).default(1),
    /** Heliocentric space velocity (U, V, W) km/s; default: circular rotation at the cluster's position. */
    velocityKms: z.tuple([z.number(), z.number(), z.number()]).optional(),
    /** Foreground A_V; default: the dust model to the centre. */
    av: z.number().min(0).optional(),
    /** Member-to-member A_V scatter (mag, Gaussian, A_V kept ≥ 0). */
    avSpread: z.number().min(0).default(0),
  })
  .strict()
  .refine((c) => (c.massMsun === undefined) !== (c.nStars === undefined), {
    message: 'give exactly one of massMsun and nStars',
  });
export type ClusterConfig = z.output<typeof ClusterSchema>;

/** The prior over θ_C for training clusters: log-uniform ages and masses, volume-uniform positions. */
export const ClusterPriorSchema = z
  .object({
    ageMyr: z.tuple([z.number().positive(), z.number().positive()]).default([1, 300]),
    massMsun: z.tuple([z.number().positive(), z.number().positive()]).default([50, 3000]),
    distancePc: z.tuple([z.number().positive(), z.number().positive()]).default([50, 1500]),
    mh: z.tuple([z.number(), z.number()]).default([-0.3, 0.3]),
    radiusPc: z.tuple([z.number().positive(), z.number().positive()]).default([0.5, 5]),
    velocityDispersionKms: z.tuple([z.number().min(0), z.number().min(0)]).default([0.3, 2]),
    /** Disc scale height of cluster positions (pc). */
    scaleHeightPc: z.number().positive().default(60),
  })
  .strict();
export type ClusterPrior = z.output<typeof ClusterPriorSchema>;

export const BroadAgePriorSchema = z
  .object({
    /** log10 age range (yr), uniform. */
    logAge: z.tuple([z.number(), z.number()]).default([6, 10.1]),
    mh: z.tuple([z.number(), z.number()]).default([-1, 0.4]),
  })
  .strict();

/**
 * Relative weights of a training run's sources: finite and ≥ 0 (their sum must be finite too). With
 * `clusters` and `broadAge` 0 the weights are not a training mixture: `field` then only says whether the
 * Galactic field is simulated, and all three 0 is a catalogue of the configured clusters alone (refused
 * when there are none: nothing to simulate).
 */
export const MixtureSchema = z
  .object({
    field: z.number().min(0).default(1),
    clusters: z.number().min(0).default(0),
    broadAge: z.number().min(0).default(0),
  })
  .strict()
  .refine((m) => Number.isFinite(m.field + m.clusters + m.broadAge), {
    message: 'the weights must add up to a finite number',
  });

export const DustSchema = z
  .object({
    kappa0MagPerKpc: z.number().min(0).default(0.7),
    scaleHeightPc: z.number().positive().default(125),
    scaleLengthPc: z.number().positive().default(3000),
    clumpMagPerKpc: z.number().min(0).default(0.5),
    clumpRadiusPc: z.number().positive().max(10000).default(3000),
    rvMean: z.number().min(2).max(6).default(3.1),
    rvSigma: z.number().min(0).max(1).default(0.18),
  })
  .strict();

export const SurveySchema = z
  .object({
    /** Random loss of each observable group (Gaia, 2MASS, WISE bands) on top of depth and coverage. */
    dropout: z.number().min(0).max(0.95).default(0.05),
    /** Gaia numbers of observations relative to the spline's reference (200 in G, 20 in BP/RP). */
    gaiaNobsScale: z.number().positive().default(1),
    /** A floor added in quadrature to the reported photometric uncertainties (model colours). */
    modelFloorMag: z.number().min(0).default(0),
  })
  .strict();

/**
 * The physics the photometry runs on (recorded in the manifest, so a domain-shift data set says what it
 * changed). `atmospheres`: the SED library behind the bolometric corrections (electron/forward/physics/
 * atmospheres.ts: `kurucz` = Castelli & Kurucz 2004 above 3750 K, `btsettl` = BT-Settl CIFIST below
 * 6750 K). `pmsIsochrones`: a solar pre-main-sequence grid (Baraffe et al. 2015; Feiden 2016 non-magnetic;
 * MIST v1.2; PARSEC v1.2/v2.0 as ysoisochrone resamples them) that replaces PARSEC v1.2S for stars no
 * older than `pmsMaxLogAge` inside the grid's mass range; null: PARSEC v1.2S for every star.
 */
export const PhysicsSchema = z
  .object({
    atmospheres: z.enum(['kurucz', 'btsettl']).default('kurucz'),
    pmsIsochrones: z
      .enum(['baraffe2015', 'feiden2016', 'mist_v1p2', 'parsec_v1p2', 'parsec_v2p0'])
      .nullable()
      .default(null),
    pmsMaxLogAge: z.number().min(5.7).max(9).default(8),
  })
  .strict();
export type PhysicsConfig = z.output<typeof PhysicsSchema>;

export const SimulationConfigSchema = z
  .object({
    name: z.string().default('simulation'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 52)
      .default(1),
    region: RegionSchema.default({ kind: 'cone', lDeg: 90, bDeg: 30, radiusDeg: 1 }),
    /** Stars beyond this distance are not simulated (pc). */
    maxDistancePc: z.number().positive().default(30000),
    /** For the sphere region and the cluster/broad-age sources: the volume's radius (pc). */
    volumeRadiusPc: z.number().positive().default(2000),
    magnitudeLimit: z
      .object({ band: z.enum(['gaia.g', 'tmass.ks']).default('gaia.g'), max: z.number().default(20) })
      .strict()
      .default({ band: 'gaia.g', max: 20 }),
    components: z
      .array(ComponentIdSchema)
      .min(1)
      .default([...ALL_COMPONENTS]),
    /** IMF of the Galactic components: each its own from Robin et al. (2003) Table 1 (components.ts), or
     * Kroupa (2001) for all, as simulator 0.2 did (the shipped model's training set pins it). */
    fieldImf: z.enum(['robin2003', 'kroupa2001']).default('robin2003'),
    /** Rows to produce; absent: the physical expectation of the region (field) plus every cluster. */
    stars: z.number().int().positive().optional(),
    mixture: MixtureSchema.default({ field: 1, clusters: 0, broadAge: 0 }),
    clusters: z.array(ClusterSchema).default([]),
    clusterPrior: ClusterPriorSchema.default(ClusterPriorSchema.parse({})),
    broadAgePrior: BroadAgePriorSchema.default(BroadAgePriorSchema.parse({})),
    dust: DustSchema.default(DustSchema.parse({})),
    physics: PhysicsSchema.default(PhysicsSchema.parse({})),
    binaries: z
      .object({ enabled: z.boolean().default(true), unresolvedFraction: z.number().min(0).max(1).default(1) })
      .strict()
      .default({ enabled: true, unresolvedFraction: 1 }),
    survey: SurveySchema.default(SurveySchema.parse({})),
    /** Candidate stars per chunk (the unit of work and of determinism). */
    chunkSize: z
      .number()
      .int()
      .min(256)
      .max(1 << 20)
      .default(16384),
    /** Give young stars a circumstellar disc (fraction vs age: clusters/disk-fraction.ts) whose light
     * adds in the IR. */
    disks: z.boolean().default(true),
    /** e-folding time (Myr) of the disc fraction, exp(-t/τ); the default is Polnitzky et al. (2026)'s. */
    diskDecayMyr: z.number().positive().max(1000).default(DISK_DECAY_MYR),
    /** Simulate Gaia XP spectra (with noise) for the stars DR3 would publish them for (G < 17.65). */
    xp: z.boolean().default(false),
    /** Survey spectra (noisy, at each survey's resolution) for the stars its selection observes, written
     * into training shards as `spectrum.<survey>` list columns (electron/forward/physics/survey-spectra.ts). */
    spectra: z.array(z.enum(['lamost', 'apogee', 'boss'])).default([]),
    /** Rows per training shard file. */
    shardRows: z.number().int().positive().default(200000),
  })
  .strict()
  .refine((c) => c.mixture.field + c.mixture.clusters + c.mixture.broadAge > 0 || c.clusters.length > 0, {
    message: 'nothing to simulate: the mixture weights are all 0 and there are no clusters',
    path: ['mixture'],
  });

const DEG = Math.PI / 180;

/** Angle (degrees) between two directions in Galactic coordinates (haversine: exact at small angles). */
function separationDeg(l1: number, b1: number, l2: number, b2: number): number {
  const h =
    Math.sin(((b2 - b1) * DEG) / 2) ** 2 +
    Math.cos(b1 * DEG) * Math.cos(b2 * DEG) * Math.sin(((l2 - l1) * DEG) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h)))) / DEG;
}

function degrees(x: number): string {
  return `${Number(x.toFixed(2))}°`;
}

/** Why no member of `cluster` can fall in the config's region, or null when some can. */
function outsideRegion(
  cluster: z.output<typeof ClusterSchema>,
  config: {
    region: z.output<typeof RegionSchema>;
    maxDistancePc: number;
    volumeRadiusPc: number;
  },
): string | null {
  const { region } = config;
  const extentPc = CLUSTER_EXTENT_RADII * cluster.radiusPc;
  const where = `cluster '${cluster.name}' at (l, b) = (${degrees(cluster.lDeg)}, ${degrees(cluster.bDeg)}), ${cluster.distancePc} pc`;
  const maxDistance =
    region.kind === 'sphere' ? Math.min(config.volumeRadiusPc, config.maxDistancePc) : config.maxDistancePc;
  if (cluster.distancePc - extentPc > maxDistance)
    return `${where}, lies beyond the region's ${maxDistance} pc (its members reach no nearer than ${cluster.distancePc - extentPc} pc): bring it nearer or raise ${region.kind === 'sphere' ? 'volumeRadiusPc/maxDistancePc' : 'maxDistancePc'}`;
  if (region.kind !== 'cone' || extentPc >= cluster.distancePc) return null;
  const separation = separationDeg(region.lDeg, region.bDeg, cluster.lDeg, cluster.bDeg);
  const halfSizeDeg = Math.asin(extentPc / cluster.distancePc) / DEG;
  const gap = separation - halfSizeDeg - region.radiusDeg;
  if (gap <= 0) return null;
  return (
    `${where}, lies ${degrees(separation)} from the centre of the ${degrees(region.radiusDeg)} cone at ` +
    `(l, b) = (${degrees(region.lDeg)}, ${degrees(region.bDeg)}): its members (within ${degrees(halfSizeDeg)} ` +
    `of its centre) stay ${degrees(gap)} outside the cone; move the cluster into the cone or widen the region`
  );
}

export type SimulationConfigInput = z.input<typeof SimulationConfigSchema>;
export type SimulationConfig = z.output<typeof SimulationConfigSchema>;

/**
 * Validates a config object; the error names the file and the path of every bad field. A cluster that
 * cannot reach a region the config sets is refused; without a `region`, the default cone is the field's
 * and the clusters are simulated where they are placed (a config of clusters alone need not give one).
 */
export function parseSimulationConfig(value: unknown, source: string): SimulationConfig {
  const result = SimulationConfigSchema.safeParse(value);
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (result.success && typeof value === 'object' && value !== null && 'region' in value)
    result.data.clusters.forEach((cluster, i) => {
      const message = outsideRegion(cluster, result.data);
      if (message !== null) issues.push(`clusters.${i}: ${message}`);
    });
  if (issues.length > 0) throw new Error(`${source}: invalid simulation config: ${issues.join('; ')}`);
  return result.data!;
}
