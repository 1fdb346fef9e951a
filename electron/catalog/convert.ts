// `cradle catalog convert`: a table from any format the catalog reads into any it writes, the rows
// passing a batch at a time (table-batches.ts), so converting a multi-gigabyte Gaia download holds one
// batch, not the table; the output is written beside the target and renamed over it only when complete.
// FITS and byte-by-byte (MRT) headers depend on every row (string widths, TNULL values, fixed or variable
// arrays, number formats), and so does the description astropy reads from a Parquet file (which columns
// hold nulls, string widths: parquet-astropy.ts), so for them the input is read twice: once to survey
// the columns, once to write.
import type { Schema, Table } from 'apache-arrow';
import { Compression } from 'parquet-wasm';
import { FitsTableFile, TableSurvey } from '../fits/writer.ts';
import type { ExtraCard } from '../fits/writer.ts';
import { csvLayout } from './csv.ts';
import { ecsvLayout } from './ecsv.ts';
import { AstropySurvey } from './parquet-astropy.ts';
import { ParquetStreamWriter } from './parquet-stream.ts';
import { MrtSurvey } from './mrt.ts';
import { checkOutputPath, formatForOutput } from './read.ts';
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

/** A writer whose calls finish synchronously (text, FITS) as a batch sink. */
function syncSink(out: { write(table: Table): void; close(): void; abort(): void }): BatchSink {
  return {
    write: (batch) => out.write(batch),
    close: () => Promise.resolve(out.close()),
    abort: () => Promise.resolve(out.abort()),
  };
}

function textSink(file: string, format: CatalogFormat, table: Table): BatchSink {
  const layout =
    format === 'ecsv'
      ? ecsvLayout(table.schema)
      : format === 'votable'
        ? votableLayout(table.schema)
        : csvLayout(table.schema, format === 'tsv' ? '\t' : ',');
  return syncSink(new TextTableSink(file, layout));
}

/** An output whose header needs every row: a survey of each batch, then the sink that writes them. */
interface SurveyedOutput {
  add(table: Table): void;
  sink(): BatchSink;
}

/** The FITS table's EXTNAME and extra header cards (provenance), for a conversion into FITS. */
export interface FitsTableOptions {
  name?: string;
  cards?: ExtraCard[];
}

function fitsOutput(file: string, schema: Schema, options: FitsTableOptions): SurveyedOutput {
  const survey = new TableSurvey(schema, { file });
  return {
    add: (table) => survey.add(table),
    sink: () => syncSink(FitsTableFile.open(file, survey, options)),
  };
}

function parquetOutput(file: string, schema: Schema): SurveyedOutput {
  const survey = new AstropySurvey(schema);
  return {
    add: (table) => survey.add(table),
    sink: () => {
      const layout = survey.layout();
      // zstd, as writeParquet writes a whole table.
      const writer = ParquetStreamWriter.open(file, layout.schema, {
        compression: Compression.ZSTD,
        createdBy: 'cradle catalog convert (parquet-wasm)',
      });
      return {
        write: (batch) => {
          for (const recordBatch of batch.batches) writer.write(layout.batch(recordBatch));
        },
        close: () => writer.close(),
        abort: () => writer.abort(),
      };
    },
  };
}

function mrtOutput(file: string, schema: Schema): SurveyedOutput {
  const survey = new MrtSurvey(schema, file);
  return {
    add: (table) => survey.add(table),
    sink: () => syncSink(new TextTableSink(file, survey.layout())),
  };
}

/** The survey pass over the input, then the output written from a second pass. */
async function convertSurveyed(
  input: string,
  output: string,
  format: 'fits' | 'mrt' | 'parquet',
  options: TableBatchOptions,
  fits: FitsTableOptions,
  progress: ConvertProgress,
): Promise<number> {
  let surveyed: SurveyedOutput | null = null;
  // A CSV's column types, learnt by the survey pass, need not be learnt again by the writing pass.
  options = { ...options, textTypes: {} };
  await readTableBatches(input, options, (table, firstRow) => {
    surveyed ??=
      format === 'fits'
        ? fitsOutput(output, table.schema, fits)
        : format === 'mrt'
          ? mrtOutput(output, table.schema)
          : parquetOutput(output, table.schema);
    surveyed.add(table);
    progress('survey', firstRow + table.numRows);
  });
  const sink = surveyed!.sink();
  try {
    const rows = await readTableBatches(input, options, (table, firstRow) => {
      sink.write(table);
      progress('write', firstRow + table.numRows);
    });
    await sink.close();
    return rows;
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** Rows done so far, after each batch: in the survey pass of a FITS or MRT output, then in the writing. */
export type ConvertProgress = (pass: 'survey' | 'write', rows: number) => void;

export interface ConvertOptions extends ReadOptions {
  batchRows?: number;
  fits?: FitsTableOptions;
  onProgress?: ConvertProgress;
}

/** Converts `input` to `output` (format from its extension), a batch of rows at a time; returns the
 * rows written. */
export async function convertCatalog(
  input: string,
  output: string,
  options: ConvertOptions = {},
): Promise<{ rows: number }> {
  const { batchRows = CONVERT_BATCH_ROWS, fits = {}, onProgress, onWarning, ...rest } = options;
  // A surveyed output reads the input twice: its warnings are told once.
  const told = new Set<string>();
  const read: ReadOptions = {
    ...rest,
    onWarning: (message) => {
      if (told.has(message)) return;
      told.add(message);
      if (onWarning) onWarning(message);
      else process.emitWarning(message);
    },
  };
  const format = formatForOutput(output);
  checkOutputPath(output);
  const progress = onProgress ?? (() => undefined);
  if (format === 'fits' || format === 'mrt' || format === 'parquet') {
    return {
      rows: await convertSurveyed(input, output, format, { ...read, rows: batchRows }, fits, progress),
    };
  }
  let sink: BatchSink | null = null;
  try {
    const rows = await readTableBatches(input, { ...read, rows: batchRows }, (table, firstRow) => {
      sink ??= textSink(output, format, table);
      sink.write(table);
      progress('write', firstRow + table.numRows);
    });
    await sink!.close();
    return { rows };
  } catch (error) {
    await (sink as BatchSink | null)?.abort();
    throw error;
  }
}
