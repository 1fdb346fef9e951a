// The Models, Simulate and Infer views in browser mode, end to end on a small demo sky: the shipped
// toy model listed with its card; a 300-star demo sky simulated as a job from the Simulate view and
// handed to Infer; the toy model's inputs mapped onto catalogue columns by expression (it is not a
// stellar model, so nothing maps by itself) and saved; inference run as a job to 100%; the results
// table filled; a star opened with its marginals and corner plot; the summary exported to CSV; a second
// run with a known parameter (theta_0 given), which every star is conditioned on.
// Saves (in `screenshots`, harness.ts) {models,simulate,infer}.png.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../electron/catalog/parquet.ts';
import { launchChromium, screenshots, serve, type Served } from './harness.ts';

let served: Served;
let browser: Browser;
let page: Page;
let dir: string;
const pageErrors: string[] = [];
/** The shared machine is slow: the simulation and inference jobs get generous limits. */
const JOB_MS = 120_000;

beforeAll(async () => {
  dir = join(tmpdir(), 'cradle-e2e-infer');
  await rm(dir, { recursive: true, force: true });
  await mkdir(screenshots, { recursive: true });
  served = await serve();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(served.url);
  await page.getByTestId('shell').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Models view', () => {
  it('lists the shipped toy model with its card and calibration', async () => {
    await page.keyboard.press('Control+6');
    await page.getByTestId('models-view').waitFor();
    await expect
      .poll(() => page.getByTestId('model-item').allTextContents())
      .toContainEqual(expect.stringContaining('toy-gaussian'));
    // Other shipped models may sort first: this test is about the toy model's card.
    await page.getByTestId('model-item').filter({ hasText: 'toy-gaussian' }).click();
    const card = page.getByTestId('model-card');
    await expect.poll(() => card.textContent()).toContain('theta_0');
    expect(await page.getByTestId('calibration').textContent()).toContain('all_observables');
    expect(await page.getByTestId('domain-adaptation').textContent()).toContain('Not adapted');
    await page.locator('figure img').first().waitFor();
    await page.screenshot({ path: join(screenshots, 'models.png') });
  });

  it('shows how the adapted model was adapted and that it reads through an encoder', async () => {
    await page.getByTestId('model-item').filter({ hasText: 'real-da-kpg' }).click();
    await expect
      .poll(() => page.getByTestId('domain-adaptation').textContent())
      .toContain('Adapted to real data (kpg)');
    const encoders = await page.getByTestId('card-encoders').textContent();
    expect(encoders).toContain('photometry');
    expect(encoders).toContain('takes no known parameters');
  });
});

