// `cradle fits convert` and the Inspect view's export: a table HDU written as FITS (through the writer),
// CSV or Parquet (through the catalog's streamed Parquet writer, parquet-wasm: the Rust parquet crate
// compiled to WebAssembly, which writes every Arrow type the reader produces, nested lists included),
// a batch of rows at a time, so an HDU larger than memory converts. Every output is written to a
// temporary file and renamed into place. The outputs give the event loop a turn between batches, so an
// export in the app's engine does not stop it answering while it runs.
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Field, Schema, Table, Type } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { Compression } from 'parquet-wasm';
import { ParquetStreamWriter } from '../catalog/parquet-stream.ts';
import { openTable, tableBatches, tableSchema } from './arrow.ts';
import type { FitsTable } from './arrow.ts';
import { BinaryTable } from './bintable.ts';
import { FitsError } from './errors.ts';
import type { FitsFile } from './file.ts';
import type { Hdu } from './hdu.ts';
import { jsonCell } from './inspect.ts';
import type { JsonCell } from './inspect.ts';
import { FitsTableFile, TableSurvey } from './writer.ts';

/** Convert a table HDU to `output` (format from its extension); returns the number of rows. */
export async function convertTable(
  file: FitsFile,
  hdu: Hdu,
  output: string,
  columns?: string[],
): Promise<number> {
  const extension = extname(output).toLowerCase();
  if (extension === '.fits' || extension === '.fit' || extension === '.fts') {
    return copyTable(file, hdu, output, columns);
  }
  if (extension === '.csv') return writeCsv(file, hdu, output, columns);
  if (extension === '.parquet') return writeParquetStream(file, hdu, output, columns);
  throw new FitsError(`cannot convert to '${extension || output}': use .fits, .csv or .parquet`, {
    file: output,
  });
}

async function writeParquetStream(
  file: FitsFile,
  hdu: Hdu,
  output: string,
  columns?: string[],
): Promise<number> {
  const table = openTable(file, hdu);
  const { schema, textWidths } = parquetSchema(table, columns);
  const writer = ParquetStreamWriter.open(output, schema, {
    compression: Compression.ZSTD,
    createdBy: 'cradle fits convert (parquet-wasm)',
    astropy: { textWidths },
  });
  try {
    for (const batch of tableBatches(table, { columns })) {
      writer.write(batch);
      await nextTurn();
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return table.rows;
}

/** The Parquet schema of a table HDU for astropy's description (parquet-astropy.ts), which is decided
 * before the first row: a field is nullable only where the HDU can hold a null (an integer with TNULL, a
 * blank or TNULL ASCII-table field, an undefined logical), so only those get a mask column; text
 * columns are as wide as their TFORM. */
function parquetSchema(
  table: FitsTable,
  columns?: string[],
): { schema: Schema; textWidths: Map<string, number> } {
  const schema = tableSchema(table, columns);
  const textWidths = new Map<string, number>();
  const fields = schema.fields.map((field, k) => {
    let nullable = true;
    if (table instanceof BinaryTable) {
      const column = columns ? table.column(columns[k]!) : table.columns[k]!;
      if (column.type === 'A') {
        nullable = false;
        textWidths.set(field.name, column.dims?.[0] ?? column.repeat);
      } else if (column.type === 'X') nullable = false;
      else if ((field.type as DataType).typeId === Type.Int) nullable = column.nullValue !== undefined;
    } else {
      const column = columns ? table.column(columns[k]!) : table.columns[k]!;
      if (column.type === 'A') {
        nullable = column.nullText !== undefined;
        textWidths.set(field.name, column.width);
      }
    }
    return new Field(field.name, field.type, nullable, field.metadata);
  });
  return { schema: new Schema(fields, schema.metadata), textWidths };
}

/** A table HDU into a FITS file of its own, read a batch at a time twice (the writer surveys every row
 * before writing the first), so a table larger than memory can be copied or cut to columns. */
async function copyTable(file: FitsFile, hdu: Hdu, output: string, columns?: string[]): Promise<number> {
  const table = openTable(file, hdu);
  const survey = new TableSurvey(tableSchema(table, columns), { file: output });
  for (const batch of tableBatches(table, { columns })) {
    survey.add(new Table([batch]));
    await nextTurn();
  }
  const out = FitsTableFile.open(output, survey, hdu.name ? { name: hdu.name } : {});
  try {
    for (const batch of tableBatches(table, { columns })) {
      out.write(new Table([batch]));
      await nextTurn();
    }
    out.close();
  } catch (error) {
    out.abort();
    throw error;
  }
  return table.rows;
}

async function writeCsv(file: FitsFile, hdu: Hdu, output: string, columns?: string[]): Promise<number> {
  const table = openTable(file, hdu);
  const chosen = columns ? columns.map((n) => table.column(n)) : table.columns;
  await atomicWrite(output, async (fd) => {
    writeAll(fd, Buffer.from(`${chosen.map((c) => csvField(c.name)).join(',')}\n`));
    if (table instanceof BinaryTable) {
      const list = chosen as BinaryTable['columns'];
      for (const batch of table.batches()) {
        const lines: string[] = [];
        for (let r = 0; r < batch.count; r += 1) {
          lines.push(
            list
              .map((c) => csvCell(jsonCell(table.cell(batch.view, r * table.rowWidth, c, batch.start + r))))
              .join(','),
          );
        }
        writeAll(fd, Buffer.from(`${lines.join('\n')}\n`));
        await nextTurn();
      }
    } else {
      const list = chosen as typeof table.columns;
      for (const batch of table.batches()) {
        const lines: string[] = [];
        for (let r = 0; r < batch.count; r += 1) {
          lines.push(
            list
              .map((c) => csvCell(jsonCell(table.cell(batch.bytes, r * table.rowWidth, c, batch.start + r))))
              .join(','),
          );
        }
        writeAll(fd, Buffer.from(`${lines.join('\n')}\n`));
        await nextTurn();
      }
    }
  });
  return table.rows;
}

/** Scalars as text, null as an empty field, arrays as JSON in one quoted field. */
function csvCell(value: JsonCell): string {
  if (value === null) return '';
  if (Array.isArray(value)) return csvField(JSON.stringify(value));
  if (typeof value === 'string') return csvField(value);
  return String(value);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

async function atomicWrite(path: string, fill: (fd: number) => void | Promise<void>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (error) {
    throw new FitsError(`cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      file: path,
    });
  }
  try {
    await fill(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed after a successful fill
    }
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file is already gone
    }
    throw error;
  }
}
