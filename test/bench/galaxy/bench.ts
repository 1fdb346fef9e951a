// Galaxy benchmarks: octree LOD build for 10M stars (Node), and frame time of the Galaxy scene
// (octree + 500k point budget) vs one plain THREE.Points of the same stars at 1M and 10M, both in
// headless Chromium with SwiftShader (no GPU here). HDBSCAN vs scikit-learn is bench.py.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { buildOctree } from '../../../electron/galaxy/lod.ts';

function lodBuild(count: number): void {
  const positions = new Float32Array(3 * count);
  let state = 5;
  for (let i = 0; i < positions.length; i++)
    positions[i] = (state = (state * 1103515245 + 12345) % 2147483648) / 1e6;
  const t0 = performance.now();
  const tree = buildOctree(positions);
  const ms = performance.now() - t0;
  console.log(
    `octree build, ${count.toLocaleString()} stars: ${(ms / 1000).toFixed(2)} s, ${tree.nodeCount} nodes`,
  );
}

async function frames(): Promise<void> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'frame-page.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'es2022',
  });
  const executablePath = [process.env['CRADLE_CHROMIUM'], '/usr/bin/chromium'].find(
    (p) => p && existsSync(p),
  );
  if (executablePath === undefined) throw new Error('bench galaxy: no Chromium (set CRADLE_CHROMIUM)');
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.setContent('<!doctype html><body style="margin:0"></body>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  for (const count of [1_000_000, 10_000_000]) {
    const frameCount = count > 2_000_000 ? 4 : 10;
    const plain = await page.evaluate<number>(`window.galaxyBench.timePlain(${count}, ${frameCount})`);
    const galaxy = await page.evaluate<number>(`window.galaxyBench.timeGalaxy(${count}, 30)`);
    console.log(
      `frame time, ${count.toLocaleString()} stars: Galaxy scene (500k budget) ${galaxy.toFixed(0)} ms, ` +
        `plain THREE.Points ${plain.toFixed(0)} ms, ratio ${(galaxy / plain).toFixed(2)}`,
    );
  }
  await browser.close();
}

lodBuild(10_000_000);
await frames();
