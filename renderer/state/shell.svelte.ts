// The shell's state: which view is shown, the theme (saved in the user's settings through the API,
// so it survives browser mode's changing port), and what the engine said about itself.
import type { AppInfo } from '../../electron/api/app.ts';
import type { ViewName } from '../../electron/api/events.ts';
import type { Theme } from '../../electron/api/settings.ts';
import type { CradleApi } from '../lib/client.ts';

export class ShellState {
  view = $state<ViewName>('files');
  theme = $state<Theme>('dark');
  info = $state<AppInfo | null>(null);
  /** A problem the user should see in the status bar (e.g. settings not saved). */
  notice = $state<string | null>(null);

  constructor(private readonly api: CradleApi) {}

  async load(): Promise<void> {
    const [info, settings] = await Promise.all([
      this.api.call('app.info', {}),
      this.api.call('settings.get', {}),
    ]);
    this.info = info;
    this.applyTheme(settings.theme);
  }

  navigate(view: ViewName): void {
    this.view = view;
  }

  async setTheme(theme: Theme): Promise<void> {
    this.applyTheme(theme);
    try {
      await this.api.call('settings.set', { theme });
      this.notice = null;
    } catch (error) {
      this.notice = `Theme not saved: ${(error as Error).message}`;
    }
  }

  toggleTheme(): Promise<void> {
    return this.setTheme(this.theme === 'dark' ? 'light' : 'dark');
  }

  private applyTheme(theme: Theme): void {
    this.theme = theme;
    document.documentElement.dataset['theme'] = theme;
  }
}
