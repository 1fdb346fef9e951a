// What a simulation config and its output folder must be before a run starts: a cluster placed wholly
// outside the region, mixture weights that cannot be drawn from, and an --out folder holding other files
// are refused with a message saying what is wrong and what to do.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseSimulationConfig,
  type SimulationConfigInput,
} from '../../../../electron/forward/simulate/config.ts';
import { runSimulation } from '../../../../electron/forward/simulate/pipeline.ts';
import { PRESETS } from '../../../../electron/forward/simulate/presets.ts';
import { HAS_SPLINE, SPLINE_FILE } from '../reference.ts';

const root = mkdtempSync(join(tmpdir(), 'cradle-sim-checks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cone = { kind: 'cone', lDeg: 200, bDeg: -12, radiusDeg: 2 } as const;
const cluster = { name: 'far', ageMyr: 10, nStars: 50, lDeg: 200, bDeg: 42, distancePc: 400 };

describe('a configured cluster and the region', () => {
  it('refuses a cluster wholly outside the cone, naming it and its distance from the cone', () => {
    expect(() => parseSimulationConfig({ region: cone, clusters: [cluster] }, 'sky.json')).toThrow(
      /sky\.json: invalid simulation config: clusters\.0: cluster 'far' at \(l, b\) = \(200°, 42°\), 400 pc, lies 54° from the centre of the 2° cone at \(l, b\) = \(200°, -12°\): .* 49\.13° outside the cone/,
    );
  });

  it('simulates clusters where they are placed when the config sets no region', () => {
    // The default cone is the field's; a config of clusters alone (as the real-cluster checks write) need
    // not name a region around them.
    const config = parseSimulationConfig({ mixture: { field: 0 }, clusters: [cluster] }, 'clusters.json');
    expect(config.clusters.map((c) => c.name)).toEqual(['far']);
  });

  it('refuses a cluster beyond the distance the region reaches', () => {
    expect(() =>
      parseSimulationConfig({ region: cone, clusters: [{ ...cluster, bDeg: -12, distancePc: 40000 }] }, 'd'),
    ).toThrow(/clusters\.0: cluster 'far' .* lies beyond the region's 30000 pc/);
    expect(() =>
      parseSimulationConfig(
        { region: { kind: 'sphere' }, volumeRadiusPc: 1000, clusters: [{ ...cluster, distancePc: 1500 }] },
        's',
      ),
    ).toThrow(/clusters\.0: cluster 'far' .* lies beyond the region's 1000 pc/);
  });

  it('keeps a cluster whose members reach into the cone, and every preset', () => {
    // 3° from the axis: its members spread 2.9° about its centre at 400 pc, into the 2° cone.
    expect(
      parseSimulationConfig({ region: cone, clusters: [{ ...cluster, bDeg: -15 }] }, 'edge').clusters,
    ).toHaveLength(1);
    // A cluster around the Sun reaches every direction.
    expect(
      parseSimulationConfig({ region: cone, clusters: [{ ...cluster, distancePc: 10 }] }, 'near').clusters,
    ).toHaveLength(1);
    for (const [name, preset] of Object.entries(PRESETS))
      expect(() => parseSimulationConfig(preset, name)).not.toThrow();
  });
});

describe('mixture weights', () => {
  it.each([
    [{ field: 0, clusters: 0, broadAge: 0 }, /mixture: nothing to simulate/],
    [{ field: -1, clusters: 1 }, /mixture\.field: Too small/],
    [{ field: 1, clusters: Number.POSITIVE_INFINITY }, /mixture\.clusters: .*Infinity/],
    [{ field: Number.NaN, clusters: 1 }, /mixture\.field: .*NaN/],
    [
      { field: 1e308, clusters: 1e308, broadAge: 1e308 },
      /mixture: the weights must add up to a finite number/,
    ],
  ])('refuses %o', (mixture, message) => {
    expect(() => parseSimulationConfig({ mixture }, 'mix.json')).toThrow(message);
  });
});

const port = { module: new URL('./analytic-port.ts', import.meta.url).href, factory: 'analyticPort' };
const small: SimulationConfigInput = {
  seed: 3,
  region: { kind: 'cone', lDeg: 120, bDeg: 40, radiusDeg: 0.3 },
  magnitudeLimit: { band: 'gaia.g', max: 17 },
  chunkSize: 1024,
};

async function simulateInto(dir: string, input: SimulationConfigInput, shards = false): Promise<void> {
  await runSimulation({
    config: parseSimulationConfig(input, 'test'),
    outDir: dir,
    shards,
    workers: 0,
    port,
    splineFile: SPLINE_FILE,
    assetsHash: null,
  });
}

describe.skipIf(!HAS_SPLINE)('the output folder', () => {
  it('refuses a folder holding files other than a run of the same config, and keeps them', async () => {
    const dir = join(root, 'user');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(simulateInto(dir, small)).rejects.toThrow(
      /user: not empty \(holds notes\.txt\) and holds no simulation's manifest\.json; choose a new or empty --out/,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('reruns the same config in place, and refuses another config or format there', async () => {
    const dir = join(root, 'rerun');
    await simulateInto(dir, small);
    const before = readFileSync(join(dir, 'catalog.parquet'));
    // A killed run's temporary file is the simulator's own: it goes.
    writeFileSync(join(dir, 'catalog.parquet.partial-123'), 'half');
    await simulateInto(dir, small);
    expect(readFileSync(join(dir, 'catalog.parquet')).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['catalog.parquet', 'manifest.json', 'truth.parquet']);
    await expect(simulateInto(dir, { ...small, seed: 4 })).rejects.toThrow(
      /rerun: holds a simulation of another config \(seed was 3, now 4\)/,
    );
    await expect(simulateInto(dir, small, true)).rejects.toThrow(/holds another kind of simulation output/);
    writeFileSync(join(dir, 'extra.parquet'), 'x');
    await expect(simulateInto(dir, small)).rejects.toThrow(
      /holds extra\.parquet, which its simulation's manifest\.json does not list/,
    );
    expect(readFileSync(join(dir, 'catalog.parquet')).equals(before)).toBe(true);
  }, 60000);
});
