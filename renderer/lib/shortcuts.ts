// Keyboard shortcuts of the shell, and how they are written on this platform (⌘ on macOS).

/** The parts of a KeyboardEvent that decide a shortcut. */
export interface KeyChord {
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  code: string;
}

const platform = (globalThis as { navigator?: { platform?: string } }).navigator?.platform ?? '';
export const isMac = /Mac|iPhone|iPad/.test(platform);

export function shortcutLabel(key: string, shift = false): string {
  return isMac ? `${shift ? '⇧' : ''}⌘${key}` : `Ctrl+${shift ? 'Shift+' : ''}${key}`;
}

/** The primary modifier (Cmd on macOS, Ctrl elsewhere) and nothing else, except Shift when asked. */
export function hasPrimaryModifier(event: KeyChord, shift = false): boolean {
  const primary = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  return primary && !event.altKey && event.shiftKey === shift;
}

/** The view digit (1–9) a key event asks for, or null. */
export function viewDigit(event: KeyChord): number | null {
  if (!hasPrimaryModifier(event)) return null;
  const match = /^Digit([1-9])$/.exec(event.code);
  return match ? Number(match[1]) : null;
}
