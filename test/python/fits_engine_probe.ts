// Probe for the FITS parity tests: runs many `cradle fits` requests in one process (the CLI's start-up
// would dominate a sweep over dozens of files), through the same functions the CLI calls.
// Usage: node --import tsx test/python/fits_engine_probe.ts REQUESTS.json
//   REQUESTS.json: [{"op": "info"|"stats"|"rows"|"pixels"|"convert", "file", "hdu"?, "rows"?, "at"?,
//                    "columns"?, "checksums"?, "output"?}]
//   stdout: a JSON array, one {"ok": result} or {"error": one-line message} per request.
import { readFileSync } from 'node:fs';
import { convertTable } from '../../electron/fits/convert.ts';
import { FitsFile } from '../../electron/fits/file.ts';
import { pixelsOf, rowsOf, statsOf, summarize, toJsonText } from '../../electron/fits/inspect.ts';

interface Request {
  op: 'info' | 'stats' | 'rows' | 'pixels' | 'convert';
  file: string;
  hdu?: string | number;
  rows?: number[];
  at?: number[][];
  columns?: string[];
  checksums?: boolean;
  output?: string;
}

async function answer(request: Request): Promise<unknown> {
  const file = FitsFile.open(request.file);
  try {
    if (request.op === 'info') return summarize(file, { checksums: request.checksums ?? false });
    const hdu = file.find(request.hdu ?? 0);
    if (request.op === 'stats') return statsOf(file, hdu, request.columns);
    if (request.op === 'rows') return rowsOf(file, hdu, request.rows ?? [0], request.columns);
    if (request.op === 'convert')
      return { rows: await convertTable(file, hdu, request.output!, request.columns) };
    return pixelsOf(file, hdu, request.at ?? []);
  } finally {
    file.close();
  }
}

const requests = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Request[];
const results: unknown[] = [];
for (const request of requests) {
  try {
    results.push({ ok: await answer(request) });
  } catch (error) {
    results.push({ error: error instanceof Error ? error.message : String(error) });
  }
}
process.stdout.write(`${toJsonText(results)}\n`);
