// The rail's views: six, in order, one shortcut digit each; every view not built yet names the
// issue that brings it (by its exact title), so the shell never shows invented content.
import { describe, expect, it } from 'vitest';
import { viewDigit, type KeyChord } from '../../../renderer/lib/shortcuts.ts';
import { viewForKey, views } from '../../../renderer/lib/views.ts';

const issueTitles = [
  'The FITS inspector: look inside any FITS file, like fv and DS9 would let you',
  'The forward-model simulator: Milky Way population, young clusters, surveys, training sets',
  'Infer and Galaxy views: run a catalog, then fly through a 3D map of young-star ages and clusters',
  'The Simformer: training, ONNX export and calibration in `native-models/`',
];

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

  it('says for each planned view which issue brings it', () => {
    expect(views.find((view) => view.name === 'files')?.planned).toBeNull();
    for (const view of views.filter((v) => v.planned !== null)) {
      expect(issueTitles, view.name).toContain(view.planned?.issue);
      expect(view.planned?.features.length, view.name).toBeGreaterThan(0);
    }
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
