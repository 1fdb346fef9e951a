// The user's settings (settings.json in the settings folder), read and patched through the API.
import { join } from 'node:path';
import { defaultSettings, Settings, type SettingsPatch } from '../api/settings.ts';
import { JsonStore } from './json-store.ts';

export class SettingsStore {
  private readonly store: JsonStore<typeof Settings>;

  constructor(settingsDir: string) {
    this.store = new JsonStore(join(settingsDir, 'settings.json'), Settings, () => ({ ...defaultSettings }));
  }

  async get(): Promise<Settings> {
    return (await this.store.load()).value;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = { ...(await this.get()), ...patch };
    await this.store.save(next);
    return next;
  }
}
