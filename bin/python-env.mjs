// Where the project's Python lives: native-models/.venv, created by `npm run setup:python`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const venv = join(root, 'native-models', '.venv');
export const venvPython = join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');

export function requireVenv() {
  if (!existsSync(venvPython)) {
    process.stderr.write(`cradle: no Python environment at ${venv}; run \`npm run setup:python\` first\n`);
    process.exit(1);
  }
  return venvPython;
}
