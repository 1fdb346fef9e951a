// Exports of a finished run's summary table into any table format the catalog writes (CSV, TSV, ECSV,
// VOTable, byte-by-byte, Parquet, FITS), converted a row group at a time so that the summary of a
// billion-star run is never held whole. FITS gets one BINTABLE named POSTERIORS with the model, the
// provider and the sampler's settings as header cards. The id columns (row, source_id) travel with
// every export.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { convertCatalog } from '../catalog/convert.ts';
import { SUMMARY_FILE, readRunRecord } from './run-folder.ts';

export async function exportSummary(runDir: string, target: string): Promise<{ file: string; rows: number }> {
  const record = readRunRecord(runDir);
  if (record === null) throw new Error(`${runDir}: not a run folder (no run.json)`);
  const summaryPath = join(runDir, SUMMARY_FILE);
  if (record.status !== 'complete' || !existsSync(summaryPath))
    throw new Error(`${runDir}: the run is ${record.status}, not complete; resume it before exporting`);
  const { rows } = await convertCatalog(summaryPath, target, {
    fits: {
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
  });
  return { file: target, rows };
}
