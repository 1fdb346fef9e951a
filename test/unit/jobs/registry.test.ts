// The job registry with real worker threads: progress and results flow back, failures and crashes
// become 'failed' with a message, cancel stops a job (cooperatively, or by termination after the
// grace period), and the concurrency limit queues the rest.
import { afterEach, describe, expect, it } from 'vitest';
import { JobRegistry, type JobEvent, type JobKindDefinition } from '../../../electron/jobs/registry.ts';

const count: JobKindDefinition = {
  kind: 'count',
  entry: new URL('./fixtures/count.worker.ts', import.meta.url),
  unit: 'steps',
  title: (params) => `count to ${(params as { n: number }).n}`,
};

let registry: JobRegistry | undefined;

afterEach(async () => {
  await registry?.dispose();
  registry = undefined;
});

function setup(options: { concurrency?: number; cancelGraceMs?: number } = {}): {
  registry: JobRegistry;
  events: JobEvent[];
  ended: (id: string) => Promise<JobEvent>;
} {
  const events: JobEvent[] = [];
  const waiters = new Map<string, (event: JobEvent) => void>();
  registry = new JobRegistry({
    concurrency: options.concurrency ?? 2,
    cancelGraceMs: options.cancelGraceMs ?? 2000,
    onEvent(event) {
      events.push(event);
      if (event.type === 'done' || event.type === 'failed' || event.type === 'cancelled') {
        waiters.get(event.job.id)?.(event);
      }
    },
  });
  return {
    registry,
    events,
    ended: (id) => new Promise((resolve) => waiters.set(id, resolve)),
  };
}

describe('JobRegistry', () => {
  it('runs a job in a worker and reports progress, log and result', async () => {
    const { registry, events, ended } = setup();
    const job = registry.start(count, { n: 5, stepMs: 5 });
    expect(job.title).toBe('count to 5');
    const end = await ended(job.id);
    expect(end.type).toBe('done');
    if (end.type !== 'done') return;
    expect(end.result).toEqual({ counted: 5, values: new Float64Array([0.5, 1.5]) });
    const progress = events.flatMap((event) => (event.type === 'progress' ? [event.progress] : []));
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.every((p) => p.total === 5 && p.unit === 'steps')).toBe(true);
    expect(events).toContainEqual({ type: 'log', id: job.id, message: 'counted to 5' });
    expect(registry.get(job.id)?.state).toBe('done');
    expect(registry.get(job.id)?.endedMs).not.toBeNull();
  });

  it('reports a job that throws as failed, with its message', async () => {
    const { registry, ended } = setup();
    const job = registry.start(count, { n: 5, stepMs: 1, failAt: 2 });
    const end = await ended(job.id);
    expect(end).toMatchObject({ type: 'failed', message: 'step 2 failed on purpose' });
    expect(registry.get(job.id)).toMatchObject({ state: 'failed', message: 'step 2 failed on purpose' });
  });

  it('reports a worker that exits abruptly as failed', async () => {
    const { registry, ended } = setup();
    const job = registry.start(count, { n: 5, stepMs: 1, exitAt: 1 });
    const end = await ended(job.id);
    expect(end.type).toBe('failed');
    if (end.type === 'failed') expect(end.message).toMatch(/exit code 3/);
  });

  it('cancels a running job cooperatively', async () => {
    const { registry, events, ended } = setup();
    const job = registry.start(count, { n: 10_000, stepMs: 2 });
    while (!events.some((event) => event.type === 'progress')) await new Promise((r) => setTimeout(r, 5));
    expect(registry.cancel(job.id)).toBe(true);
    const end = await ended(job.id);
    expect(end.type).toBe('cancelled');
    expect(registry.get(job.id)?.state).toBe('cancelled');
    expect(registry.cancel(job.id)).toBe(false);
  });

  it('terminates a job that ignores cancellation after the grace period', async () => {
    const { registry, ended } = setup({ cancelGraceMs: 100 });
    const job = registry.start(count, { n: 10_000, stepMs: 2, ignoreCancel: true });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    registry.cancel(job.id);
    const end = await ended(job.id);
    expect(end.type).toBe('cancelled');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('queues jobs beyond the concurrency limit and cancels queued ones without starting them', async () => {
    const { registry, ended } = setup({ concurrency: 1 });
    const first = registry.start(count, { n: 3, stepMs: 5 });
    const second = registry.start(count, { n: 2, stepMs: 5 });
    const third = registry.start(count, { n: 2, stepMs: 5 });
    expect(registry.get(first.id)?.state).toBe('running');
    expect(registry.get(second.id)?.state).toBe('queued');
    expect(registry.cancel(third.id)).toBe(true);
    expect(registry.get(third.id)?.state).toBe('cancelled');
    await ended(first.id);
    expect(registry.get(second.id)?.state).toBe('running');
    expect((await ended(second.id)).type).toBe('done');
    expect(registry.cancel('job-999')).toBe(false);
  });
});
