// Atomic output for the catalog writers: text is produced by a generator, written to a temporary file
// beside the target in large chunks, and renamed over the target only when complete, so a failed
// write never leaves a half-written catalog behind.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';

/** A text format's file: what comes before the rows (from the schema alone), the rows, what follows. */
export interface TextLayout {
  head: string;
  rows(table: Table): Iterable<string>;
  foot: string;
}

/** The whole text of `table` in `layout`, for writeTextAtomic. */
export function layoutText(layout: TextLayout, table: Table): () => Iterable<string> {
  return function* () {
    yield layout.head;
    yield* layout.rows(table);
    yield layout.foot;
  };
}

function tempBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
}

/**
 * A text table written a batch of rows at a time (synchronously, so a reader's callback can hand its
 * batches over as they come): into a temporary file beside the target, renamed over it at `close`.
 */
export class TextTableSink {
  private readonly temp: string;
  private fd: number | null;

  constructor(
    readonly file: string,
    private readonly layout: TextLayout,
  ) {
    this.temp = tempBeside(file);
    this.fd = openSync(this.temp, 'w');
    try {
      this.put(layout.head);
    } catch (error) {
      // No caller holds the sink yet to abort it.
      this.abort();
      throw error;
    }
  }

  private put(text: string): void {
    if (this.fd === null) throw new Error(`${this.file}: the writer is closed`);
    writeSync(this.fd, text);
  }

  write(table: Table): void {
    let pending: string[] = [];
    let size = 0;
    for (const row of this.layout.rows(table)) {
      pending.push(row);
      size += row.length;
      if (size > 1 << 20) {
        this.put(pending.join(''));
        pending = [];
        size = 0;
      }
    }
    if (pending.length > 0) this.put(pending.join(''));
  }

  close(): void {
    this.put(this.layout.foot);
    closeSync(this.fd!);
    this.fd = null;
    renameSync(this.temp, this.file);
  }

  /** Abandons the file: the temporary file is removed, the target left as it was. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.temp, { force: true });
  }
}

export async function writeBytesAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await writeTextAtomic(file, function* () {
    yield bytes;
  });
}

export async function writeTextAtomic(
  file: string,
  produce: () => Iterable<string | Uint8Array>,
): Promise<void> {
  const temp = tempBeside(file);
  const handle = await open(temp, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    for (const piece of produce()) {
      if (typeof piece === 'string') {
        pending.push(piece);
        size += piece.length;
        if (size > 1 << 20) {
          await handle.write(pending.join(''));
          pending = [];
          size = 0;
        }
      } else {
        if (pending.length > 0) await handle.write(pending.join(''));
        pending = [];
        size = 0;
        await handle.write(piece);
      }
    }
    if (pending.length > 0) await handle.write(pending.join(''));
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

/** Text of one cell value as a writer emits it: shortest round-trip numbers, exact 64-bit integers. */
export function formatCell(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (isIterable(value)) return arrayJson(value);
  return String(value);
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.iterator in value;
}

/** An array cell (nested for a multi-dimensional one) as JSON: 64-bit integers in full (JSON.stringify
 * refuses bigint, and a double would round them beyond 2^53); a missing or non-finite element is null. */
function arrayJson(value: Iterable<unknown>): string {
  const items = Array.from(value, (v) =>
    typeof v === 'bigint' ? v.toString() : isIterable(v) ? arrayJson(v) : JSON.stringify(v ?? null),
  );
  return `[${items.join(',')}]`;
}
