// `cradle catalog convert`: a table from any format the catalog reads into any it writes. Into CSV/TSV,
// ECSV, VOTable, Parquet and FITS the rows pass a batch at a time (table-batches.ts), so converting a
// multi-gigabyte Gaia download holds one batch, not the table; the output is written beside the target
// and renamed over it only when complete. A FITS table's column forms depend on every row (string
// widths, TNULL values, fixed or variable arrays), so its input is read twice: once to survey the
// columns, once to write. Byte-by-byte (MRT) output sizes its columns from every row too and still reads
// the table whole.
import type { Table } from 'apache-arrow';
import { Compression } from 'parquet-wasm';
import { FitsTableFile, TableSurvey } from '../fits/writer.ts';
import { csvLayout } from './csv.ts';
import { ecsvLayout } from './ecsv.ts';
import { ParquetStreamWriter } from './parquet-stream.ts';
import { formatForOutput, readCatalog, writeCatalog } from './read.ts';
import type { ReadOptions } from './read.ts';
import type { CatalogFormat } from './table.ts';
import { readTableBatches } from './table-batches.ts';
import type { TableBatchOptions } from './table-batches.ts';
import { TextTableSink } from './text-out.ts';
import { votableLayout } from './votable.ts';

/** Rows per batch of a streamed conversion (default): a Parquet row group's worth. */
export const CONVERT_BATCH_ROWS = 65_536;

interface BatchSink {
  write(table: Table): void;
  close(): Promise<void>;
  abort(): Promise<void>;
}

function textSink(file: string, format: CatalogFormat, table: Table): BatchSink {
  const layout =
    format === 'ecsv'
      ? ecsvLayout(table.schema)
      : format === 'votable'
        ? votableLayout(table.schema)
        : csvLayout(table.schema, format === 'tsv' ? '\t' : ',');
  const sink = new TextTableSink(file, layout);
  return {
    write: (batch) => sink.write(batch),
    close: () => Promise.resolve(sink.close()),
    abort: () => Promise.resolve(sink.abort()),
  };
}

function parquetSink(file: string, table: Table): BatchSink {
  // zstd, as writeParquet writes a whole table.
  const writer = ParquetStreamWriter.open(file, table.schema, {
    compression: Compression.ZSTD,
    createdBy: 'cradle catalog convert (parquet-wasm)',
  });
  return {
    write: (batch) => {
      for (const recordBatch of batch.batches) writer.write(recordBatch);
    },
    close: () => writer.close(),
    abort: () => writer.abort(),
  };
}

/** The FITS output: the survey pass over the input, then the file written from a second pass. */
async function convertToFits(input: string, output: string, options: TableBatchOptions): Promise<number> {
  let survey: TableSurvey | null = null;
  await readTableBatches(input, options, (table) => {
    survey ??= new TableSurvey(table.schema, { file: output });
    survey.add(table);
  });
  const file = FitsTableFile.open(output, survey!);
  try {
    const rows = await readTableBatches(input, options, (table) => file.write(table));
    file.close();
    return rows;
  } catch (error) {
    file.abort();
    throw error;
  }
}

const STREAMED = new Set<CatalogFormat>(['csv', 'tsv', 'ecsv', 'votable', 'parquet', 'fits']);

/** Converts `input` to `output` (format from its extension); returns the rows written and whether they
 * were streamed. */
export async function convertCatalog(
  input: string,
  output: string,
  options: ReadOptions & { batchRows?: number } = {},
): Promise<{ rows: number; streamed: boolean }> {
  const { batchRows = CONVERT_BATCH_ROWS, ...read } = options;
  const format = formatForOutput(output);
  if (!STREAMED.has(format)) {
    const { table } = await readCatalog(input, read);
    await writeCatalog(table, output, format);
    return { rows: table.numRows, streamed: false };
  }
  if (format === 'fits') {
    return { rows: await convertToFits(input, output, { ...read, rows: batchRows }), streamed: true };
  }
  let sink: BatchSink | null = null;
  try {
    const rows = await readTableBatches(input, { ...read, rows: batchRows }, (table) => {
      sink ??= format === 'parquet' ? parquetSink(output, table) : textSink(output, format, table);
      sink.write(table);
    });
    await sink!.close();
    return { rows, streamed: true };
  } catch (error) {
    await (sink as BatchSink | null)?.abort();
    throw error;
  }
}
