// A streamed Parquet file with astropy's description decided from the schema alone (ParquetStreamWriter's
// `astropy` option, parquet-astropy.ts schemaAstropyLayout): the writers that cannot survey their rows
// first (the simulator, fits convert). Their reading in astropy itself: test/python/test_simulator_parquet_astropy.py.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bool,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  tableFromIPC,
  vectorFromArray,
} from 'apache-arrow';
import { Compression, readParquet as wasmRead } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { readParquet } from '../../../electron/catalog/parquet.ts';
import { ParquetStreamWriter } from '../../../electron/catalog/parquet-stream.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-parquet-stream-astropy-'));

const meta = (unit: string, description: string): Map<string, string> =>
  new Map([
    ['unit', unit],
    ['description', description],
  ]);

const schema = new Schema([
  new Field('parallax', new Float64(), true, meta('mas', 'parallax')),
  new Field('cluster_id', new Int32(), true, new Map([['description', 'null: field']])),
  new Field('source_id', new Int64(), false),
  new Field('flag', new Bool(), false),
  new Field('name', new Utf8(), false),
]);

function batch(): RecordBatch {
  const children = [
    vectorFromArray([1.5, null, 2.5], new Float64()).data[0]!,
    vectorFromArray([3, null, 1_000_001], new Int32()).data[0]!,
    vectorFromArray([7n, 8n, 9n], new Int64()).data[0]!,
    vectorFromArray([true, false, true], new Bool()).data[0]!,
    vectorFromArray(['a', 'bb', 'ccc'], new Utf8()).data[0]!,
  ];
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: 3, nullCount: 0, children }),
  );
}

async function write(file: string): Promise<void> {
  const writer = ParquetStreamWriter.open(file, schema, {
    compression: Compression.SNAPPY,
    createdBy: 'test',
    astropy: { textWidths: new Map([['name', 8]]) },
  });
  writer.write(batch());
  writer.write(batch());
  await writer.close();
}

describe('ParquetStreamWriter with astropy description from the schema', () => {
  it('gives a mask column to a nullable integer only, keeps its nulls, and describes every column', async () => {
    const file = join(dir, 'a.parquet');
    await write(file);
    const raw = tableFromIPC(wasmRead(readFileSync(file)).intoIPCStream());
    expect(raw.schema.fields.map((f) => f.name)).toEqual([
      'parallax',
      'cluster_id',
      'cluster_id.mask',
      'source_id',
      'flag',
      'name',
    ]);
    expect([...raw.getChild('cluster_id')!].map((v) => v === null)).toEqual([
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
    expect([...raw.getChild('cluster_id.mask')!]).toEqual([false, true, false, false, true, false]);
    const yaml = raw.schema.metadata.get('table_meta_yaml')!;
    expect(yaml).toContain('{name: "parallax", unit: "mas", datatype: float64, description: "parallax"}');
    expect(yaml).toContain('data: !astropy.table.SerializedColumn {name: "cluster_id"}');
    expect(yaml).toContain('mask: !astropy.table.SerializedColumn {name: "cluster_id.mask"}');
    expect(yaml).toContain('dtype: int32');
    expect(raw.schema.metadata.get('table::len::name')).toBe('8');
    // Cradle's own reader folds the mask back into the column.
    const read = await readParquet(file);
    expect(read.table.schema.fields.map((f) => f.name)).toEqual([
      'parallax',
      'cluster_id',
      'source_id',
      'flag',
      'name',
    ]);
  });

  it('writes identical bytes for identical input', async () => {
    await write(join(dir, 'b.parquet'));
    await write(join(dir, 'c.parquet'));
    expect(readFileSync(join(dir, 'b.parquet')).equals(readFileSync(join(dir, 'c.parquet')))).toBe(true);
  });

  it('writes the described schema for an empty table', async () => {
    const file = join(dir, 'empty.parquet');
    const writer = ParquetStreamWriter.open(file, schema, {
      compression: Compression.SNAPPY,
      createdBy: 'test',
      astropy: {},
    });
    await writer.close();
    const raw = tableFromIPC(wasmRead(readFileSync(file)).intoIPCStream());
    expect(raw.numRows).toBe(0);
    expect(raw.schema.fields.map((f) => f.name)).toContain('cluster_id.mask');
    expect(raw.schema.metadata.has('table::len::name')).toBe(false);
  });
});
