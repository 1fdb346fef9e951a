// Young groups in the Galaxy view: HDBSCAN (hdbscan.ts) over heliocentric positions and tangential
// velocities, the velocities multiplied by a scale that turns km/s into pc — the space SPYGLASS
// clusters in (Kerr et al. 2021, ApJ 917, 23, §3: X, Y, Z and c·v_T,l, c·v_T,b; Kounkel & Covey 2019,
// AJ 158, 122, likewise weight positions and tangential motions together), default c = 6 pc per km/s.
// Membership in two steps:
// 1. Seeds: stars whose age may be young — median log age minus its 1σ half-width at most the limit
//    (posterior medians of 20–60 Myr members scatter by ~0.3–0.5 dex, so a cut on the median alone
//    drops up to half of a cluster near the limit; SPYGLASS likewise selects by probability, not by a
//    point age) — are clustered.
// 2. Joiners: every other placed star is put into the finished clustering by HDBSCAN's own placement
//    rule (approximatePredict) and joins a group at a membership strength of at least `joinStrength`.
//    A young group's solar-type and more massive members sit on the main sequence, where a single
//    star's photometry says little about its age (their posteriors follow the prior, old), but they
//    share the group's place and motion; Kounkel & Covey cluster all stars for that reason and date the
//    groups afterwards. Seeding with young stars keeps the old field from forming groups of its own.
// Stars the run flags as outside the model's training range do not take part: their posterior
// distances are unreliable — beyond the training volume they pile up at its edge, where they form a
// spurious dense shell.
// Each cluster's age combines its members' posteriors (cluster-age.ts): with the run's quantiles and the
// model's prior, the prior divided out; otherwise as Gaussians.
import { combineAgePosteriors, combineAges, type PriorHistogram } from './cluster-age.ts';
import { cartesianToGalactic } from './frames.ts';
import { approximatePredict, hdbscan } from './hdbscan.ts';

export interface ClusterInput {
  positions: Float32Array;
  vLKms: Float32Array;
  vBKms: Float32Array;
  logAge: Float32Array;
  logAgeError: Float32Array;
  /** 1 where the star's inputs lie outside the model's training range: left out. */
  outsideTraining?: Float32Array;
  /** A run's log-age quantiles (cluster-age.ts SUMMARY_LEVELS, 5 per star) and the model's prior. */
  ageEvidence?: { quantiles: Float64Array; prior: PriorHistogram };
}

export interface ClusterOptions {
  minClusterSize: number;
  minSamples?: number;
  /** pc per km/s applied to the tangential velocities. */
  velocityScale: number;
  /** Only stars whose log age minus its 1σ half-width is at most this (log10 yr) seed the clusters. */
  maxLogAge: number;
  /** The least membership strength (0–1) at which another star joins a cluster the seeds formed. */
  joinStrength: number;
}

export interface ClusterSummary {
  id: number;
  members: number;
  /** Members that seeded the cluster; the others joined it. */
  youngMembers: number;
  /** Mean position, pc, its Galactic longitude and latitude (degrees) and its distance from the Sun. */
  centre: [number, number, number];
  lDeg: number;
  bDeg: number;
  distancePc: number;
  /** Combined log10(age/yr) and its 1σ. */
  logAge: number;
  logAgeSigma: number;
  /** How the members' ages were combined (cluster-age.ts). */
  ageMethod: 'prior-divided' | 'gaussian';
}

export interface ClusterResult {
  clusters: ClusterSummary[];
  /** Cluster id per star (−1: not in a cluster or not clustered). */
  labels: Int32Array;
}

function featureRows(input: ClusterInput, stars: number[], velocityScale: number): Float64Array {
  const features = new Float64Array(5 * stars.length);
  stars.forEach((i, k) => {
    features.set(
      [
        input.positions[3 * i]!,
        input.positions[3 * i + 1]!,
        input.positions[3 * i + 2]!,
        velocityScale * input.vLKms[i]!,
        velocityScale * input.vBKms[i]!,
      ],
      5 * k,
    );
  });
  return features;
}

export function findClusters(input: ClusterInput, options: ClusterOptions): ClusterResult {
  const n = input.logAge.length;
  const seeds: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < n; i++) {
    const finite = [
      input.positions[3 * i],
      input.positions[3 * i + 1],
      input.positions[3 * i + 2],
      input.vLKms[i],
      input.vBKms[i],
    ].every((v) => Number.isFinite(v));
    if (!finite || input.outsideTraining?.[i] === 1) continue;
    if (input.logAge[i]! - input.logAgeError[i]! <= options.maxLogAge) seeds.push(i);
    else others.push(i);
  }
  const labels = new Int32Array(n).fill(-1);
  if (seeds.length < options.minClusterSize) return { clusters: [], labels };
  const result = hdbscan(featureRows(input, seeds, options.velocityScale), 5, {
    minClusterSize: options.minClusterSize,
    ...(options.minSamples === undefined ? {} : { minSamples: options.minSamples }),
  });
  const members: number[][] = Array.from({ length: result.clusterCount }, () => []);
  seeds.forEach((i, k) => {
    const label = result.labels[k]!;
    labels[i] = label;
    if (label >= 0) members[label]!.push(i);
  });
  const youngMembers = members.map((list) => list.length);
  const placed = approximatePredict(
    result.prediction,
    featureRows(input, others, options.velocityScale),
    options.joinStrength,
  );
  others.forEach((i, k) => {
    const label = placed.labels[k]!;
    if (label < 0 || placed.probabilities[k]! < options.joinStrength) return;
    labels[i] = label;
    members[label]!.push(i);
  });
  const clusters = members.map((list, id): ClusterSummary => {
    const centre: [number, number, number] = [0, 0, 0];
    for (const i of list) for (let c = 0; c < 3; c++) centre[c]! += input.positions[3 * i + c]! / list.length;
    const evidence = input.ageEvidence;
    const divided =
      evidence === undefined
        ? null
        : combineAgePosteriors(
            Float64Array.from(
              { length: 5 * list.length },
              (_, k) => evidence.quantiles[5 * list[(k / 5) | 0]! + (k % 5)]!,
            ),
            evidence.prior,
          );
    const age =
      divided ??
      combineAges(
        list.map((i) => input.logAge[i]!),
        list.map((i) => input.logAgeError[i]!),
      );
    return {
      id,
      members: list.length,
      youngMembers: youngMembers[id]!,
      centre,
      ...cartesianToGalactic(centre),
      logAge: age.logAge,
      logAgeSigma: age.sigma,
      ageMethod: divided === null ? 'gaussian' : 'prior-divided',
    };
  });
  return { clusters, labels };
}
