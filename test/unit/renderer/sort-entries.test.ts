// Sorting a folder listing by a column: folders stay first, names sort naturally, ties by name.
import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../../electron/api/files.ts';
import { sortEntries } from '../../../renderer/lib/sort-entries.ts';

const entry = (name: string, kind: FileEntry['kind'], sizeBytes: number, modifiedMs: number): FileEntry => ({
  name,
  path: `/d/${name}`,
  kind,
  sizeBytes,
  modifiedMs,
  fitsName: name.endsWith('.fits'),
});

const entries = [
  entry('img10.fits', 'file', 300, 3),
  entry('zeta', 'directory', 0, 9),
  entry('img2.fits', 'file', 100, 1),
  entry('notes.txt', 'file', 200, 2),
  entry('Alpha', 'directory', 0, 8),
];

describe('sortEntries', () => {
  it('sorts by name naturally, folders first, either way round', () => {
    expect(sortEntries(entries, 'name', true).map((e) => e.name)).toEqual([
      'Alpha',
      'zeta',
      'img2.fits',
      'img10.fits',
      'notes.txt',
    ]);
    expect(sortEntries(entries, 'name', false).map((e) => e.name)).toEqual([
      'zeta',
      'Alpha',
      'notes.txt',
      'img10.fits',
      'img2.fits',
    ]);
  });

  it('sorts by size, date and type', () => {
    expect(
      sortEntries(entries, 'size', false)
        .map((e) => e.name)
        .slice(2),
    ).toEqual(['img10.fits', 'notes.txt', 'img2.fits']);
    expect(
      sortEntries(entries, 'modified', true)
        .map((e) => e.name)
        .slice(2),
    ).toEqual(['img2.fits', 'notes.txt', 'img10.fits']);
    expect(
      sortEntries(entries, 'type', true)
        .map((e) => e.name)
        .slice(2),
    ).toEqual(['img2.fits', 'img10.fits', 'notes.txt']);
  });

  it('leaves its input alone', () => {
    const copy = [...entries];
    sortEntries(entries, 'size', true);
    expect(entries).toEqual(copy);
  });
});
