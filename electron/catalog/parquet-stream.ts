// A Parquet file written as record batches arrive, so a writer's memory does not grow with the table:
// parquet-wasm's transformParquetStream (arrow-rs) serialises a stream of Arrow batches into row groups
// while the bytes are piped to a temporary file, which is renamed into place only when the stream closes
// cleanly (atomic: a reader never sees a half-written file). parquet-wasm is the Parquet library of
// parquet.ts. Used by the simulator's outputs and by streamed conversions (catalog convert, fits convert:
// it is one of the shared utilities build/eslint-layers.js lets every engine folder use, so it also
// carries astropy's description of a table whose rows it cannot survey first: parquet-astropy.ts).
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import {
  RecordBatch,
  Struct,
  Table as ArrowTable,
  makeData,
  tableToIPC,
  vectorFromArray,
  type Data,
  type DataType,
  type Schema,
} from 'apache-arrow';
import { Table as WasmTable, WriterPropertiesBuilder, transformParquetStream } from 'parquet-wasm';
import type { Compression } from 'parquet-wasm';
import { schemaAstropyLayout } from './parquet-astropy.ts';
import type { AstropyLayout } from './parquet-astropy.ts';
import { trapping } from './wasm-trap.ts';

/** Rows per Parquet row group: bounds the writer's buffer. */
const ROW_GROUP_ROWS = 65536;

export interface ParquetStreamOptions {
  compression: Compression;
  /** Dictionary encoding (parquet-wasm's default: on). */
  dictionary?: boolean;
  /** The file's created_by. */
  createdBy: string;
  /** Add astropy's description, decided from the schema: a nullable integer, boolean or text field
   * gets a mask column; `textWidths` gives text columns' widths in characters, where known. */
  astropy?: { textWidths?: ReadonlyMap<string, number> };
}

export class ParquetStreamWriter {
  private controller: ReadableStreamDefaultController<unknown> | null = null;
  private readonly done: Promise<void>;
  private readonly temp: string;
  private readonly layout: AstropyLayout | null;
  /** The schema written: the one given, with astropy's mask columns and description if asked for. */
  readonly schema: Schema;
  rows = 0;

  private constructor(
    readonly file: string,
    schema: Schema,
    options: ParquetStreamOptions,
  ) {
    this.temp = `${file}.partial-${process.pid}`;
    this.layout = options.astropy ? schemaAstropyLayout(schema, options.astropy.textWidths) : null;
    this.schema = this.layout?.schema ?? schema;
    const input = new ReadableStream<unknown>({
      start: (controller) => {
        this.controller = controller;
      },
    });
    // No extra key-value metadata: parquet-wasm writes it from a hash map in an order that changes from
    // run to run, which would break byte-for-byte reproducibility.
    const properties = new WriterPropertiesBuilder()
      .setCompression(options.compression)
      .setDictionaryEnabled(options.dictionary ?? true)
      .setMaxRowGroupSize(ROW_GROUP_ROWS)
      .setCreatedBy(options.createdBy)
      .build();
    // The writer runs as an asynchronous parquet-wasm task: a panic in it (a WebAssembly trap, e.g. on a
    // column type arrow-rs cannot write) would be an uncaught exception; trapping makes it a failure.
    this.done = trapping(() =>
      transformParquetStream(input, properties).then((bytes) =>
        bytes.pipeTo(Writable.toWeb(createWriteStream(this.temp)) as WritableStream<Uint8Array>),
      ),
    );
    // Surface failures at close(); keep an unhandled rejection from killing the process meanwhile.
    this.done.catch(() => undefined);
  }

  static open(file: string, schema: Schema, options: ParquetStreamOptions): ParquetStreamWriter {
    return new ParquetStreamWriter(file, schema, options);
  }

  write(batch: RecordBatch): void {
    if (this.controller === null) throw new Error(`${this.file}: the Parquet writer is closed`);
    if (batch.numRows === 0) return;
    const written = this.layout?.batch(batch) ?? batch;
    const wasm = WasmTable.fromIPCStream(tableToIPC(new ArrowTable(this.schema, [written]), 'stream'));
    for (const wasmBatch of wasm.recordBatches()) this.controller.enqueue(wasmBatch);
    this.rows += batch.numRows;
  }

  /** Finishes the file and moves it into place. With no rows, writes an empty table with the schema. */
  async close(): Promise<void> {
    if (this.controller === null) throw new Error(`${this.file}: the Parquet writer is closed`);
    if (this.rows === 0) {
      // One batch of no rows: the writer takes the schema from its first batch and fails without one.
      const children: Data[] = this.schema.fields.map(
        (f) => vectorFromArray([], f.type as DataType).data[0]!,
      );
      const type = new Struct(this.schema.fields);
      const batch = new RecordBatch(this.schema, makeData({ type, length: 0, nullCount: 0, children }));
      const empty = new ArrowTable(this.schema, [batch]);
      const wasm = WasmTable.fromIPCStream(tableToIPC(empty, 'stream'));
      for (const wasmBatch of wasm.recordBatches()) this.controller.enqueue(wasmBatch);
    }
    this.controller.close();
    this.controller = null;
    try {
      await this.done;
    } catch (error) {
      await rm(this.temp, { force: true });
      throw new Error(`${this.file}: writing Parquet failed: ${(error as Error).message}`, { cause: error });
    }
    await rename(this.temp, this.file);
  }

  /** Abandons the file (on failure or cancel): the temporary file is removed. */
  async abort(): Promise<void> {
    if (this.controller !== null) {
      this.controller.error(new Error('aborted'));
      this.controller = null;
    }
    await this.done.catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}
