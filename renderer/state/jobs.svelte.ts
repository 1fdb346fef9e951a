// Every job the engine reports, kept current from its events, with the results of finished jobs.
import type { ApiEvent, JobResultOfKind } from '../../electron/api/events.ts';
import type { JobSnapshot } from '../../electron/api/jobs.ts';
import type { CradleApi } from '../lib/client.ts';

export class JobsState {
  jobs = $state<JobSnapshot[]>([]);
  results = $state<Record<string, JobResultOfKind>>({});
  running = $derived(this.jobs.filter((job) => job.state === 'running' || job.state === 'queued'));

  constructor(private readonly api: CradleApi) {}

  async load(): Promise<void> {
    this.jobs = await this.api.call('jobs.list', {});
  }

  get(id: string): JobSnapshot | undefined {
    return this.jobs.find((job) => job.id === id);
  }

  cancel(id: string): Promise<{ cancelled: boolean }> {
    return this.api.call('jobs.cancel', { id });
  }

  apply(event: ApiEvent): void {
    switch (event.type) {
      case 'job.started':
        this.upsert(event.job);
        break;
      case 'job.progress': {
        const job = this.get(event.id);
        if (job !== undefined) job.progress = event.progress;
        break;
      }
      case 'job.done':
        this.results[event.id] = event.result;
        this.upsert(event.job);
        break;
      case 'job.failed':
      case 'job.cancelled':
        this.upsert(event.job);
        break;
      default:
        break;
    }
  }

  private upsert(job: JobSnapshot): void {
    const index = this.jobs.findIndex((existing) => existing.id === job.id);
    if (index === -1) this.jobs.push(job);
    else this.jobs[index] = job;
  }
}
