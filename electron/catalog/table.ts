// The catalog Table contract: an Arrow table plus what the reader learned about its file. Per-column
// facts (unit, UCD, description, source column) live in Arrow field metadata under the keys below, so
// they travel with the table through Arrow IPC and Parquet and every writer can emit them again.
import { Field, RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import type { Data, Vector } from 'apache-arrow';
import { uniqueNames } from '../fits/names.ts';

// The readers' name de-duplication lives with the FITS engine (which may not import from here).
export { uniqueNames };

export type CatalogFormat = 'csv' | 'tsv' | 'ecsv' | 'votable' | 'mrt' | 'parquet' | 'fits';

export const META_UNIT = 'unit';
export const META_UCD = 'ucd';
export const META_DESCRIPTION = 'description';

export interface ColumnInfo {
  unit?: string;
  ucd?: string;
  description?: string;
}

export interface CatalogTable {
  /** The path the table was read from. */
  file: string;
  format: CatalogFormat;
  table: Table;
}

/** Builds an Arrow table from named vectors with per-column metadata, all of one length. */
export function buildTable(columns: { name: string; vector: Vector; info: ColumnInfo }[]): Table {
  const fields = columns.map(({ name, vector, info }) => {
    const metadata = new Map<string, string>();
    if (info.unit) metadata.set(META_UNIT, info.unit);
    if (info.ucd) metadata.set(META_UCD, info.ucd);
    if (info.description) metadata.set(META_DESCRIPTION, info.description);
    return new Field(name, vector.type, true, metadata);
  });
  const length = columns[0]?.vector.length ?? 0;
  const schema = new Schema(fields);
  const data = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: columns.map(({ name, vector }): Data => {
      if (vector.data.length !== 1)
        throw new Error(`column ${name}: expected one chunk, got ${vector.data.length}`);
      return vector.data[0] as Data;
    }),
  });
  return new Table([new RecordBatch(schema, data)]);
}

export function columnInfo(field: Field): ColumnInfo {
  const info: ColumnInfo = {};
  const unit = field.metadata.get(META_UNIT);
  const ucd = field.metadata.get(META_UCD);
  const description = field.metadata.get(META_DESCRIPTION);
  if (unit) info.unit = unit;
  if (ucd) info.ucd = ucd;
  if (description) info.description = description;
  return info;
}
