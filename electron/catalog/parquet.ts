// Parquet reader and writer through parquet-wasm (arrow-rs compiled to WebAssembly: every Parquet
// encoding and codec pyarrow writes — snappy, zstd, gzip, brotli, lz4), handed to Arrow JS as an IPC
// stream. Units: our own field metadata survives the round trip inside the stored Arrow schema, and
// astropy's Parquet files carry theirs in the 'table_meta_yaml' schema entry, which is read too (and
// written: parquet-astropy.ts). Decimal, timestamp and date columns are made plain (parquet-types.ts).
// Repeated field names (Parquet allows them) are made unique as every reader does. A row group that
// cannot be decoded is named, with its rows, in the error.
import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  Field,
  RecordBatch,
  RecordBatchReader,
  Schema,
  Struct,
  Table,
  makeData,
  makeVector,
  tableToIPC,
} from 'apache-arrow';
import type { Data } from 'apache-arrow';
import {
  Compression,
  ParquetFile,
  Table as WasmTable,
  WriterPropertiesBuilder,
  readParquet as wasmRead,
  writeParquet as wasmWrite,
} from 'parquet-wasm';
import { parse as parseYaml } from 'yaml';
import { isAstropyKey, withAstropyDescription } from './parquet-astropy.ts';
import { withPlainTypes } from './parquet-types.ts';
import { META_DESCRIPTION, META_UNIT, uniqueNames } from './table.ts';
import type { CatalogTable } from './table.ts';
import { writeBytesAtomic } from './text-out.ts';
import { isGzip } from './text-source.ts';
import { trapping } from './wasm-trap.ts';

/** What astropy's 'table_meta_yaml' entry says of a file's columns. */
interface AstropyLayout {
  columns: Map<string, { unit?: string; description?: string }>;
  /** A masked column's data column → its boolean mask column (astropy writes `m` and `m.mask`). */
  masks: Map<string, string>;
}

interface AstropyYaml {
  datatype?: { name: string; unit?: string; description?: string }[];
  meta?: unknown;
}

/** The layout astropy wrote into 'table_meta_yaml', or null when the file has none (or it is unreadable). */
function astropyLayout(yamlText: string | undefined): AstropyLayout | null {
  if (yamlText === undefined) return null;
  let parsed: AstropyYaml;
  try {
    // astropy's own tags (!astropy.table.SerializedColumn, !!omap) read as plain maps and lists; the
    // yaml library would otherwise print a warning for each.
    parsed = parseYaml(yamlText, { logLevel: 'error' }) as AstropyYaml;
  } catch {
    return null;
  }
  const columns = new Map((parsed.datatype ?? []).map((c) => [c.name, c]));
  // meta is an ordered map (!!omap, which the yaml library gives as a Map).
  const meta = parsed.meta;
  const serialized: unknown =
    meta instanceof Map
      ? meta.get('__serialized_columns__')
      : (meta as Record<string, unknown> | undefined)?.['__serialized_columns__'];
  const masks = new Map<string, string>();
  if (serialized !== null && typeof serialized === 'object') {
    for (const column of Object.values(serialized as Record<string, unknown>)) {
      const c = column as { data?: { name?: unknown }; mask?: { name?: unknown } } | null;
      if (typeof c?.data?.name === 'string' && typeof c.mask?.name === 'string')
        masks.set(c.data.name, c.mask.name);
    }
  }
  return { columns, masks };
}

/** `data` with the rows `mask` marks (true) made null. */
function maskedData(data: Data, mask: Data): Data {
  const values = makeVector(data);
  const marks = makeVector(mask);
  const bits = new Uint8Array(Math.ceil((data.offset + data.length) / 8));
  let nulls = 0;
  for (let i = 0; i < data.length; i += 1) {
    if (values.isValid(i) && marks.get(i) !== true) {
      const bit = data.offset + i;
      bits[bit >> 3]! |= 1 << (bit & 7);
    } else nulls += 1;
  }
  const buffers = [data.valueOffsets, data.values, bits, data.typeIds] as unknown as Parameters<
    Data['clone']
  >[4];
  return data.clone(data.type, data.offset, data.length, nulls, buffers);
}

