// The preload bundle: one CommonJS file that requires nothing but 'electron' (what a sandboxed
// preload is allowed to load) and exposes the API bridge under window.cradle.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- build script in plain JavaScript, without type declarations
import { bundlePreload } from '../../../build/bundle-preload.mjs';

describe('build/bundle-preload.mjs', () => {
  it('bundles the preload to CommonJS that requires only electron', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cradle-preload-'));
    try {
      const outfile = await (bundlePreload as (out: string) => Promise<string>)(join(dir, 'preload.cjs'));
      const code = await readFile(outfile, 'utf8');
      const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
      expect(required).toEqual(['electron']);
      expect(code).not.toMatch(/^\s*(import|export)\s/m);
      expect(code).toContain('exposeInMainWorld("cradle"');
      expect(code).toContain('"cradle:call"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
