// File-system views the UI needs: directory listings, one entry's details, and the recent list.
// Only metadata crosses here; contents are read by the capabilities that understand them.
import { z } from 'zod';
import { AbsolutePath } from './common.ts';

export const EntryKind = z.enum(['file', 'directory', 'symlink', 'other']);

export const FileEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: EntryKind,
  /** Size in bytes (of the target, for a symlink); 0 for directories. */
  sizeBytes: z.number().nonnegative(),
  modifiedMs: z.number(),
  /** The name ends in a FITS extension (.fits .fit .fts .fz, optionally .gz); the magic is not read here. */
  fitsName: z.boolean(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const DirListing = z.object({
  dir: z.string(),
  parent: z.string().nullable(),
  /** Directories first, then files, each sorted by name; at most `limit` entries. */
  entries: z.array(FileEntry),
  /** How many entries the directory holds in all (more than entries.length when truncated). */
  totalEntries: z.number().int().nonnegative(),
});
export type DirListing = z.infer<typeof DirListing>;

export const ListParams = z
  .object({
    dir: AbsolutePath,
    showHidden: z.boolean().default(false),
    limit: z.number().int().min(1).max(100_000).default(5_000),
  })
  .strict();

export const StatParams = z.object({ path: AbsolutePath }).strict();

export const RecentEntry = z.object({
  path: z.string(),
  kind: z.enum(['file', 'directory']),
  openedMs: z.number(),
});
export type RecentEntry = z.infer<typeof RecentEntry>;

export const RecentList = z.array(RecentEntry);
export type RecentList = z.infer<typeof RecentList>;

export const AddRecentParams = z.object({ path: AbsolutePath }).strict();
