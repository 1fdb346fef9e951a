#!/usr/bin/env node
// Runs the Python tests (test/python and native-models) with the project's venv.
import { spawnSync } from 'node:child_process';
import { requireVenv, root } from './python-env.mjs';

const python = requireVenv();
const result = spawnSync(python, ['-m', 'pytest', '-q', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
