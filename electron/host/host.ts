// The engine side of the API, shared by both transports: the handler for every method in the
// method table, argument validation, job events turned into API events, and one dispatch entry
// (method name + untrusted params → reply) that Electron IPC and the WebSocket server both call.
import type { z } from 'zod';
import type { AppInfo } from '../api/app.ts';
import { JobResultOfKind, type ApiEvent } from '../api/events.ts';
import type { JobSnapshot } from '../api/jobs.ts';
import {
  isMethodName,
  methods,
  type MethodArgs,
  type MethodName,
  type MethodResult,
} from '../api/methods.ts';
import type { ApiErrorCode, Reply } from '../api/protocol.ts';
import { JobRegistry, type JobEvent } from '../jobs/registry.ts';
import { appInfo } from './app-info.ts';
import { listDirectory, statPath } from './files.ts';
import { loadGalaxy } from './galaxy.ts';
import { galaxyClusters } from './galaxy-clusters.ts';
import { inferHandlers } from './infer.ts';
import { InspectService } from './inspect.ts';
import { jobDefinitions } from './job-kinds.ts';
import { RecentFiles } from './recent.ts';
import { SettingsStore } from './settings.ts';
import { starPhotometryHandlers } from './star-photometry.ts';

export interface HostOptions {
  settingsDir: string;
  transport: AppInfo['transport'];
  /** A native folder chooser (Electron); absent in browser mode. */
  chooseDirectory?: (title: string | undefined) => Promise<string | null>;
  /** A native FITS file chooser (Electron); absent in browser mode. */
  chooseFile?: (title: string | undefined) => Promise<string | null>;
  /** Jobs running at once (default: cores − 1). */
  jobConcurrency?: number;
}

type Handlers = { [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> };

/** An error whose message is meant for the user, with the reply code to send. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly code: ApiErrorCode,
  ) {
    super(message);
  }
}

function formatIssues(method: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${method}: ${where}${issue?.message ?? 'invalid arguments'}`;
}

export class Host {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly jobs: JobRegistry;
  private readonly recent: RecentFiles;
  private readonly settings: SettingsStore;
  private readonly handlers: Handlers;
  private readonly inspect = new InspectService();

  constructor(private readonly options: HostOptions) {
    this.recent = new RecentFiles(options.settingsDir);
    this.settings = new SettingsStore(options.settingsDir);
    this.jobs = new JobRegistry({
      onEvent: (event) => this.onJobEvent(event),
      ...(options.jobConcurrency === undefined ? {} : { concurrency: options.jobConcurrency }),
    });
    const infer = inferHandlers(options.settingsDir);
    this.handlers = {
      'app.info': () => appInfo(options.transport),
      'settings.get': () => this.settings.get(),
      'settings.set': (patch) => this.settings.update(patch),
      'files.list': ({ dir, showHidden, limit }) => listDirectory(dir, showHidden, limit),
      'files.stat': ({ path }) => statPath(path),
      'files.recent': () => this.recent.list(),
      'files.addRecent': ({ path }) => this.recent.add(path),
      'files.clearRecent': () => this.recent.clear(),
      'jobs.start': (request) => this.startJob(request),
      'jobs.cancel': ({ id }) => Promise.resolve({ cancelled: this.jobs.cancel(id) }),
      'jobs.list': () => Promise.resolve(this.jobs.list()),
      'fits.open': async (args) => {
        const file = await this.inspect.fileInfo(args);
        await this.recent.add(args.path).catch(() => undefined);
        return file;
      },
      'fits.header': (args) => this.inspect.header(args),
      'fits.checksum': (args) => this.inspect.checksum(args),
      'fits.rows': (args) => this.inspect.rows(args),
      'fits.sort': (args) => this.inspect.sort(args),
      'fits.columnStats': (args) => this.inspect.columnStats(args),
      'fits.imageTile': (args) => this.inspect.imageTile(args),
      'fits.pixel': (args) => this.inspect.pixel(args),
      'fits.spectrum': (args) => this.inspect.spectrum(args),
      'fits.export': (args) => this.inspect.export(args),
      'galaxy.load': loadGalaxy,
      'galaxy.clusters': galaxyClusters,
      ...infer,
      ...starPhotometryHandlers(infer['runs.star']),
      'dialog.chooseFile': async ({ title }) => {
        if (options.chooseFile === undefined) {
          throw new ApiFailure('dialog.chooseFile: no native dialogs in browser mode', 'not-available');
        }
        return { path: await options.chooseFile(title) };
      },
      'dialog.chooseDirectory': async ({ title }) => {
        if (options.chooseDirectory === undefined) {
          throw new ApiFailure('dialog.chooseDirectory: no native dialogs in browser mode', 'not-available');
        }
        return { path: await options.chooseDirectory(title) };
      },
    };
  }

  /** Validates and runs one call. Never throws: every failure becomes an error reply. */
  async dispatch(method: string, params: unknown): Promise<Reply> {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: { code: 'unknown-method', message: `no API method named ${JSON.stringify(method)}` },
      };
    }
    const parsed = methods[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-params', message: formatIssues(method, parsed.error) } };
    }
    try {
      const handler = this.handlers[method] as (args: unknown) => Promise<MethodResult<MethodName>>;
      return { ok: true, result: await handler(parsed.data) };
    } catch (error) {
      const code = error instanceof ApiFailure ? error.code : 'failed';
      return { ok: false, error: { code, message: error instanceof Error ? error.message : String(error) } };
    }
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends an event to every connected UI (also used by Electron menus). */
  emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async dispose(): Promise<void> {
    this.listeners.clear();
    this.inspect.dispose();
    await this.jobs.dispose();
  }

  private async startJob(request: MethodArgs<'jobs.start'>): Promise<JobSnapshot> {
    const snapshot = this.jobs.start(jobDefinitions[request.kind], request.params);
    if (request.kind === 'fits-scan') {
      // Scanning a folder counts as opening it; the list is a convenience, so a failure to save it is not the job's.
      await this.recent.add(request.params.dir).catch(() => undefined);
    }
    return snapshot;
  }

  private onJobEvent(event: JobEvent): void {
    switch (event.type) {
      case 'started':
        this.emit({ type: 'job.started', job: event.job });
        break;
      case 'progress':
        this.emit({ type: 'job.progress', id: event.id, progress: event.progress });
        break;
      case 'log':
        this.emit({ type: 'job.log', id: event.id, message: event.message });
        break;
      case 'done': {
        const result = JobResultOfKind.safeParse({ kind: event.job.kind, value: event.result });
        if (result.success) {
          this.emit({ type: 'job.done', id: event.job.id, job: event.job, result: result.data });
        } else {
          const message = `the ${event.job.kind} job returned a malformed result (${formatIssues(event.job.kind, result.error)})`;
          this.emit({
            type: 'job.failed',
            id: event.job.id,
            job: { ...event.job, state: 'failed', message },
            message,
          });
        }
        break;
      }
      case 'failed':
        this.emit({ type: 'job.failed', id: event.job.id, job: event.job, message: event.message });
        break;
      case 'cancelled':
        this.emit({ type: 'job.cancelled', id: event.job.id, job: event.job });
        break;
    }
  }
}
