#!/usr/bin/env node
// Lint, format check and type check of the Python (native-models and test/python) with the project's venv:
// ruff with native-models/pyproject.toml's settings, mypy (strict) over the cradle_models package. Run
// from each folder so that ruff sorts cradle_models' imports as first-party where it is the package.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requireVenv, root } from './python-env.mjs';

const python = requireVenv();
const models = join(root, 'native-models');
const config = join(models, 'pyproject.toml');
const steps = [
  { cwd: models, args: ['-m', 'ruff', 'check', '.'] },
  { cwd: models, args: ['-m', 'ruff', 'format', '--check', '.'] },
  { cwd: root, args: ['-m', 'ruff', 'check', '--config', config, 'test/python'] },
  { cwd: root, args: ['-m', 'ruff', 'format', '--check', '--config', config, 'test/python'] },
  { cwd: models, args: ['-m', 'mypy', 'cradle_models'] },
];
for (const { cwd, args } of steps) {
  const result = spawnSync(python, args, { stdio: 'inherit', cwd });
  if (result.status !== 0) {
    process.stderr.write(`cradle: \`python ${args.slice(1).join(' ')}\` failed in ${cwd}\n`);
    process.exit(result.status ?? 1);
  }
}