/**
 * A table as astropy wrote it: units and descriptions from 'table_meta_yaml' onto the fields that lack
 * them, and each masked column's mask applied as nulls and its `.mask` column dropped (read as data,
 * astropy's masked values came out as real numbers).
 */
export function withAstropyLayout(
  table: Table,
  yamlText = table.schema.metadata.get('table_meta_yaml'),
): Table {
  const layout = astropyLayout(yamlText);
  if (layout === null) return table;
  const names = table.schema.fields.map((f) => f.name);
  const maskOf = new Map<number, number>();
  for (const [dataName, maskName] of layout.masks) {
    const d = names.indexOf(dataName);
    const m = names.indexOf(maskName);
    if (d >= 0 && m >= 0) maskOf.set(d, m);
  }
  const dropped = new Set(maskOf.values());
  const kept = table.schema.fields.map((field, k) => ({ field, k })).filter(({ k }) => !dropped.has(k));
  const fields = kept.map(({ field, k }) => {
    const column = layout.columns.get(field.name);
    const metadata = new Map(field.metadata);
    if (column?.unit && !metadata.has(META_UNIT)) metadata.set(META_UNIT, column.unit);
    if (column?.description && !metadata.has(META_DESCRIPTION))
      metadata.set(META_DESCRIPTION, column.description);
    return new Field(field.name, field.type, field.nullable || maskOf.has(k), metadata);
  });
  // astropy's entries describe the file as stored (its mask columns among them), not the table read.
  const metadata = new Map([...table.schema.metadata].filter(([key]) => !isAstropyKey(key)));
  const schema = new Schema(fields, metadata);
  const type = new Struct(fields);
  const batches = table.batches.map((batch) => {
    const children = kept.map(({ k }) => {
      const data = batch.data.children[k]!;
      const m = maskOf.get(k);
      return m === undefined ? data : maskedData(data, batch.data.children[m]!);
    });
    return new RecordBatch(schema, makeData({ type, length: batch.numRows, nullCount: 0, children }));
  });
  return new Table(schema, batches);
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

/** A row group's stream lacks the file's key-value metadata, where astropy describes its columns:
 * it is read from the footer once per opened file. */
const astropyYamls = new WeakMap<ParquetFile, string | undefined>();

function astropyYaml(parquet: ParquetFile): string | undefined {
  if (!astropyYamls.has(parquet)) {
    const entries = parquet.metadata().fileMetadata().keyValueMetadata();
    const text: unknown = entries.get('table_meta_yaml') ?? storedSchemaEntry(entries.get('ARROW:schema'));
    astropyYamls.set(parquet, typeof text === 'string' ? text : undefined);
  }
  return astropyYamls.get(parquet);
}

/** 'table_meta_yaml' of the Arrow schema stored in the footer (where Cradle writes it, as pyarrow does
 * when astropy's entries are schema metadata), which a row group's stream does not carry. */
function storedSchemaEntry(encoded: unknown): string | undefined {
  if (typeof encoded !== 'string') return undefined;
  try {
    const message = Buffer.from(encoded, 'base64');
    // The schema message, then the end-of-stream marker that makes it a whole IPC stream.
    const stream = Buffer.concat([message, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]);
    return RecordBatchReader.from(stream).open().schema.metadata.get('table_meta_yaml');
  } catch {
    return undefined;
  }
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
    return withAstropyLayout(withPlainTypes(ipcTable(read.intoIPCStream())), astropyYaml(parquet));
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
  return { file, format: 'parquet', table: withAstropyLayout(withPlainTypes(table)) };
}

/** Rows per row group of the Parquet files Cradle writes. A reader that streams a file (an inference
 * run's input) holds one decoded group at a time; the writer's default (a million rows) would make that
 * most of a large catalogue. */
export const PARQUET_ROW_GROUP = 65_536;

/** Writes Parquet (zstd) with the Arrow schema, so field metadata (units, UCDs) comes back on reading,
 * and with astropy's description of the columns (parquet-astropy.ts). */
export async function writeParquet(table: Table, file: string): Promise<void> {
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(withAstropyDescription(table), 'stream'));
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(PARQUET_ROW_GROUP)
    .build();
  const bytes = wasmWrite(wasmTable, properties);
  await writeBytesAtomic(file, bytes);
}
