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
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => showHidden || !name.startsWith('.'));
  } catch (error) {
    throw explain(dir, error);
  }
  const settled = await Promise.allSettled(names.map((name) => entryFor(join(dir, name))));
  // An entry that vanished or cannot be stat'ed between readdir and lstat is left out.
  const entries = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  entries.sort((a, b) => {
    const aDir = a.kind === 'directory' ? 0 : 1;
    const bDir = b.kind === 'directory' ? 0 : 1;
    return aDir - bDir || collator.compare(a.name, b.name);
  });
  const parent = dirname(dir);
  return {
    dir,
    parent: parent === dir ? null : parent,
    entries: entries.slice(0, limit),
    totalEntries: entries.length,
  };
}
