// The user's settings that outlive a session (kept in the settings folder, not in the browser, so
// browser mode on a fresh port and the desktop app share them).
import { z } from 'zod';

export const Theme = z.enum(['dark', 'light']);
export type Theme = z.infer<typeof Theme>;

export const Settings = z.object({
  theme: Theme,
});
export type Settings = z.infer<typeof Settings>;

export const defaultSettings: Settings = { theme: 'dark' };

export const SettingsPatch = Settings.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;
