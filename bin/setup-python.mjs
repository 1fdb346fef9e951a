#!/usr/bin/env node
// Creates native-models/.venv and installs the Python side (training, export, the test oracles).
// `--runtime` installs only what training and export need; the default adds the test references.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, venv, venvPython } from './python-env.mjs';

const runtimeOnly = process.argv.includes('--runtime');
const requirements = join(root, 'native-models', runtimeOnly ? 'requirements.txt' : 'requirements-dev.txt');

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    process.stderr.write(`cradle: \`${command} ${args.join(' ')}\` failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(venvPython)) {
  const python = process.env['PYTHON'] ?? (process.platform === 'win32' ? 'python' : 'python3');
  run(python, ['-m', 'venv', venv]);
}
run(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
