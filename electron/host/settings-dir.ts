// Where Cradle keeps the user's settings: $CRADLE_HOME when set (tests, portable installs), else the
// platform's config folder — $XDG_CONFIG_HOME/cradle or ~/.config/cradle on Linux,
// ~/Library/Application Support/Cradle on macOS, %APPDATA%\Cradle on Windows.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function settingsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const explicit = env['CRADLE_HOME'];
  if (explicit) return explicit;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Cradle');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Cradle');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'cradle');
}
