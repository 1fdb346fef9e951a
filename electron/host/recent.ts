// The recent list: files and folders the user opened or scanned, most recent first, without
// duplicates, at most `limit`, kept in recent.json in the settings folder.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RecentList, type RecentEntry } from '../api/files.ts';
import { JsonStore } from './json-store.ts';

export class RecentFiles {
  private readonly store: JsonStore<typeof RecentList>;

  constructor(
    settingsDir: string,
    private readonly limit = 20,
    private readonly now: () => number = Date.now,
  ) {
    this.store = new JsonStore(join(settingsDir, 'recent.json'), RecentList, () => []);
  }

  async list(): Promise<RecentEntry[]> {
    return (await this.store.load()).value;
  }

  async add(path: string): Promise<RecentEntry[]> {
    const info = await stat(path).catch((error: unknown) => {
      throw new Error(`cannot add ${path} to the recent list: ${(error as Error).message}`);
    });
    const entry: RecentEntry = {
      path,
      kind: info.isDirectory() ? 'directory' : 'file',
      openedMs: this.now(),
    };
    const others = (await this.list()).filter((item) => item.path !== path);
    const next = [entry, ...others].slice(0, this.limit);
    await this.store.save(next);
    return next;
  }

  async clear(): Promise<RecentEntry[]> {
    await this.store.save([]);
    return [];
  }
}
