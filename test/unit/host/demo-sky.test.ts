// The demo sky's folder is the app's own (under the settings folder): an earlier demo there (another
// version's preset, or a run killed half-way) is replaced rather than refused by the simulate job, but
// only the files a demo run writes are removed; anything else in the folder refuses the demo, naming it.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSimulationConfig } from '../../../electron/forward/simulate/config.ts';
import type { SimulationConfigInput } from '../../../electron/forward/simulate/config.ts';
import { runSimulation } from '../../../electron/forward/simulate/pipeline.ts';
import { PRESETS } from '../../../electron/forward/simulate/presets.ts';
import { demoSkyDir, inferHandlers, prepareDemoSky } from '../../../electron/host/infer.ts';
import { HAS_SPLINE, SPLINE_FILE } from '../forward/reference.ts';

const root = mkdtempSync(join(tmpdir(), 'cradle-demo-sky-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const port = {
  module: new URL('../forward/simulate/analytic-port.ts', import.meta.url).href,
  factory: 'analyticPort',
};

/** A small sky standing in for a demo preset: another version's when `seed` differs. */
function smallSky(seed: number): SimulationConfigInput {
  return {
    seed,
    region: { kind: 'cone', lDeg: 120, bDeg: 40, radiusDeg: 0.5 },
    magnitudeLimit: { band: 'gaia.g', max: 19 },
    chunkSize: 1024,
    clusters: [{ name: 'c1', ageMyr: 20, massMsun: 100, lDeg: 120.2, bDeg: 40.1, distancePc: 300 }],
  };
}

function simulateInto(dir: string, seed: number): ReturnType<typeof runSimulation> {
  return runSimulation({
    config: parseSimulationConfig(smallSky(seed), 'demo'),
    outDir: dir,
    shards: false,
    workers: 0,
    port,
    splineFile: SPLINE_FILE,
    assetsHash: null,
  });
}

function folder(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('the demo sky folder', () => {
  it.skipIf(!HAS_SPLINE)(
    'replaces a demo of another preset so the demo job is not refused',
    async () => {
      const dir = join(root, 'other-preset');
      await simulateInto(dir, 1);
      await expect(prepareDemoSky(dir)).resolves.toBe(false);
      expect(readdirSync(dir)).toEqual([]);
      const summary = await simulateInto(dir, 2);
      expect(summary.files).toEqual(['catalog.parquet', 'truth.parquet']);
    },
    60_000,
  );

  it('replaces a half-written demo, temporaries included', async () => {
    const dir = folder(join(root, 'half'), {
      'catalog.parquet': 'PAR1',
      'truth.parquet.partial-4242': 'PAR1',
      'manifest.json.partial-4242': '{',
    });
    await expect(prepareDemoSky(dir)).resolves.toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps this version's whole demo", async () => {
    const config = parseSimulationConfig(structuredClone(PRESETS.demo), "preset 'demo'");
    const manifest = {
      kind: 'mock-catalog',
      config,
      files: [{ path: 'catalog.parquet' }, { path: 'truth.parquet' }],
    };
    const settings = join(root, 'settings');
    const dir = demoSkyDir(settings);
    folder(dir, {
      'catalog.parquet': 'PAR1',
      'truth.parquet': 'PAR1',
      'manifest.json': JSON.stringify(manifest),
    });
    await expect(inferHandlers(settings)['demo.sky']({})).resolves.toEqual({
      dir,
      catalog: join(dir, 'catalog.parquet'),
      exists: true,
    });
    expect(readdirSync(dir).sort()).toEqual(['catalog.parquet', 'manifest.json', 'truth.parquet']);
  });

  it('refuses, removing nothing, when the folder holds a file no demo writes', async () => {
    const dir = folder(join(root, 'foreign'), { 'catalog.parquet': 'PAR1', 'notes.txt': 'mine' });
    await expect(prepareDemoSky(dir)).rejects.toThrow(
      `${dir}: holds notes.txt, which a demo sky does not write; move it away so the demo sky can be simulated there`,
    );
    expect(readdirSync(dir).sort()).toEqual(['catalog.parquet', 'notes.txt']);
    rmSync(join(dir, 'notes.txt'));
    mkdirSync(join(dir, 'manifest.json.partial-1'));
    await expect(prepareDemoSky(dir)).rejects.toThrow(`${dir}: holds manifest.json.partial-1, which`);
  });
});
