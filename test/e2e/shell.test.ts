// What a person sees in browser mode: the shell renders with its rail and status bar; the rail
// navigates by click and by Ctrl+digit; views not built yet name the issue that brings them; the
// theme switch persists across a reload; the Files view browses a folder and scans it for FITS —
// with visible progress, a status-bar entry, cancellation, and a correct count when it completes;
// and the API socket refuses a missing token or a foreign Origin. Saves shell.png in `screenshots` (harness.ts).
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { launchChromium, screenshots, serve, type Served } from './harness.ts';

let served: Served;
let browser: Browser;
let page: Page;
let data: string;
const pageErrors: string[] = [];

/** A FITS file with a real primary header (2880-byte blocks) and `blocks` blocks of data. */
function fits(blocks: number, object: string): Uint8Array {
  const cards = [
    'SIMPLE  =                    T',
    'BITPIX  =                   16',
    'NAXIS   =                    1',
    `NAXIS1  = ${String(blocks * 1440).padStart(20)}`,
    `OBJECT  = '${object}'`,
    'END',
  ];
  const bytes = new Uint8Array(2880 * (1 + blocks));
  bytes.set(new TextEncoder().encode(cards.map((card) => card.padEnd(80)).join('')));
  return bytes;
}

const slowCount = 240;

beforeAll(async () => {
  // A fixed path and fixed file times, so the committed screenshot changes only when the UI does.
  data = join(tmpdir(), 'cradle-e2e', 'data');
  await rm(data, { recursive: true, force: true });
  await mkdir(data, { recursive: true });
  const night = join(data, 'orion-2026-11-20');
  await mkdir(join(night, 'calib'), { recursive: true });
  for (let i = 1; i <= 12; i++) {
    const band = ['g', 'r', 'i'][i % 3] as string;
    await writeFile(
      join(night, `m42_${band}_${String(i).padStart(3, '0')}.fits`),
      fits(2 + (i % 5) * 3, 'M42'),
    );
  }
  for (const name of ['bias_001.fits', 'bias_002.fits', 'flat_r_001.fits']) {
    await writeFile(join(night, 'calib', name), fits(1, 'CALIB'));
  }
  await writeFile(join(night, 'observing-log.txt'), 'seeing 1.1 arcsec\n');
  await writeFile(join(night, 'readme.fits'), 'not really FITS, just named so\n');
  const observed = new Date('2026-11-20T23:40:00Z');
  for (const name of await readdir(night)) await utimes(join(night, name), observed, observed);
  const many = join(data, 'survey-dump');
  await mkdir(many);
  for (let i = 0; i < slowCount; i++) await writeFile(join(many, `tile_${i}.fits`), fits(0, 'TILE'));

  served = await serve();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(served.url);
  await page.getByTestId('shell').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await rm(data, { recursive: true, force: true });
});

async function openFolder(path: string): Promise<void> {
  await page.getByTestId('path-input').fill(path);
  await page.getByTestId('path-input').press('Enter');
  await page
    .getByRole('grid', { name: 'Folder contents' })
    .getByText(path === data ? 'survey-dump' : 'calib')
    .waitFor();
}

describe('the shell', () => {
  it('renders the rail, the Files view and the status bar, and hides the token', async () => {
    const rail = page.getByRole('navigation', { name: 'Views' });
    await expect(rail.getByRole('button').allTextContents()).resolves.toEqual(
      ['Files', 'Inspect', 'Simulate', 'Infer', 'Galaxy', 'Models'].map(
        (label) => expect.stringContaining(label) as string,
      ),
    );
    expect(await page.locator('main.view').getAttribute('data-view')).toBe('files');
    expect(await page.getByTestId('status-jobs').textContent()).toContain('No running jobs');
    await expect(page.getByRole('contentinfo').textContent()).resolves.toMatch(
      /Browser mode · 127\.0\.0\.1.*ONNX: cpu/,
    );
    expect(page.url()).not.toContain('token');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
  });

  it('navigates by clicking the rail and by Ctrl+digit, with the shortcut in the tooltip', async () => {
    const rail = page.getByRole('navigation', { name: 'Views' });
    await rail.getByRole('button', { name: 'Inspect' }).click();
    await page.getByTestId('inspect-view').waitFor();
    expect(await rail.getByRole('button', { name: 'Galaxy' }).getAttribute('title')).toBe('Galaxy (Ctrl+5)');
    await page.keyboard.press('Control+5');
    await page.getByTestId('galaxy-view').waitFor();
    expect(await rail.getByRole('button', { name: 'Galaxy' }).getAttribute('aria-current')).toBe('page');
    await page.keyboard.press('Control+6');
    await page.getByTestId('models-view').waitFor();
    await page.keyboard.press('Control+1');
    await page.getByTestId('scan-panel').waitFor();
  });

  it('switches to the light theme and keeps it after a reload', async () => {
    await page.getByTestId('theme-toggle').click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.reload();
    await page.getByTestId('shell').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
  });
});

