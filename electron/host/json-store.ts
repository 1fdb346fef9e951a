// One JSON document on disk, validated by a schema when read and written atomically (a temp file
// in the same folder, then rename), so a crash mid-write leaves the previous version, never half a file.
// A missing file reads as the fallback; an unreadable or invalid one too, but the reason is kept so
// the caller can tell the user instead of silently losing their settings.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';

export interface Loaded<T> {
  value: T;
  /** Why the stored file was not used (absent when it was, or when there was none). */
  problem?: string;
}

export class JsonStore<S extends z.ZodType> {
  private writing: Promise<void> = Promise.resolve();
  private counter = 0;

  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly fallback: () => z.output<S>,
  ) {}

  async load(): Promise<Loaded<z.output<S>>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: this.fallback() };
      return { value: this.fallback(), problem: `cannot read ${this.path}: ${(error as Error).message}` };
    }
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      if (parsed.success) return { value: parsed.data };
      const issue = parsed.error.issues[0];
      return {
        value: this.fallback(),
        problem: `${this.path}: ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`,
      };
    } catch (error) {
      return { value: this.fallback(), problem: `${this.path}: not JSON (${(error as Error).message})` };
    }
  }

  /** Writes the document; writes to the same store are serialised so the last one wins. */
  save(value: z.output<S>): Promise<void> {
    const checked = this.schema.parse(value);
    const next = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temp = `${this.path}.${process.pid}.${this.counter++}.tmp`;
      try {
        await writeFile(temp, `${JSON.stringify(checked, null, 2)}\n`, 'utf8');
        await rename(temp, this.path);
      } catch (error) {
        await rm(temp, { force: true });
        throw new Error(`cannot write ${this.path}: ${(error as Error).message}`, { cause: error });
      }
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}
