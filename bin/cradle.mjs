#!/usr/bin/env node
// The `cradle` command. A source checkout runs the TypeScript engine through tsx; a packaged build
// ships the compiled engine in dist/ and runs that instead, so neither needs a build step to start.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = join(root, 'dist', 'electron', 'cli', 'main.js');
const source = join(root, 'electron', 'cli', 'main.ts');

if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(compiled).href);
}