describe('the Files view', () => {
  it('scans a folder with visible progress, lists it as recent, and can cancel', async () => {
    await openFolder(data);
    await page.getByRole('row', { name: /survey-dump/ }).dblclick();
    await page.getByRole('grid', { name: 'Folder contents' }).getByText('tile_0.fits').waitFor();
    await page.getByTestId('scan-pace').fill('25');
    await page.getByTestId('scan-start').click();

    const progress = page.getByTestId('scan-progress');
    await progress.getByText(new RegExp(`/ ${slowCount} files checked`)).waitFor();
    const first = Number(/([\d,]+) \//.exec((await progress.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    await page.waitForTimeout(600);
    const second = Number(/([\d,]+) \//.exec((await progress.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    expect(second).toBeGreaterThan(first);
    expect(await page.getByTestId('status-jobs').textContent()).toContain('FITS scan of');
    await expect(page.getByTestId('recent-list').textContent()).resolves.toContain('survey-dump');

    await page.getByTestId('scan-cancel').click();
    await page.locator('[data-testid=scan-state][data-state=cancelled]').waitFor();
    expect(await page.getByTestId('scan-state').textContent()).toMatch(/Cancelled after [\d,]+ files/);
    await page.getByTestId('status-jobs').getByText('No running jobs').waitFor();
  });

  it('scans a night of observations to the right count and size, and saves the screenshot', async () => {
    await openFolder(data);
    await page.getByRole('row', { name: /orion-2026-11-20/ }).dblclick();
    await page.getByRole('grid', { name: 'Folder contents' }).getByText('calib').waitFor();
    await page.getByTestId('scan-pace').fill('0');
    await page.getByTestId('scan-start').click();
    await page.getByTestId('scan-result').waitFor();
    expect(await page.getByTestId('scan-fits-count').textContent()).toBe('15');
    expect(await page.getByTestId('scan-result').textContent()).toMatch(/Named FITS, not FITS\s*1/);
    const grid = page.getByRole('grid', { name: 'Folder contents' });
    await grid.getByRole('button', { name: 'Size' }).click();
    expect(await grid.getByRole('row').nth(2).textContent()).toContain('observing-log.txt');
    await grid.getByRole('button', { name: 'Size' }).click();
    expect(await grid.getByRole('row').nth(2).textContent()).toMatch(/m42_\w+\.fits\s*42\.2 KiB/);
    await grid.getByRole('button', { name: 'Name' }).click();
    expect(await grid.getByRole('row').nth(2).textContent()).toContain('m42_g_003.fits');
    await page.getByRole('row', { name: /m42_r_001\.fits/ }).click();
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'shell.png') });
    expect(pageErrors).toEqual([]);
  });

  it('moves the selection with the arrow keys and goes up a folder with Backspace', async () => {
    await page.getByRole('row', { name: /m42_r_001\.fits/ }).press('ArrowDown');
    expect(await page.locator('tr[aria-selected=true]').textContent()).toContain('m42_r_004.fits');
    await page.keyboard.press('Backspace');
    await page.getByRole('grid', { name: 'Folder contents' }).getByText('survey-dump').waitFor();
    expect(await page.getByTestId('path-input').inputValue()).toBe(data);
  });
});

describe('browser-mode security', () => {
  function status(url: string, origin: string): Promise<number> {
    return new Promise((resolve) => {
      const socket = new WebSocket(url, { headers: { Origin: origin } });
      socket.on('open', () => (socket.close(), resolve(101)));
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('error', () => resolve(-1));
    });
  }

  it('refuses the API socket without the token or from a foreign Origin', async () => {
    const api = `${served.origin.replace('http', 'ws')}/api`;
    expect(await status(`${api}?token=${served.token}`, served.origin)).toBe(101);
    expect(await status(api, served.origin)).toBe(403);
    expect(await status(`${api}?token=guess`, served.origin)).toBe(403);
    expect(await status(`${api}?token=${served.token}`, 'https://evil.example')).toBe(403);
  });

  it('shows a page opened without the token why it cannot connect', async () => {
    const stranger = await browser.newPage();
    await stranger.goto(served.origin);
    await stranger.getByTestId('connection-failure').waitFor();
    expect(await stranger.getByTestId('connection-failure').textContent()).toContain('access token');
    await stranger.close();
  });
});
