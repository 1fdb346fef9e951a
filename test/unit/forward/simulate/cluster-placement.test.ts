// Training clusters of the prior in a cone region: the all-sky prior (volume-uniform distance,
// exponential height above the plane, uniform longitude, as chunk.ts draws it) restricted to the cone.
// The reference is that prior drawn over the whole sky and kept where it falls in the cone (rejection),
// compared by two-sample Kolmogorov–Smirnov distances of distance and latitude; and a training mixture
// in a cone writes its prior clusters' members inside the cone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { ConePlacement } from '../../../../electron/forward/simulate/cluster-placement.ts';
import { parseSimulationConfig } from '../../../../electron/forward/simulate/config.ts';
import { runSimulation } from '../../../../electron/forward/simulate/pipeline.ts';
import { physicsPortSpec } from '../../../../electron/forward/simulate/run.ts';
import { Random } from '../../../../electron/forward/simulate/random.ts';
import { HAS_SPLINE, SPLINE_FILE } from '../reference.ts';

const DEG = Math.PI / 180;
const root = mkdtempSync(join(tmpdir(), 'cradle-cluster-cone-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function separationDeg(l1: number, b1: number, l2: number, b2: number): number {
  const c =
    Math.sin(b1 * DEG) * Math.sin(b2 * DEG) +
    Math.cos(b1 * DEG) * Math.cos(b2 * DEG) * Math.cos((l1 - l2) * DEG);
  return Math.acos(Math.max(-1, Math.min(1, c))) / DEG;
}

/** The largest gap between the empirical CDFs of two samples. */
function ksDistance(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let worst = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    worst = Math.max(worst, Math.abs(i / x.length - j / y.length));
  }
  return worst;
}

describe('prior clusters in a cone', () => {
  it('follow the all-sky prior restricted to the cone', () => {
    const cone = { lDeg: 30, bDeg: 8, radiusDeg: 25 };
    const [d0, d1, h] = [50, 1500, 60];
    const reference = { d: [] as number[], b: [] as number[] };
    const all = new Random(7, 1);
    while (reference.d.length < 4000) {
      const d = Math.cbrt(d0 ** 3 + all.uniform() * (d1 ** 3 - d0 ** 3));
      const z = Math.min(d * 0.999, h * -Math.log(all.uniformOpen())) * (all.uniform() < 0.5 ? -1 : 1);
      const l = 360 * all.uniform();
      const b = Math.asin(z / d) / DEG;
      if (separationDeg(l, b, cone.lDeg, cone.bDeg) > cone.radiusDeg) continue;
      reference.d.push(d);
      reference.b.push(b);
    }
    const placement = new ConePlacement(cone, d0, d1, h);
    const rng = new Random(7, 2);
    const drawn = { d: [] as number[], b: [] as number[] };
    for (let i = 0; i < 4000; i++) {
      const p = placement.draw(rng);
      expect(separationDeg(p.lDeg, p.bDeg, cone.lDeg, cone.bDeg)).toBeLessThanOrEqual(cone.radiusDeg + 1e-9);
      expect(p.distancePc).toBeGreaterThanOrEqual(d0);
      expect(p.distancePc).toBeLessThanOrEqual(d1);
      drawn.d.push(p.distancePc);
      drawn.b.push(p.bDeg);
    }
    // Two samples of 4000 from one distribution: KS distance above 0.036 has probability 1%.
    expect(ksDistance(drawn.d, reference.d)).toBeLessThan(0.036);
    expect(ksDistance(drawn.b, reference.b)).toBeLessThan(0.036);
    // Drawn uniformly over the cone instead, a third of the clusters would sit above |b| = 15°.
    expect(drawn.b.filter((b) => Math.abs(b) > 15).length / 4000).toBeLessThan(0.1);
  });

  it('say so when the cone holds almost none of the prior', () => {
    const placement = new ConePlacement({ lDeg: 0, bDeg: 90, radiusDeg: 0.5 }, 5000, 30000, 1);
    expect(() => placement.draw(new Random(1))).toThrow(
      /clusterPrior: the 0\.5° cone at \(l, b\) = \(0°, 90°\) holds almost none of the prior's clusters/,
    );
  });
});

describe.skipIf(!HAS_SPLINE)('a training mixture in a cone', () => {
  it('writes its prior clusters inside the cone', async () => {
    const cone = { kind: 'cone', lDeg: 200, bDeg: -12, radiusDeg: 2 } as const;
    const dir = join(root, 'mixture');
    await runSimulation({
      config: parseSimulationConfig(
        { seed: 3, region: cone, stars: 400, mixture: { field: 0, clusters: 1, broadAge: 0 } },
        'cone-mixture',
      ),
      outDir: dir,
      shards: false,
      workers: 0,
      port: physicsPortSpec(),
      splineFile: SPLINE_FILE,
      assetsHash: null,
    });
    const table = tableFromIPC(
      readParquet(new Uint8Array(readFileSync(join(dir, 'catalog.parquet')))).intoIPCStream(),
    );
    const l = [...table.getChild('l')!] as number[];
    const b = [...table.getChild('b')!] as number[];
    expect(l.length).toBeGreaterThan(100);
    // Members spread about their centres (Plummer radii of 0.5–5 pc at ≥ 50 pc): within a few degrees.
    const far = l.filter((_, i) => separationDeg(l[i]!, b[i]!, cone.lDeg, cone.bDeg) > 10).length;
    expect(far / l.length).toBeLessThan(0.05);
  }, 120_000);
});
