// The Inspect view's state: the open file (its HDU tree), the chosen HDU and tab, the recent
// files, and the last error — which stays inside the view so the rest of the app keeps working.
import type { RecentEntry } from '../../electron/api/files.ts';
import type { InspectFile, InspectHdu } from '../../electron/api/inspect.ts';
import type { CradleApi } from '../lib/client.ts';

export type InspectTab = 'header' | 'data';

export class InspectState {
  file = $state<InspectFile | null>(null);
  hduIndex = $state(0);
  tab = $state<InspectTab>('data');
  error = $state<string | null>(null);
  loading = $state(false);
  recent = $state<RecentEntry[]>([]);
  /** When the last open was asked for and when its first data was on screen (ms, performance.now()). */
  openedAt = $state(0);

  constructor(private readonly api: CradleApi) {}

  get hdu(): InspectHdu | undefined {
    return this.file?.hdus[this.hduIndex];
  }

  async loadRecent(): Promise<void> {
    const all = await this.api.call('files.recent', {});
    this.recent = all.filter((entry) => entry.kind === 'file');
  }

  async open(path: string): Promise<void> {
    this.loading = true;
    this.openedAt = performance.now();
    try {
      const file = await this.api.call('fits.open', { path: path.trim() });
      this.file = file;
      this.error = null;
      // Show the first HDU with something to see; else the first damaged one (its problem shows); else the primary.
      const shown = file.hdus.find((hdu) => hdu.view !== 'none' && hdu.problem === null);
      const damaged = file.hdus.find((hdu) => hdu.problem !== null);
      this.hduIndex = shown?.index ?? damaged?.index ?? 0;
      this.tab = shown === undefined ? 'header' : 'data';
    } catch (error) {
      this.error = (error as Error).message;
      this.file = null;
    } finally {
      this.loading = false;
    }
    await this.loadRecent().catch(() => undefined);
  }

  /** Verify a large HDU's CHECKSUM/DATASUM, which opening the file leaves unchecked. */
  async verify(index: number): Promise<void> {
    const file = this.file;
    const hdu = file?.hdus[index];
    if (file === null || hdu === undefined) return;
    try {
      const sums = await this.api.call('fits.checksum', { path: file.path, hdu: index });
      hdu.checksum = sums.checksum;
      hdu.datasum = sums.datasum;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  select(index: number): void {
    this.hduIndex = index;
    const hdu = this.file?.hdus[index];
    if (hdu !== undefined && (hdu.view === 'none' || hdu.problem !== null)) this.tab = 'header';
  }
}
