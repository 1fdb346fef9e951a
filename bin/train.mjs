#!/usr/bin/env node
// `npm run train -- --preset small --data DIR --out native-models/models/NAME`: trains a Simformer with
// the project's venv (native-models/cradle_models/train.py holds the options and presets).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requireVenv, root } from './python-env.mjs';

const python = requireVenv();
const result = spawnSync(python, ['-m', 'cradle_models.train', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, PYTHONPATH: join(root, 'native-models') },
});
process.exit(result.status ?? 1);
