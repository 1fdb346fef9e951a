// The Files view's state: the folder shown, its listing, the recent list, and the FITS scan
// started from here (the job itself lives in JobsState).
import type { DirListing, RecentEntry } from '../../electron/api/files.ts';
import type { CradleApi } from '../lib/client.ts';

export class FilesState {
  dir = $state<string | null>(null);
  listing = $state<DirListing | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  showHidden = $state(false);
  recent = $state<RecentEntry[]>([]);
  selected = $state<string | null>(null);
  /** The scan job started from this view, most recent first. */
  scanJobId = $state<string | null>(null);
  scanError = $state<string | null>(null);

  constructor(private readonly api: CradleApi) {}

  async load(startDir: string): Promise<void> {
    await Promise.all([this.open(startDir), this.loadRecent()]);
  }

  async loadRecent(): Promise<void> {
    this.recent = await this.api.call('files.recent', {});
  }

  async open(dir: string): Promise<void> {
    this.loading = true;
    try {
      const listing = await this.api.call('files.list', { dir, showHidden: this.showHidden });
      this.listing = listing;
      this.dir = listing.dir;
      this.error = null;
      this.selected = null;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.loading = false;
    }
  }

  refresh(): Promise<void> {
    return this.dir === null ? Promise.resolve() : this.open(this.dir);
  }

  up(): Promise<void> {
    const parent = this.listing?.parent;
    return parent ? this.open(parent) : Promise.resolve();
  }

  async toggleHidden(): Promise<void> {
    this.showHidden = !this.showHidden;
    await this.refresh();
  }

  async startScan(paceMs = 0): Promise<void> {
    if (this.dir === null) return;
    try {
      const job = await this.api.call('jobs.start', { kind: 'fits-scan', params: { dir: this.dir, paceMs } });
      this.scanJobId = job.id;
      this.scanError = null;
      await this.loadRecent();
    } catch (error) {
      this.scanError = (error as Error).message;
    }
  }

  async clearRecent(): Promise<void> {
    this.recent = await this.api.call('files.clearRecent', {});
  }
}
