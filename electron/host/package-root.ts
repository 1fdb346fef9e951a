// The folder that holds Cradle's package.json, found by walking up from this module, so the same
// code finds renderer/dist and package.json from electron/ (a checkout) and from dist/electron/ (a build).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (parsed.name === 'cradle') return (cached = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Cradle package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
