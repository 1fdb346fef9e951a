#!/usr/bin/env node
// `npm run train -- --preset small [--data DIR] [--out native-models/models/NAME]`: trains a Simformer
// with the project's venv (native-models/cradle_models/train.py holds the options and presets; without
// --data the small preset simulates its own training set). OpenMP threads yield rather than spin while
// waiting (OMP_WAIT_POLICY=PASSIVE): on a machine shared with other work, spinning threads steal the
// cores the other training thread needs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requireVenv, root } from './python-env.mjs';

const python = requireVenv();
const result = spawnSync(python, ['-m', 'cradle_models.train', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: {
    OMP_WAIT_POLICY: 'PASSIVE',
    ...process.env,
    PYTHONPATH: join(root, 'native-models'),
  },
});
process.exit(result.status ?? 1);
