// The simulator writes its catalogue, truth and shards through ParquetStreamWriter, whose parquet-wasm
// writer runs as an asynchronous task: a panic in it (arrow-rs aborts on a union column, which it cannot
// write) is a WebAssembly trap thrown outside any promise. It must fail the file's close() with the file
// named, leaving no temporary file, instead of ending the process.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Field,
  Float64,
  RecordBatch,
  Schema,
  SparseUnion,
  Struct,
  makeData,
  tableFromArrays,
} from 'apache-arrow';
import { Compression } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { ParquetStreamWriter } from '../../../../electron/catalog/parquet-stream.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-writer-trap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const OPTIONS = { compression: Compression.SNAPPY, createdBy: 'test' };

describe('a panic in the streaming Parquet writer', () => {
  it('fails close() with the file named and leaves nothing behind', async () => {
    const type = new SparseUnion([0], [new Field('a', new Float64(), true)]);
    const values = makeData({ type: new Float64(), length: 2, data: new Float64Array([1, 2]) });
    const union = makeData({ type, length: 2, typeIds: new Int8Array([0, 0]), children: [values] });
    const schema = new Schema([new Field('u', type, true)]);
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: 2, nullCount: 0, children: [union] }),
    );
    const file = join(dir, 'catalog.parquet');
    const writer = ParquetStreamWriter.open(file, schema, OPTIONS);
    writer.write(batch);
    await expect(writer.close()).rejects.toThrow(`${file}: writing Parquet failed: unreachable`);
    expect(readdirSync(dir)).toEqual([]);
    // The process goes on writing.
    const table = tableFromArrays({ x: new Float64Array([1, 2, 3]) });
    const good = ParquetStreamWriter.open(join(dir, 'good.parquet'), table.schema, OPTIONS);
    for (const b of table.batches) good.write(b);
    await good.close();
    expect(readdirSync(dir)).toEqual(['good.parquet']);
  });
});
