// Parquet reader and writer through parquet-wasm (arrow-rs compiled to WebAssembly: every Parquet
// encoding and codec pyarrow writes — snappy, zstd, gzip, brotli, lz4), handed to Arrow JS as an IPC
// stream. Units: our own field metadata survives the round trip inside the stored Arrow schema, and
// astropy's Parquet files carry theirs in the 'table_meta_yaml' schema entry, which is read too.
// Repeated field names (Parquet allows them) are made unique as every reader does. A row group that
// cannot be decoded is named, with its rows, in the error.
import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Field, RecordBatch, RecordBatchReader, Schema, Struct, Table, tableToIPC } from 'apache-arrow';
import {
  Compression,
  ParquetFile,
  Table as WasmTable,
  WriterPropertiesBuilder,
  readParquet as wasmRead,
  writeParquet as wasmWrite,
} from 'parquet-wasm';
import { parse as parseYaml } from 'yaml';
import { META_DESCRIPTION, META_UNIT, uniqueNames } from './table.ts';
import type { CatalogTable } from './table.ts';
import { writeBytesAtomic } from './text-out.ts';
import { isGzip } from './text-source.ts';
import { trapping } from './wasm-trap.ts';

interface AstropyMeta {
  datatype?: { name: string; unit?: string; description?: string }[];
}

/** Units and descriptions from astropy's 'table_meta_yaml' schema entry onto the fields that lack them. */
export function withAstropyUnits(table: Table): Table {
  const yamlText = table.schema.metadata.get('table_meta_yaml');
  if (yamlText === undefined) return table;
  let meta: AstropyMeta;
  try {
    meta = parseYaml(yamlText) as AstropyMeta;
  } catch {
    return table;
  }
  const byName = new Map((meta.datatype ?? []).map((c) => [c.name, c]));
  const fields = table.schema.fields.map((field) => {
    const column = byName.get(field.name);
    if (column === undefined) return field;
    const metadata = new Map(field.metadata);
    if (column.unit && !metadata.has(META_UNIT)) metadata.set(META_UNIT, column.unit);
    if (column.description && !metadata.has(META_DESCRIPTION))
      metadata.set(META_DESCRIPTION, column.description);
    return new Field(field.name, field.type, field.nullable, metadata);
  });
  return new Table(
    new Schema(fields, table.schema.metadata),
    table.batches.map((b) => b),
  );
}

/**
 * The Arrow table of parquet-wasm's IPC stream, a repeated field name made unique (uniqueNames) with
 * each field keeping its own metadata. The fields are taken, by position, from the stream's own schema:
 * Arrow JS's RecordBatch merges the metadata of fields that share a name (Schema.assign matches them
 * by name), so the batches read with repeated names already carry the wrong units.
 */
function ipcTable(ipc: Uint8Array): Table {
  const reader = RecordBatchReader.from(ipc).open();
  const stored = reader.schema;
  const batches = reader.readAll();
  const declared = stored.fields;
  const names = uniqueNames(declared.map((field) => field.name));
  if (names.every((name, k) => name === declared[k]!.name)) return new Table(batches);
  const fields = declared.map((field, k) => new Field(names[k]!, field.type, field.nullable, field.metadata));
  const schema = new Schema(fields, stored.metadata);
  const type = new Struct(fields);
  return new Table(
    schema,
    batches.map((batch) => new RecordBatch(schema, batch.data.clone(type))),
  );
}

export function unreadable(file: string, error: unknown): Error {
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new Error(`${file}: not a readable Parquet file: ${reason}`, { cause: error });
}

function refuseGzip(file: string): void {
  if (isGzip(file))
    throw new Error(
      `${file}: a gzip-compressed Parquet file; decompress it first (Parquet compresses its own pages)`,
    );
}

/** A Parquet file opened for reading its footer and row groups on demand. */
export async function openParquet(file: string): Promise<ParquetFile> {
  refuseGzip(file);
  try {
    return await ParquetFile.fromFile(await openAsBlob(file));
  } catch (error) {
    throw unreadable(file, error);
  }
}

/** Why row group `group` could not be read, naming it and its rows (1-based, as a reader counts). */
function undecodable(parquet: ParquetFile, file: string, group: number, error: unknown): Error {
  const sizes = parquet
    .metadata()
    .rowGroups()
    .map((g) => g.numRows());
  const first = sizes.slice(0, group).reduce((sum, n) => sum + n, 0);
  const reason =
    error instanceof WebAssembly.RuntimeError
      ? `the decoder aborted on its pages (WebAssembly ${error.name}: ${error.message}); the file is probably damaged`
      : (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new Error(
    `${file}: row group ${group} (rows ${first + 1}–${first + (sizes[group] ?? 0)}) cannot be decoded: ${reason}`,
    { cause: error },
  );
}

/** Opened files whose read trapped: that read's dead task holds them borrowed, so they cannot be freed. */
const stuck = new WeakSet<ParquetFile>();

/** Frees an opened Parquet file, or leaves it (leaked) where a trapped read still holds it. */
export function closeParquet(parquet: ParquetFile): void {
  if (!stuck.has(parquet)) parquet.free();
}

/** Row group `group` of an opened Parquet file, with astropy units moved into field metadata and
 * repeated names made unique. */
export async function readRowGroup(parquet: ParquetFile, file: string, group: number): Promise<Table> {
  try {
    // The asynchronous reader panics (a WebAssembly trap) on pages it cannot decode, where the
    // synchronous one returns an error: trapping turns the trap into this read's rejection.
    const read = await trapping(() => parquet.read({ rowGroups: [group], batchSize: 131072 }));
    return withAstropyUnits(ipcTable(read.intoIPCStream()));
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) stuck.add(parquet);
    throw undecodable(parquet, file, group, error);
  }
}

/** The number of rows of a Parquet file, from its footer. */
export async function parquetRowCount(file: string): Promise<number> {
  const parquet = await openParquet(file);
  try {
    return parquet.metadata().fileMetadata().numRows();
  } finally {
    parquet.free();
  }
}

export async function readParquet(file: string): Promise<CatalogTable> {
  refuseGzip(file);
  const bytes = await readFile(file);
  let table: Table;
  try {
    const wasmTable = wasmRead(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      // Large record batches: the default (1024 rows) makes a 1M-row table of ~1000 batches, slow to hand over.
      batchSize: 131072,
    });
    table = ipcTable(wasmTable.intoIPCStream());
  } catch (error) {
    throw unreadable(file, error);
  }
  return { file, format: 'parquet', table: withAstropyUnits(table) };
}

/** Rows per row group of the Parquet files Cradle writes. A reader that streams a file (an inference
 * run's input) holds one decoded group at a time; the writer's default (a million rows) would make that
 * most of a large catalogue. */
export const PARQUET_ROW_GROUP = 65_536;

/** Writes Parquet (zstd) with the Arrow schema, so field metadata (units, UCDs) comes back on reading. */
export async function writeParquet(table: Table, file: string): Promise<void> {
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(PARQUET_ROW_GROUP)
    .build();
  const bytes = wasmWrite(wasmTable, properties);
  await writeBytesAtomic(file, bytes);
}
