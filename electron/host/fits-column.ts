// Whole-column work for the Inspect table: a sort permutation and statistics with a histogram, read
// batch by batch through the binary-table reader. Run in a worker thread (./fits-column.worker.ts).
// The sort is stable with NaN and nulls last in either direction, as in TOPCAT and pandas.
import { BinaryTable } from '../fits/bintable.ts';
import { FitsFile } from '../fits/file.ts';

export interface ColumnTask {
  task: 'sort' | 'stats';
  path: string;
  hdu: number;
  column: string;
  descending: boolean;
  bins: number;
}

export interface ColumnStatsValues {
  count: number;
  nulls: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  edges: Float64Array;
  counts: Float64Array;
}

export type ColumnTaskResult =
  { task: 'sort'; order: Uint32Array } | { task: 'stats'; stats: ColumnStatsValues };

/** The column as float64, NaN for NaN and nulls. */
export function readColumn(path: string, hdu: number, name: string): Float64Array {
  return FitsFile.with(path, (file) => {
    const table = new BinaryTable(file, file.hdu(hdu));
    const column = table.column(name);
    if (column.descriptor || column.repeat !== 1 || !'BIJKED'.includes(column.type)) {
      throw file.error(
        table.hdu,
        `only numeric scalar columns can be sorted or summarised (TFORM ${column.format})`,
        {
          column: column.name,
        },
      );
    }
    const values = new Float64Array(table.rows);
    for (const batch of table.batches()) {
      for (let r = 0; r < batch.count; r++) {
        const cell = table.cell(batch.view, r * table.rowWidth, column, batch.start + r);
        values[batch.start + r] = cell === null ? NaN : Number(cell);
      }
    }
    return values;
  });
}

export function sortOrder(values: Float64Array, descending: boolean): Uint32Array {
  const order = new Uint32Array(values.length);
  let finite = 0;
  let tail = values.length;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) order[--tail] = i;
    else order[finite++] = i;
  }
  const head = order.subarray(0, finite);
  const sign = descending ? -1 : 1;
  head.sort((a, b) => sign * (values[a]! - values[b]!) || a - b);
  order.subarray(finite).reverse();
  return order;
}

export function columnStats(values: Float64Array, bins: number): ColumnStatsValues {
  let count = 0;
  let nulls = 0;
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  let m2 = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      nulls++;
      continue;
    }
    count++;
    // Welford's online mean and variance (Welford 1962, Technometrics 4, 419).
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const edges = new Float64Array(bins + 1);
  const counts = new Float64Array(bins);
  if (count > 0) {
    const span = max > min ? max - min : 1;
    for (let i = 0; i <= bins; i++) edges[i] = min + (span * i) / bins;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      counts[Math.min(bins - 1, Math.floor(((v - min) / span) * bins))]! += 1;
    }
  }
  return {
    count,
    nulls,
    min: count > 0 ? min : null,
    max: count > 0 ? max : null,
    mean: count > 0 ? mean : null,
    std: count > 1 ? Math.sqrt(m2 / (count - 1)) : null,
    edges,
    counts,
  };
}

export function runColumn(task: ColumnTask): ColumnTaskResult {
  const values = readColumn(task.path, task.hdu, task.column);
  return task.task === 'sort'
    ? { task: 'sort', order: sortOrder(values, task.descending) }
    : { task: 'stats', stats: columnStats(values, task.bins) };
}
