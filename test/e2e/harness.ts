// Starts `cradle serve` as a user would (a child process, settings in a temp CRADLE_HOME), reads
// the URL it prints, and launches Chromium with Playwright. Chromium comes from the system
// (`/usr/bin/chromium`, or $CRADLE_CHROMIUM); see bin/setup-tests.mjs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const repoRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** Where the suite saves its screenshots: a temporary folder, so that a test run leaves the checkout as
 * it found it; `CRADLE_SCREENSHOTS=docs/screenshots npm run test:e2e` refreshes the README's pictures. */
export const screenshots = process.env['CRADLE_SCREENSHOTS'] ?? join(tmpdir(), 'cradle-e2e-screenshots');

export interface Served {
  url: string;
  origin: string;
  token: string;
  home: string;
  stop(): Promise<void>;
}

export async function serve(): Promise<Served> {
  const home = await mkdtemp(join(tmpdir(), 'cradle-e2e-home-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'cradle.mjs'), 'serve', '--no-open'],
    {
      cwd: repoRoot,
      env: { ...process.env, CRADLE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Cradle is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`cradle serve exited (${code}): ${stderr}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    home,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(home, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = [
    process.env['CRADLE_CHROMIUM'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].find((path) => path !== undefined && path !== '' && existsSync(path));
  if (executablePath === undefined) {
    throw new Error('no Chromium found: run `npm run setup:test` or set CRADLE_CHROMIUM');
  }
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // WebGL through SwiftShader, so the 3D views render without a GPU.
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}
