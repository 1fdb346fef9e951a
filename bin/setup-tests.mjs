#!/usr/bin/env node
// Installs what the tests need beyond npm packages: the Python environment (models + test oracles) and
// Chromium for the end-to-end tests. Chromium comes from the system's package manager because
// Playwright's own browser download is not available offline; as root on Debian/Ubuntu it is installed
// here, elsewhere the one command to run is printed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './python-env.mjs';
import { findChromium } from './chromium.mjs';

const python = spawnSync(process.execPath, [join(root, 'bin', 'setup-python.mjs')], { stdio: 'inherit' });
if (python.status !== 0) process.exit(python.status ?? 1);

if (findChromium() === undefined) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]) {
      const result = spawnSync('apt-get', args, { stdio: 'inherit' });
      if (result.status !== 0) process.exit(result.status ?? 1);
    }
  } else {
    process.stderr.write(
      'cradle: the end-to-end tests need Chromium; install it (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or set CRADLE_CHROMIUM to its path\n',
    );
    process.exit(1);
  }
}
