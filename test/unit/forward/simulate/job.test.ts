// The simulate job as the UI starts it: through the job registry, in a worker thread, with progress.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobRegistry, type JobEvent } from '../../../../electron/jobs/registry.ts';
import { jobDefinitions } from '../../../../electron/host/job-kinds.ts';
import { HAS_SPLINE } from '../reference.ts';

const root = mkdtempSync(join(tmpdir(), 'cradle-simjob-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!HAS_SPLINE)('simulate job', () => {
  it('runs a config in a worker and reports progress and its result', async () => {
    const events: JobEvent[] = [];
    const out = join(root, 'run');
    const done = new Promise<JobEvent>((resolve) => {
      const registry = new JobRegistry({
        concurrency: 1,
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'done' || event.type === 'failed') {
            resolve(event);
            void registry.dispose();
          }
        },
      });
      registry.start(jobDefinitions.simulate, {
        config: {
          seed: 2,
          region: { kind: 'cone', lDeg: 45, bDeg: 50, radiusDeg: 0.3 },
          magnitudeLimit: { band: 'gaia.g', max: 18 },
        },
        out,
        workers: 0,
      });
    });
    const end = await done;
    if (end.type !== 'done') throw new Error(JSON.stringify(end));
    const result = end.result as { rows: number; files: string[]; out: string };
    expect(result.rows).toBeGreaterThan(20);
    expect(result.files).toEqual(['catalog.parquet', 'truth.parquet']);
    expect(existsSync(join(out, 'catalog.parquet'))).toBe(true);
    expect((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { rows: number }).rows).toBe(
      result.rows,
    );
    expect(events.some((e) => e.type === 'progress')).toBe(true);
  }, 120000);
});
