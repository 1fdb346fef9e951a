import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultGridDir, gridNames, loadGrid } from '../../../../electron/forward/physics/grid-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function copyOf(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cradle-grids-'));
  dirs.push(dir);
  copyFileSync(join(defaultGridDir(), 'manifest.json'), join(dir, 'manifest.json'));
  for (const n of names) copyFileSync(join(defaultGridDir(), `${n}.bin.gz`), join(dir, `${n}.bin.gz`));
  return dir;
}

describe('grid files', () => {
  it('lists the grids the physics code needs, with source and licence', () => {
    const names = gridNames();
    for (const n of ['filters', 'vega', 'isochrones-parsec12', 'atmos-kurucz', 'atmos-btsettl', 'xp-noise'])
      expect(names).toContain(n);
    const g = loadGrid('vega');
    expect(g.entry.licence.length).toBeGreaterThan(5);
    expect(Object.keys(g.entry.source).length).toBeGreaterThan(0);
  });

  it('refuses a file whose sha256 does not match the manifest, naming the file', () => {
    const dir = copyOf(['vega']);
    const path = join(dir, 'vega.bin.gz');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    writeFileSync(path, bytes);
    expect(() => loadGrid('vega', dir)).toThrow(/vega\.bin\.gz: sha256 .* does not match the manifest/);
  });

  it('names the manifest when a grid is missing from it or the manifest is unreadable', () => {
    const dir = copyOf([]);
    expect(() => loadGrid('no-such-grid', dir)).toThrow(/manifest\.json: no grid 'no-such-grid'/);
    const empty = mkdtempSync(join(tmpdir(), 'cradle-grids-'));
    dirs.push(empty);
    expect(() => loadGrid('vega', empty)).toThrow(/manifest\.json: cannot read the grid manifest/);
  });
});
