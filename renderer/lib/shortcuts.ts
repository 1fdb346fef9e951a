// Keyboard shortcuts of the shell, and how they are written on this platform (⌘ on macOS).

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function shortcutLabel(key: string, shift = false): string {
  return isMac ? `${shift ? '⇧' : ''}⌘${key}` : `Ctrl+${shift ? 'Shift+' : ''}${key}`;
}

/** The primary modifier (Cmd on macOS, Ctrl elsewhere) and nothing else, except Shift when asked. */
export function hasPrimaryModifier(event: KeyboardEvent, shift = false): boolean {
  const primary = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  return primary && !event.altKey && event.shiftKey === shift;
}

/** The view digit (1–9) a key event asks for, or null. */
export function viewDigit(event: KeyboardEvent): number | null {
  if (!hasPrimaryModifier(event)) return null;
  const match = /^Digit([1-9])$/.exec(event.code);
  return match ? Number(match[1]) : null;
}
