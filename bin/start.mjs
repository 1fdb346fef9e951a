#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is installed; otherwise browser mode, said in
// one line. Builds what is missing first (the renderer always; the compiled engine for Electron).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The Electron executable, or null when npm skipped its download (as on an offline machine). */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function runScript(script) {
  const result = spawnSync(npm, ['run', '--silent', script], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    process.stderr.write(`cradle: \`npm run ${script}\` failed\n`);
    process.exit(result.status ?? 1);
  }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (!existsSync(join(root, 'renderer', 'dist', 'index.html'))) runScript('build:renderer');
if (electron !== null) {
  if (!existsSync(join(root, 'dist', 'electron', 'main', 'main.js'))) runScript('build:engine');
  run(electron, [root, ...process.argv.slice(2)]);
} else {
  process.stdout.write(
    'cradle: Electron is not installed here (its binary download was skipped), so Cradle starts in browser mode instead.\n',
  );
  run(process.execPath, [join(root, 'bin', 'cradle.mjs'), 'serve', ...process.argv.slice(2)]);
}
