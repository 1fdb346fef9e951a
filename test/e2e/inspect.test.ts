// The Inspect view in browser mode: a real LAMOST spectrum plotted over 3700–9100 Å; astropy's
// scale.fits read at a known pixel (the value astropy gives) under zscale + asinh + inferno, with
// the picture changing as the scaling does; a generated 1,000,000-row table counted, jumped to its
// last row, sorted and exported to FITS; a CONTINUE long string found whole by header search; a truncated file that
// shows the engine's error while the app goes on working; a file named in the URL (`cradle FILE`)
// opened on start. Saves (in `screenshots`, harness.ts) inspect-*.png.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshots, serve, type Served } from './harness.ts';
import { largePixel, longString, prepare, tableRow } from './inspect-fixtures.ts';

const ROWS = 1_000_000;
let served: Served;
let browser: Browser;
let page: Page;
let dir: string;
let files: Record<string, string>;
const pageErrors: string[] = [];
/** The machine running these tests is shared: give engine work (a sort of 1M rows, a worker start) time. */
const slow = { timeout: 30_000 };

beforeAll(async () => {
  dir = join(tmpdir(), 'cradle-e2e-inspect');
  await rm(dir, { recursive: true, force: true });
  files = await prepare(dir, ROWS);
  await mkdir(screenshots, { recursive: true });
  served = await serve();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(served.url);
  await page.getByTestId('shell').waitFor();
  await page.keyboard.press('Control+2');
  await page.getByTestId('inspect-view').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Open `path` and wait for the view to show it: the previous file's tree stays on screen while the
 * new one loads, and a tab clicked then would be reset when it arrives. */
async function open(path: string): Promise<void> {
  await page.getByTestId('inspect-path').fill(path);
  await page.getByTestId('inspect-open').click();
  await page.locator('[data-testid="inspect-open"]:not([disabled])').waitFor(slow);
  await page
    .locator(`[data-testid="inspect-where"][title=${JSON.stringify(path)}]`)
    .or(page.getByTestId('inspect-error'))
    .or(page.getByTestId('inspect-file-problem'))
    .first()
    .waitFor(slow);
}

/**
 * How many pixels of the canvas inside `testId` differ from its top-left pixel (the background).
 * Evaluated from a string: the test's own TypeScript has no DOM types.
 */
async function plotPixels(testId: string): Promise<{ differing: number; total: number }> {
  return page.evaluate<{ differing: number; total: number }>(`(() => {
    const canvas = document.querySelector('[data-testid="${testId}"] canvas');
    const context = canvas && canvas.getContext('2d');
    if (!context) return { differing: 0, total: 0 };
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let differing = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3]) differing++;
    }
    return { differing, total: data.length / 4 };
  })()`);
}

describe('Inspect view', () => {
  it('plots the real LAMOST spectrum over 3700–9100 Å', async () => {
    await open(files['lamost']!);
    const range = page.getByTestId('spectrum-range');
    await expect.poll(() => range.textContent(), slow).toMatch(/^\d+–\d+ Å$/);
    const [low, high] = ((await range.textContent()) ?? '').split(/[–\s]/).map(Number);
    // The LAMOST grid runs from 3699.99 to 9099.13 Å (log-linear, CRVAL1 3.5682, CD1_1 1e-4, 3909 pixels).
    expect(low).toBeCloseTo(3700, -1);
    expect(high).toBeCloseTo(9100, -1);
    const { differing, total } = await plotPixels('spectrum-plot');
    // The curve, band and masked marks cover a visible part of the plot area, not a blank canvas.
    expect(differing / total).toBeGreaterThan(0.01);
    await page.screenshot({ path: join(screenshots, 'inspect-spectrum.png') });
  });

  it('reads astropy’s value at a known pixel of scale.fits under zscale + asinh + inferno', async () => {
    await open(files['scale']!);
    const canvas = page.getByTestId('image-canvas');
    await expect.poll(() => canvas.getAttribute('data-frames'), slow).not.toBe('0');
    const before = await canvas.screenshot();
    await page.getByTestId('limits-select').selectOption('zscale');
    await page.getByTestId('stretch-select').selectOption('asinh');
    await page.getByTestId('colormap-select').selectOption('inferno');
    // zscale limits of astropy's ZScaleInterval on the same data: (491.88208, 616.5269444626597).
    await expect
      .poll(async () => Number(await page.getByTestId('limit-low').textContent()), slow)
      .toBeCloseTo(491.88, 1);
    await expect
      .poll(async () => Number(await page.getByTestId('limit-high').textContent()), slow)
      .toBeCloseTo(616.53, 1);
    const after = await canvas.screenshot();
    expect(after.equals(before)).toBe(false);
    // Hover the centre of 0-based pixel (10, 12); astropy: fits.getdata('scale.fits')[12, 10] = 515.5492.
    const zoom = Number(await canvas.getAttribute('data-zoom'));
    const panX = Number(await canvas.getAttribute('data-pan-x'));
    const panY = Number(await canvas.getAttribute('data-pan-y'));
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + panX + 10.5 * zoom, box.y + box.height - (panY + 12.5 * zoom));
    const readout = page.getByTestId('pixel-readout');
    await expect
      .poll(async () => Number(await readout.getAttribute('data-value')), slow)
      .toBeCloseTo(515.5492, 3);
    await expect.poll(() => readout.textContent(), slow).toMatch(/x 11, y 13.*RA \d+:\d+:.*Dec [−+]\d+:/);
    await page.screenshot({ path: join(screenshots, 'inspect-image.png') });
  });

  it('shows a 2048² image through its pyramid: a coarse overview, full-resolution tiles when zoomed', async () => {
    await open(files['large']!);
    // The previous test's image canvas is still attached until the new file replaces it: wait for this one.
    const canvas = page.locator('[data-testid="image-canvas"][aria-label="Image 2048 × 2048"]');
    await canvas.waitFor(slow);
    await expect.poll(() => canvas.getAttribute('data-frames'), slow).not.toBe('0');
    expect(await canvas.getAttribute('data-detail-tiles')).toBe('0');
    const overview = await canvas.screenshot();
    await canvas.focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('+');
    await expect.poll(async () => Number(await canvas.getAttribute('data-zoom')), slow).toBeGreaterThan(1);
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-detail-tiles')), slow)
      .toBeGreaterThan(0);
    expect((await canvas.screenshot()).equals(overview)).toBe(false);
    // The read-out under the pointer is the full-resolution pixel the file holds.
    const zoom = Number(await canvas.getAttribute('data-zoom'));
    const panX = Number(await canvas.getAttribute('data-pan-x'));
    const panY = Number(await canvas.getAttribute('data-pan-y'));
    const box = (await canvas.boundingBox())!;
    const x = Math.floor((box.width / 2 - panX) / zoom);
    const y = Math.floor((box.height / 2 - panY) / zoom);
    await page.mouse.move(box.x + panX + (x + 0.5) * zoom, box.y + box.height - (panY + (y + 0.5) * zoom));
    const readout = page.getByTestId('pixel-readout');
    await expect
      .poll(async () => Number(await readout.getAttribute('data-value')), slow)
      .toBeCloseTo(largePixel(x, y), 3);
  });

  it('scrolls, jumps and sorts a 1,000,000-row table', async () => {
    await open(files['table']!);
    await expect.poll(() => page.getByTestId('row-count').textContent(), slow).toBe('1,000,000 rows');
    const first = page.locator('[data-testid="table-row"][data-row="0"]');
    await expect.poll(() => first.locator('[data-column="ID"]').textContent(), slow).toBe('0');
    await page.getByTestId('jump-row').fill('999999');
    await page.getByTestId('jump-row').press('Enter');
    const last = page.locator('[data-testid="table-row"][data-row="999999"]');
    const expected = tableRow(999_999);
    await expect.poll(() => last.locator('[data-column="ID"]').textContent(), slow).toBe(String(expected.id));
    expect(Number(await last.locator('[data-column="FLUX"]').textContent())).toBe(expected.flux);
    expect(Number(await last.locator('[data-column="MAG"]').textContent())).toBeCloseTo(expected.mag, 5);
    await page.screenshot({ path: join(screenshots, 'inspect-table.png') });

    // Sort by FLUX, descending (second click): the first row holds the largest FLUX written.
    await page.getByTestId('sort-FLUX').click();
    await page.getByTestId('sorted').waitFor();
    await page.getByTestId('sort-FLUX').click();
    await expect.poll(() => page.getByTestId('sorted').textContent(), slow).toContain('↓');
    await page.getByTestId('jump-row').fill('0');
    await page.getByTestId('jump-row').press('Enter');
    let largest = -Infinity;
    let largestRow = -1;
    for (let i = 0; i < ROWS; i++) {
      const flux = tableRow(i).flux;
      if (flux > largest) [largest, largestRow] = [flux, i];
    }
    const top = page.getByTestId('table-row').first();
    await expect.poll(() => top.getAttribute('data-row'), slow).toBe(String(largestRow));
    expect(Number(await top.locator('[data-column="FLUX"]').textContent())).toBe(largest);

    // Statistics and a histogram of a column, over all rows.
    await page.getByTestId('stats-ID').click();
    await expect
      .poll(async () => Number(await page.getByTestId('stats-max').textContent()), slow)
      .toBe(ROWS - 1);
    expect(Number(await page.getByTestId('stats-min').textContent())).toBe(0);
  }, 90_000);

  it('exports the 1,000,000-row table to FITS from the Export menu', async () => {
    await open(files['table']!);
    await expect.poll(() => page.getByTestId('row-count').textContent(), slow).toBe('1,000,000 rows');
    await page.locator('details.menu summary', { hasText: 'Export' }).click();
    const out = join(dir, 'exported.fits');
    await page.getByTestId('export-path').fill(out);
    await page.getByTestId('export-run').click();
    await expect
      .poll(() => page.getByTestId('export-note').textContent(), slow)
      .toBe(`Wrote 1,000,000 rows to ${out}`);
    const header = (await readFile(out)).subarray(2880, 2 * 2880).toString('latin1');
    expect(header).toMatch(/NAXIS2 {2}=\s+1000000 /);
    expect(header).toMatch(/TTYPE1 {2}= 'ID/);
  }, 60_000);

  it('finds a CONTINUE long string whole with the header search', async () => {
    await open(files['header']!);
    await page.getByTestId('tab-header').click();
    await page.getByTestId('header-search').fill('cirrus');
    await expect.poll(() => page.getByTestId('header-card').count(), slow).toBe(1);
    expect(await page.getByTestId('card-value').first().textContent()).toBe(longString);
  });

  it('shows the engine’s error for a truncated file, and the app keeps working', async () => {
    await open(files['truncated']!);
    const problem = page.getByTestId('hdu-problem').or(page.getByTestId('inspect-error')).first();
    await expect.poll(() => problem.textContent(), slow).toMatch(/truncated\.fits.*truncated/);
    await page.keyboard.press('Control+1');
    await page.getByTestId('path-input').waitFor();
    await page.keyboard.press('Control+2');
    await open(files['header']!);
    await expect.poll(() => page.getByTestId('hdu-dims-0').textContent(), slow).toBe('8 × 8');
    expect(pageErrors).toEqual([]);
  });

  it('opens the file named in the URL, as `cradle FILE` prints it', async () => {
    await page.goto(`${served.url}&open=${encodeURIComponent(files['scale']!)}`);
    await expect.poll(() => page.getByTestId('hdu-dims-0').textContent(), slow).toBe('20 × 21');
    expect(await page.getByTestId('image-canvas').count()).toBe(1);
  });
});
