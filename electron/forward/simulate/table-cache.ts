// A disk cache for large derived tables (the bolometric-correction tables: ~40 MB of Float32 that take
// 5-8 s of CPU to build from the atmosphere grids, on every run and in every process otherwise). An entry
// is named by a key the caller derives from everything the values depend on (asset bytes, code), holds
// the raw little-endian Float32 values, and is written atomically (temporary file + rename), so a reader
// sees a whole entry or none. A missing, unreadable or wrongly sized entry is rebuilt; a cache that
// cannot be written is skipped (the values are still returned). The values land in a SharedArrayBuffer,
// so worker threads can share them without a copy. Storing an entry removes the entries of the same name
// under other keys (each new grid or physics code would otherwise leave ~50 MB behind for good) and
// temporary files of interrupted writes older than an hour; a process still on an older key then only
// rebuilds its table.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { basename, join } from 'node:path';

/** `CRADLE_CACHE_DIR`, else the platform's per-user cache folder. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const given = env['CRADLE_CACHE_DIR'];
  if (given !== undefined && given !== '') return given;
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Caches', 'Cradle');
  if (platform() === 'win32')
    return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'Cradle', 'Cache');
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'cradle');
}

/** sha256 (hex) of byte strings and text, in order; each part is length-prefixed so parts cannot run together. */
export function cacheKey(parts: readonly (Uint8Array | string)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

export interface Cached<T> {
  table: T;
  /** 'hit': read from the cache; 'built': computed (and stored when the cache was writable). */
  origin: 'hit' | 'built';
  file: string;
}

/**
 * The table cached under `name`-`key` in `dir`: its Float32 values are read into shared memory and
 * handed to `wrap` (which throws when they do not fit, e.g. a truncated entry); without a valid entry
 * `build()` makes the table and its values are stored for next time.
 */
export function cachedFloat32<T>(
  dir: string,
  name: string,
  key: string,
  wrap: (values: Float32Array) => T,
  build: () => { table: T; values: Float32Array },
): Cached<T> {
  const file = join(dir, `${name}-${key.slice(0, 32)}.f32`);
  try {
    const size = statSync(file).size;
    if (size > 0 && size % Float32Array.BYTES_PER_ELEMENT === 0) {
      const shared = new Float32Array(new SharedArrayBuffer(size));
      new Uint8Array(shared.buffer).set(readFileSync(file));
      return { table: wrap(shared), origin: 'hit', file };
    }
  } catch {
    // No entry, an unreadable one or one that does not fit: build it below.
  }
  const { table, values } = build();
  const temp = `${file}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    renameSync(temp, file);
    pruneSuperseded(dir, name, basename(file));
  } catch {
    // A read-only or full cache folder only costs the rebuild next time.
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself is unusable: there is no temporary file to remove.
    }
  }
  return { table, origin: 'built', file };
}

/** Age after which a temporary file of `name` counts as left by an interrupted write. */
const STALE_PARTIAL_MS = 3_600_000;

/** Removes `name`'s entries other than `keep`, and its temporary files older than STALE_PARTIAL_MS. */
function pruneSuperseded(dir: string, name: string, keep: string, now = Date.now()): void {
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(`${name}-`) || entry === keep) continue;
    const path = join(dir, entry);
    if (entry.endsWith('.f32')) rmSync(path, { force: true });
    else if (entry.includes('.f32.partial-') && now - statSync(path).mtimeMs > STALE_PARTIAL_MS)
      rmSync(path, { force: true });
  }
}