describe('Simulate → Infer', () => {
  it(
    'simulates a small demo sky as a job and opens it in Infer',
    async () => {
      await page.keyboard.press('Control+3');
      await page.getByTestId('simulate-view').waitFor();
      await page.getByTestId('sim-stars').fill('300');
      await page.getByTestId('sim-out').fill(join(dir, 'demo'));
      await page.getByTestId('sim-start').click();
      await page.getByTestId('sim-progress').waitFor();
      await page.getByTestId('sim-result').waitFor({ timeout: JOB_MS });
      expect(await page.getByTestId('sim-state').textContent()).toContain('done');
      expect(await page.getByTestId('sim-result').textContent()).toContain('300 stars written');
      await page.screenshot({ path: join(screenshots, 'simulate.png') });
      await page.getByTestId('sim-open-infer').click();
      await page.getByTestId('infer-view').waitFor();
      await expect
        .poll(() => page.getByTestId('infer-catalog-summary').textContent(), { timeout: 30_000 })
        .toContain('300 rows');
    },
    JOB_MS + 30_000,
  );

  it(
    'maps the toy model onto the catalogue, runs it to 100% and shows the results',
    async () => {
      // Other shipped models may be the default: choose the toy model (the catalogue is read again).
      await page.getByTestId('infer-model').selectOption('toy-gaussian');
      await page.locator('[data-testid="mapping-row"][data-name="x_0"]').waitFor();
      await expect.poll(() => page.getByText('Reading the catalogue…').count()).toBe(0);
      const source = (name: string) =>
        page.locator(`[data-testid="mapping-row"][data-name="${name}"] [data-testid="mapping-source"]`);
      await source('x_0').fill('(phot_g_mean_mag - 15) / 2');
      await source('x_1').fill('phot_bp_mean_mag - phot_rp_mean_mag');
      await source('x_2').fill('j_m - ks_m');
      await page.getByTestId('mapping-save').click();
      await expect.poll(() => page.getByTestId('mapping-note').textContent()).toContain('Mapping saved');
      // Counts per input come from the saved mapping: every star with G (BP, RP; J, Ks) has it.
      const counts = await page
        .getByTestId('mapping-row')
        .evaluateAll((rows) =>
          rows.map((row) => Number((row.children[3]?.textContent ?? '').replace(/\D/g, ''))),
        );
      expect(counts.every((c) => c > 200 && c <= 300)).toBe(true);
      await page.getByTestId('infer-samples').fill('32');
      await page.getByTestId('infer-steps').fill('4');
      expect(await page.getByTestId('infer-cost').textContent()).toMatch(/FLOP per star/);
      await page.getByTestId('infer-run').click();
      await expect
        .poll(() => page.getByTestId('infer-state').textContent(), { timeout: JOB_MS })
        .toMatch(/^\s*done/);
      expect(await page.getByTestId('infer-percent').textContent()).toBe('100%');
      await page.getByTestId('result-row').first().waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('results-table').textContent()).toContain('300 stars');
      await expect.poll(() => page.getByTestId('result-row').first().textContent()).not.toContain('…');

      await page.getByTestId('result-row').nth(2).click();
      await page.getByTestId('star-view').waitFor();
      await expect.poll(() => page.getByTestId('star-marginal').count(), { timeout: 30_000 }).toBe(2);
      await page.getByTestId('star-corner').waitFor();
      expect(await page.getByTestId('star-view').textContent()).toContain('row 2');
      await page.screenshot({ path: join(screenshots, 'infer.png') });

      const target = join(dir, 'posteriors.csv');
      await page.getByTestId('infer-export-path').fill(target);
      await page.getByTestId('infer-export').click();
      await expect
        .poll(() => page.getByTestId('infer-export-note').textContent())
        .toContain('Wrote 300 rows');
      expect(existsSync(target)).toBe(true);
      expect(readFileSync(target, 'utf8').split('\n')[0]).toContain('theta_0_median');
      expect(pageErrors).toEqual([]);
    },
    JOB_MS + 60_000,
  );

  it(
    'runs again with a known parameter, which every star is conditioned on',
    async () => {
      const out = join(dir, 'run-given');
      await page.getByTestId('infer-out').fill(out);
      await page.getByText('Known parameters').click();
      await page.locator('[data-testid="infer-given"][data-name="theta_0"]').fill('0.5');
      await page.getByTestId('infer-run').click();
      // The state still reads "done" from the first run: wait for this run's summary instead.
      await expect.poll(() => existsSync(join(out, 'summary.parquet')), { timeout: JOB_MS }).toBe(true);
      await expect
        .poll(() => page.getByTestId('infer-state').textContent(), { timeout: JOB_MS })
        .toMatch(/^\s*done/);
      const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
        input: { given?: unknown };
      };
      expect(record.input.given).toEqual({ theta_0: '0.5' });
      // Every star's theta_0 is the given value; theta_1 is still a posterior (a spread).
      const summary = (await readParquet(join(out, 'summary.parquet'))).table;
      const column = (name: string): number[] => [...summary.getChild(name)!].map(Number);
      expect(column('theta_0_median').every((v) => v === 0.5)).toBe(true);
      const [low, high] = [column('theta_1_p16'), column('theta_1_p84')];
      expect(low.every((v, i) => high[i]! - v > 0.05)).toBe(true);
      expect(pageErrors).toEqual([]);
    },
    JOB_MS + 30_000,
  );
});
