// Saved column mappings: a user's corrections to recognition, one JSON file per catalog file in the
// settings folder ($CRADLE_HOME, else ~/.config/cradle) under catalog-mappings/, keyed by the file's
// absolute path. Written atomically; a malformed file is reported, not ignored.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { QuantitySource } from './recognise.ts';
import { writeTextAtomic } from './text-out.ts';

const SourceSchema = z.union([
  z.object({ column: z.string().min(1) }).strict(),
  z.object({ expression: z.string().min(1) }).strict(),
]);

const MappingSchema = z
  .object({
    file: z.string(),
    quantities: z.record(z.string(), SourceSchema),
  })
  .strict();

export type SavedMapping = z.infer<typeof MappingSchema>;

export function settingsDir(): string {
  return process.env['CRADLE_HOME'] ?? join(homedir(), '.config', 'cradle');
}

export function mappingPath(file: string): string {
  const absolute = resolve(file);
  const key = createHash('sha256').update(absolute).digest('hex').slice(0, 24);
  return join(settingsDir(), 'catalog-mappings', `${key}.json`);
}

export function loadMapping(file: string): Record<string, QuantitySource> {
  const path = mappingPath(file);
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: saved mapping for ${file} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = MappingSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(
      `${path}: saved mapping for ${file} is malformed: ${result.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return result.data.quantities;
}

export async function saveMapping(file: string, quantities: Record<string, QuantitySource>): Promise<string> {
  const path = mappingPath(file);
  mkdirSync(join(settingsDir(), 'catalog-mappings'), { recursive: true });
  const body: SavedMapping = { file: resolve(file), quantities: quantities as SavedMapping['quantities'] };
  await writeTextAtomic(path, function* () {
    yield `${JSON.stringify(body, null, 2)}\n`;
  });
  return path;
}
