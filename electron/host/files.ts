// Directory listings and file details for the Files view. Only metadata is read here. Errors name
// the path and the reason in words a user acts on ("permission denied"), not just an errno code.
import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { DirListing, FileEntry } from '../api/files.ts';
import { hasFitsName } from './fits-names.ts';

const reasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many symbolic links',
};

function explain(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return new Error(`${path}: ${reasons[code] ?? (error as Error).message}`);
}

function kindOf(info: Stats): FileEntry['kind'] {
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isDirectory()) return 'directory';
  if (info.isFile()) return 'file';
  return 'other';
}

async function entryFor(path: string): Promise<FileEntry> {
  const link = await lstat(path);
  // A symlink shows its target's size and type, but stays marked as a link.
  const target = link.isSymbolicLink() ? await stat(path).catch(() => link) : link;
  const targetKind = kindOf(target);
  const kind = link.isSymbolicLink() && targetKind === 'directory' ? 'directory' : kindOf(link);
  return {
    name: basename(path) || path,
    path,
    kind,
    sizeBytes: targetKind === 'directory' ? 0 : target.size,
    modifiedMs: target.mtimeMs,
    fitsName: targetKind === 'file' && hasFitsName(path),
  };
}

export async function statPath(path: string): Promise<FileEntry> {
  const absolute = resolve(path);
  try {
    return await entryFor(absolute);
  } catch (error) {
    throw explain(absolute, error);
  }
}

export async function listDirectory(
  dirPath: string,
  showHidden: boolean,
  limit: number,
): Promise<DirListing> {
  const dir = resolve(dirPath);
  let dirents;
  try {
    dirents = (await readdir(dir, { withFileTypes: true })).filter(
      (dirent) => showHidden || !dirent.name.startsWith('.'),
    );
  } catch (error) {
    throw explain(dir, error);
  }
  // Order by the cheap facts readdir gives (folder or not, name) and stat only what is shown, so a
  // survey dump with a million files lists as fast as a small folder.
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  dirents.sort((a, b) => {
    const aDir = a.isDirectory() ? 0 : 1;
    const bDir = b.isDirectory() ? 0 : 1;
    return aDir - bDir || collator.compare(a.name, b.name);
  });
  const shown = dirents.slice(0, limit);
  const settled = await Promise.allSettled(shown.map((dirent) => entryFor(join(dir, dirent.name))));
  // An entry that vanished or cannot be stat'ed between readdir and lstat is left out.
  const entries = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const parent = dirname(dir);
  return {
    dir,
    parent: parent === dir ? null : parent,
    entries,
    totalEntries: dirents.length,
  };
}
