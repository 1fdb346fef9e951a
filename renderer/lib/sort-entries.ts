// The order of a folder listing: folders first, then by the chosen column (names in natural order,
// "img2" before "img10"), ties broken by name.
import type { FileEntry } from '../../electron/api/files.ts';

export type SortKey = 'name' | 'size' | 'modified' | 'type';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function typeOf(entry: FileEntry): string {
  if (entry.kind !== 'file') return entry.kind;
  const dot = entry.name.lastIndexOf('.');
  return dot > 0 ? entry.name.slice(dot + 1).toLowerCase() : '';
}

export function sortEntries(entries: readonly FileEntry[], key: SortKey, ascending: boolean): FileEntry[] {
  const direction = ascending ? 1 : -1;
  const byKey = (a: FileEntry, b: FileEntry): number => {
    switch (key) {
      case 'size':
        return a.sizeBytes - b.sizeBytes;
      case 'modified':
        return a.modifiedMs - b.modifiedMs;
      case 'type':
        return collator.compare(typeOf(a), typeOf(b));
      case 'name':
        return 0;
    }
  };
  return [...entries].sort((a, b) => {
    const folders = (a.kind === 'directory' ? 0 : 1) - (b.kind === 'directory' ? 0 : 1);
    if (folders !== 0) return folders;
    return direction * (byKey(a, b) || collator.compare(a.name, b.name));
  });
}
