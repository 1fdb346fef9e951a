#!/usr/bin/env node
// Bundles electron/preload/preload.ts into one CommonJS file (dist/electron/preload/preload.cjs).
// A sandboxed preload may `require` only 'electron' and a few built-ins, and cannot load ES modules,
// so everything it imports (the IPC channel names) is inlined and 'electron' stays external.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

export async function bundlePreload(outfile = join(root, 'dist', 'electron', 'preload', 'preload.cjs')) {
  await build({
    entryPoints: [join(root, 'electron', 'preload', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    sourcemap: false,
    logLevel: 'warning',
  });
  return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outfile = await bundlePreload();
  process.stdout.write(`preload bundled to ${outfile}\n`);
}
