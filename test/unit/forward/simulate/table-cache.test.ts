import { mkdtempSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedFloat32, cacheDir, cacheKey } from '../../../../electron/forward/simulate/table-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'cradle-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function wrap(values: Float32Array): number[] {
  if (values.length !== 4) throw new Error(`expected 4 values, got ${values.length}`);
  return Array.from(values);
}

describe('table cache', () => {
  it('builds once, then reads the same values into shared memory', () => {
    let builds = 0;
    const build = (): { table: number[]; values: Float32Array } => {
      builds++;
      const values = Float32Array.of(1.5, -2, 3.25, 1e-7);
      return { table: Array.from(values), values };
    };
    const first = cachedFloat32(root, 'demo', cacheKey(['a', 'b']), wrap, build);
    const second = cachedFloat32(
      root,
      'demo',
      cacheKey(['a', 'b']),
      (values) => {
        expect(values.buffer).toBeInstanceOf(SharedArrayBuffer);
        return wrap(values);
      },
      build,
    );
    expect(first.origin).toBe('built');
    expect(second.origin).toBe('hit');
    expect(second.table).toEqual(first.table);
    expect(builds).toBe(1);
    expect(readdirSync(root).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('rebuilds a truncated or foreign entry, and keys differ by part boundaries', () => {
    const key = cacheKey(['x']);
    const build = (): { table: number[]; values: Float32Array } => ({
      table: [0, 0, 0, 0],
      values: new Float32Array(4),
    });
    const first = cachedFloat32(root, 'trunc', key, wrap, build);
    truncateSync(first.file, 8);
    expect(cachedFloat32(root, 'trunc', key, wrap, build).origin).toBe('built');
    writeFileSync(first.file, 'not floats');
    expect(cachedFloat32(root, 'trunc', key, wrap, build).origin).toBe('built');
    expect(cacheKey(['ab', 'c'])).not.toBe(cacheKey(['a', 'bc']));
  });

  it('removes superseded entries of the same name and stale partial writes when it stores one', () => {
    const dir = join(root, 'prune');
    const build = (): { table: number[]; values: Float32Array } => ({
      table: [1, 2, 3, 4],
      values: Float32Array.of(1, 2, 3, 4),
    });
    const old = cachedFloat32(dir, 'bc', cacheKey(['v1']), wrap, build);
    const other = cachedFloat32(dir, 'other', cacheKey(['v1']), wrap, build);
    const stale = join(dir, 'bc-0123.f32.partial-1-a');
    const fresh = join(dir, 'bc-0123.f32.partial-2-b');
    writeFileSync(stale, '');
    writeFileSync(fresh, '');
    const hourAgo = (Date.now() - 2 * 3_600_000) / 1000;
    utimesSync(stale, hourAgo, hourAgo);
    // A hit stores nothing and removes nothing.
    expect(cachedFloat32(dir, 'bc', cacheKey(['v1']), wrap, build).origin).toBe('hit');
    expect(readdirSync(dir)).toHaveLength(4);
    const current = cachedFloat32(dir, 'bc', cacheKey(['v2']), wrap, build);
    expect(current.origin).toBe('built');
    const left = readdirSync(dir).sort();
    expect(left).toEqual([current.file, other.file, fresh].map((f) => f.slice(dir.length + 1)).sort());
    expect(left).not.toContain(old.file.slice(dir.length + 1));
  });

  it('still returns the table when the cache folder cannot be written', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const result = cachedFloat32(join(file, 'below'), 'x', cacheKey(['y']), wrap, () => ({
      table: [1, 2, 3, 4],
      values: Float32Array.of(1, 2, 3, 4),
    }));
    expect(result.table).toEqual([1, 2, 3, 4]);
  });

  it('honours CRADLE_CACHE_DIR and XDG_CACHE_HOME', () => {
    expect(cacheDir({ CRADLE_CACHE_DIR: '/c' })).toBe('/c');
    if (process.platform === 'linux') expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/cradle');
  });
});
