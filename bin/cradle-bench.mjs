#!/usr/bin/env node
// `npm run bench [-- NAME ...]`: runs each benchmark under test/bench/NAME/ (bench.ts through tsx,
// bench.py through the project's venv). Benchmarks print ratios against a peer run in the same script;
// the figures are recorded by hand in test/bench/RESULTS.md with the date and machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, venvPython } from './python-env.mjs';

const benchRoot = join(root, 'test', 'bench');
const wanted = process.argv.slice(2);
const names = readdirSync(benchRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'out')
  .map((entry) => entry.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

let failed = 0;
for (const name of names) {
  for (const [file, command, args] of [
    ['bench.ts', process.execPath, ['--import', 'tsx']],
    ['bench.py', venvPython, []],
  ]) {
    const script = join(benchRoot, name, file);
    if (!existsSync(script)) continue;
    process.stdout.write(`\n=== ${name}/${file}\n`);
    const result = spawnSync(command, [...args, script], { stdio: 'inherit', cwd: root });
    if (result.status !== 0) failed += 1;
  }
}
process.exit(failed === 0 ? 0 : 1);
