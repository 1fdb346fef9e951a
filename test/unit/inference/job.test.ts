import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../../electron/host/job-kinds.ts';
import { JobRegistry } from '../../../electron/jobs/registry.ts';
import type { JobEvent } from '../../../electron/jobs/registry.ts';
import { TOY_MODEL, tempDir, writeToyCsv } from './helpers.ts';

function registry(events: JobEvent[]): { jobs: JobRegistry; ended: Promise<JobEvent> } {
  let end: (event: JobEvent) => void = () => undefined;
  const ended = new Promise<JobEvent>((resolve) => (end = resolve));
  const jobs = new JobRegistry({
    concurrency: 1,
    onEvent: (event) => {
      events.push(event);
      if (event.type === 'done' || event.type === 'failed' || event.type === 'cancelled') end(event);
    },
  });
  return { jobs, ended };
}

describe('the infer job kind', () => {
  it('runs in a worker thread with progress in stars and a result naming the summary', async () => {
    const input = writeToyCsv(tempDir('job-input'), 60);
    const out = join(tempDir('job'), 'out');
    const events: JobEvent[] = [];
    const { jobs, ended } = registry(events);
    const params = { model: TOY_MODEL, input, out, samples: 8, steps: 2, chunkRows: 20, cores: 1 };
    jobs.start(jobDefinitions.infer, params);
    const end = await ended;
    expect(end.type, end.type === 'failed' ? end.message : '').toBe('done');
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
    expect(progress.at(-1)).toMatchObject({ done: 60, total: 60, unit: 'stars' });
    const result = (end as Extract<JobEvent, { type: 'done' }>).result as { status: string; summary: string };
    expect(result.status).toBe('complete');
    expect(existsSync(result.summary)).toBe(true);
    await jobs.dispose();
  }, 60_000);

  it('fails with the parameter that is wrong', async () => {
    const events: JobEvent[] = [];
    const { jobs, ended } = registry(events);
    jobs.start(jobDefinitions.infer, { input: 'relative.csv', out: '/tmp/x' });
    const end = await ended;
    expect(end.type).toBe('failed');
    expect(end.type === 'failed' ? end.message : '').toMatch(/input/);
    await jobs.dispose();
  }, 60_000);
});
