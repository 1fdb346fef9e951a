// Exports of a finished run's summary table: FITS (through electron/fits' writer, one BINTABLE named
// POSTERIORS with the model and provider as header cards), or any table format the catalog writes
// (CSV, TSV, ECSV, VOTable, Parquet). The id columns (row, source_id) travel with every export.
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readParquet } from '../catalog/parquet.ts';
import { writeCatalog } from '../catalog/read.ts';
import { writeFits } from '../fits/writer.ts';
import { SUMMARY_FILE, readRunRecord } from './run-folder.ts';

export async function exportSummary(runDir: string, target: string): Promise<{ file: string; rows: number }> {
  const record = readRunRecord(runDir);
  if (record === null) throw new Error(`${runDir}: not a run folder (no run.json)`);
  const summaryPath = join(runDir, SUMMARY_FILE);
  if (record.status !== 'complete' || !existsSync(summaryPath))
    throw new Error(`${runDir}: the run is ${record.status}, not complete; resume it before exporting`);
  const { table } = await readParquet(summaryPath);
  const ext = extname(target).toLowerCase();
  if (ext === '.fits' || ext === '.fit' || ext === '.fts') {
    writeFits(target, [
      {
        kind: 'table',
        table,
        name: 'POSTERIORS',
        cards: [
          { keyword: 'MODEL', value: record.model.name, comment: 'Cradle model card name' },
          { keyword: 'PROVIDR', value: record.provider, comment: 'ONNX Runtime execution provider' },
          { keyword: 'NSAMPLES', value: record.settings.samples, comment: 'posterior samples per star' },
          { keyword: 'NSTEPS', value: record.settings.steps, comment: 'ODE steps' },
          { keyword: 'SOLVER', value: record.settings.solver, comment: 'ODE solver' },
          // Absent in run.json files written before the card's time grid existed (uniform then).
          { keyword: 'TIMEGRID', value: record.settings.time_grid ?? 'uniform', comment: 'ODE time grid' },
          {
            keyword: 'FINALEUL',
            value: record.settings.final_euler ?? false,
            comment: 'last ODE step is Euler',
          },
          { keyword: 'SEED', value: record.settings.seed, comment: 'random seed' },
        ],
      },
    ]);
  } else {
    await writeCatalog(table, target);
  }
  return { file: target, rows: table.numRows };
}
