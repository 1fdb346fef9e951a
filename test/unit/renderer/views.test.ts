// The rail's views: six, in order, one shortcut digit each.
import { describe, expect, it } from 'vitest';
import { viewDigit, type KeyChord } from '../../../renderer/lib/shortcuts.ts';
import { viewForKey, views } from '../../../renderer/lib/views.ts';

describe('rail views', () => {
  it('lists Files, Inspect, Simulate, Infer, Galaxy, Models on keys 1–6', () => {
    expect(views.map((view) => [view.label, view.key])).toEqual([
      ['Files', 1],
      ['Inspect', 2],
      ['Simulate', 3],
      ['Infer', 4],
      ['Galaxy', 5],
      ['Models', 6],
    ]);
    expect(viewForKey(5)?.name).toBe('galaxy');
    expect(viewForKey(7)).toBeUndefined();
  });

  it('reads Ctrl+digit (not Alt or Meta combinations) as a view shortcut', () => {
    const key = (init: Partial<KeyChord>): KeyChord => ({
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      code: '',
      ...init,
    });
    expect(viewDigit(key({ ctrlKey: true, code: 'Digit3' }))).toBe(3);
    expect(viewDigit(key({ code: 'Digit3' }))).toBeNull();
    expect(viewDigit(key({ ctrlKey: true, altKey: true, code: 'Digit3' }))).toBeNull();
    expect(viewDigit(key({ ctrlKey: true, shiftKey: true, code: 'Digit3' }))).toBeNull();
    expect(viewDigit(key({ ctrlKey: true, code: 'KeyA' }))).toBeNull();
  });
});
