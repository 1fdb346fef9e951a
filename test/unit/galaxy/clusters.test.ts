// Cluster summaries: the combined age of coeval members (weighted mean, widened to their scatter;
// the median for members without widths), and findClusters on moving groups in a field — young stars
// form the groups, each comes out whole with its centre and distance, older-looking stars that share a
// group's place and motion join it while the field does not, and stars outside the training range are
// left out.
import { describe, expect, it } from 'vitest';
import { combineAges } from '../../../electron/galaxy/cluster-age.ts';
import { findClusters } from '../../../electron/galaxy/clusters.ts';

describe('combined cluster age', () => {
  it('weights members by their posterior widths when they agree', () => {
    const { logAge, sigma } = combineAges([6.9, 7.0, 7.1], [0.1, 0.1, 0.1]);
    expect(logAge).toBeCloseTo(7, 12);
    expect(sigma).toBeCloseTo(Math.max(0.1 / Math.sqrt(3), (1.4826 * 0.1) / Math.sqrt(3)), 12);
  });

  it('takes the median and its scatter error for members without widths (simulated truth)', () => {
    const { logAge, sigma } = combineAges([6, 6.1, 6.2, 9], [0, 0, 0, 0]);
    expect(logAge).toBeCloseTo(6.15, 12);
    expect(sigma).toBeCloseTo((1.4826 * 0.1) / 2, 12);
  });
});

describe('findClusters', () => {
  it('finds two young moving groups in an old field', () => {
    let state = 11;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 400;
    const positions = new Float32Array(3 * n);
    const vL = new Float32Array(n);
    const vB = new Float32Array(n);
    const logAge = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const group = i < 60 ? 0 : i < 140 ? 1 : 2;
      const centre = group === 0 ? [100, 50, -20] : group === 1 ? [300, -80, 10] : [0, 0, 0];
      const spread = group === 2 ? 400 : 3;
      for (let c = 0; c < 3; c++) positions[3 * i + c] = centre[c]! + spread * (random() - 0.5);
      vL[i] = (group === 0 ? 5 : group === 1 ? -8 : 0) + (group === 2 ? 40 : 0.5) * (random() - 0.5);
      vB[i] = (group === 2 ? 40 : 0.5) * (random() - 0.5);
      logAge[i] = group === 0 ? 6.5 : group === 1 ? 7.3 : 9.5;
    }
    const result = findClusters(
      { positions, vLKms: vL, vBKms: vB, logAge, logAgeError: new Float32Array(n) },
      { minClusterSize: 20, velocityScale: 6, maxLogAge: 8, joinStrength: 0.5 },
    );
    expect(result.clusters).toHaveLength(2);
    const byAge = [...result.clusters].sort((a, b) => a.logAge - b.logAge);
    expect(byAge.map((c) => c.members)).toEqual([60, 80]);
    expect(byAge[0]!.logAge).toBeCloseTo(6.5, 5);
    expect(byAge[0]!.centre[0]).toBeCloseTo(100, -1);
    expect(byAge[1]!.distancePc).toBeCloseTo(Math.hypot(300, 80, 10), -1);
    // The group at (300, -80, 10) pc lies at l = 360° + atan2(-80, 300), b = atan2(10, |(300, -80)|).
    expect(byAge[1]!.lDeg).toBeCloseTo(345.07, 0);
    expect(byAge[1]!.bDeg).toBeCloseTo(1.84, 0);
    expect(result.labels[300]).toBe(-1);
    expect(byAge.map((c) => c.youngMembers)).toEqual([60, 80]);
  });

  it('lets main-sequence-looking members join the group their young members form, not the field', () => {
    // Group 1: 120 stars (3 pc, 0.5 km/s), 50 look young (posterior median 7.0), 70 old (9.3, as a
    // 20 Myr solar-type star does to a single-star model). Group 2: 40 young stars elsewhere (HDBSCAN
    // never calls the whole set one cluster, so a lone group would not be found). Field: 600 old stars
    // (400 pc, 40 km/s).
    let state = 7;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 760;
    const positions = new Float32Array(3 * n);
    const vL = new Float32Array(n);
    const vB = new Float32Array(n);
    const logAge = new Float32Array(n);
    const outsideTraining = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const group = i < 120 ? 1 : i < 160 ? 2 : 0;
      const spread = group > 0 ? 3 : 400;
      const centre = group === 1 ? 200 : group === 2 ? -150 : 0;
      for (let c = 0; c < 3; c++) positions[3 * i + c] = centre + spread * (random() - 0.5);
      vL[i] = (group === 1 ? 4 : group === 2 ? -6 : 0) + (group > 0 ? 0.5 : 40) * (random() - 0.5);
      vB[i] = (group > 0 ? 0.5 : 40) * (random() - 0.5);
      logAge[i] = i < 50 || group === 2 ? 7 : 9.3;
    }
    // Two old-looking members flagged outside the training range stay out.
    outsideTraining[118] = 1;
    outsideTraining[119] = 1;
    const input = { positions, vLKms: vL, vBKms: vB, logAge, logAgeError: new Float32Array(n).fill(0.2) };
    const options = { minClusterSize: 20, velocityScale: 6, maxLogAge: 8, joinStrength: 0.5 };
    const joined = findClusters({ ...input, outsideTraining }, options);
    expect(joined.clusters).toHaveLength(2);
    const first = joined.clusters[joined.labels[0]!]!;
    expect(first.youngMembers).toBe(50);
    expect(first.members).toBe(118);
    expect([...joined.labels.slice(0, 118)].every((l) => l === first.id)).toBe(true);
    expect([...joined.labels.slice(118, 120)]).toEqual([-1, -1]);
    expect([...joined.labels.slice(160)].every((l) => l === -1)).toBe(true);
    // Without joining (a strength above 1) only the young members are in it.
    const seedsOnly = findClusters({ ...input, outsideTraining }, { ...options, joinStrength: 1.01 });
    expect(seedsOnly.clusters.map((c) => c.members).sort((x, y) => x - y)).toEqual([40, 50]);
  });
});

describe('which stars are clustered', () => {
  it('takes a star whose age is young within 1σ of its posterior median, not only by the median', () => {
    // Three tight groups 100 pc apart: medians 8.2, 8.2 and 8.5 (σ 0.3), limit 8 → the third is left out.
    const n = 90;
    const positions = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      positions[3 * i] = 100 * Math.floor(i / 30) + 0.05 * (i % 30);
      positions[3 * i + 1] = 0.03 * ((7 * i) % 11);
    }
    const logAge = Float32Array.from({ length: n }, (_, i) => (i < 60 ? 8.2 : 8.5));
    const { labels } = findClusters(
      {
        positions,
        vLKms: new Float32Array(n),
        vBKms: new Float32Array(n),
        logAge,
        logAgeError: new Float32Array(n).fill(0.3),
      },
      { minClusterSize: 10, velocityScale: 6, maxLogAge: 8, joinStrength: 0.5 },
    );
    expect(labels.slice(0, 60).every((l) => l >= 0)).toBe(true);
    expect(new Set(labels.slice(0, 60)).size).toBe(2);
    expect(labels.slice(60).every((l) => l === -1)).toBe(true);
  });
});
