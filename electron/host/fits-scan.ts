// The directory scan behind the Files view's "Scan for FITS": walks a folder tree, confirms each
// FITS-named file by its magic (fits-magic.ts), and totals counts and sizes. Runs in a worker thread
// (fits-scan.worker.ts); this module is the plain function so it can be tested without one.
// Two passes — list, then check — so progress has a true total for the slow part (reading files).
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FitsScanParams, FitsScanResult } from '../api/jobs.ts';
import { checkFitsMagic } from './fits-magic.ts';
import { hasFitsName, isGzipName } from './fits-names.ts';

export interface ScanReporter {
  signal: AbortSignal;
  progress(done: number, total: number | null, force?: boolean): void;
}

interface Candidate {
  path: string;
  sizeBytes: number;
}

const maxExamples = 20;
/** Magic checks in flight at once when the scan is not paced (see test/bench/foundation). */
const concurrentChecks = 8;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

export async function scanForFits(
  params: FitsScanParams,
  reporter: ScanReporter,
  parallelChecks = concurrentChecks,
): Promise<FitsScanResult> {
  const startedMs = performance.now();
  const { signal } = reporter;
  const rootStat = await stat(params.dir).catch((error: unknown) => {
    throw new Error(`cannot scan ${params.dir}: ${describe(error)}`);
  });
  if (!rootStat.isDirectory()) throw new Error(`cannot scan ${params.dir}: not a directory`);

  let directories = 0;
  let filesSeen = 0;
  let unreadable = 0;
  const candidates: Candidate[] = [];
  const visited = new Set<string>();
  const pending: string[] = [params.dir];

  // Pass 1: list. The total is not known yet, so progress reports files seen against null.
  while (pending.length > 0) {
    if (signal.aborted) throw new Error('cancelled');
    const dir = pending.pop() as string;
    if (params.followSymlinks) {
      const identity = await realpath(dir).catch(() => dir);
      if (visited.has(identity)) continue;
      visited.add(identity);
    }
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      unreadable += 1;
      continue;
    }
    directories += 1;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        if (!params.followSymlinks) continue;
        const target = await stat(path).catch(() => null);
        if (target === null) continue;
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDirectory) pending.push(path);
      else if (isFile) {
        filesSeen += 1;
        if (!hasFitsName(entry.name)) continue;
        try {
          candidates.push({ path, sizeBytes: (await lstat(path)).size });
        } catch {
          unreadable += 1;
        }
      }
    }
    reporter.progress(0, null);
  }

  // Pass 2: check each candidate's magic, a few files at a time (reads of 10 bytes are latency-bound,
  // so overlapping them pays on network disks and SSDs alike) — one at a time when pacing is asked.
  const sizeHistogram = new Uint32Array(64);
  const notFitsExamples: FitsScanResult['notFitsExamples'] = [];
  let fitsFiles = 0;
  let fitsBytes = 0;
  let notFits = 0;
  let next = 0;
  let checked = 0;
  reporter.progress(0, candidates.length, true);
  const checkNext = async (): Promise<void> => {
    while (next < candidates.length) {
      if (signal.aborted) throw new Error('cancelled');
      const candidate = candidates[next++] as Candidate;
      try {
        const verdict = await checkFitsMagic(candidate.path, isGzipName(candidate.path));
        if (verdict.fits) {
          fitsFiles += 1;
          fitsBytes += candidate.sizeBytes;
          const bin = candidate.sizeBytes <= 1 ? 0 : Math.min(63, Math.floor(Math.log2(candidate.sizeBytes)));
          sizeHistogram[bin] = (sizeHistogram[bin] ?? 0) + 1;
        } else {
          notFits += 1;
          if (notFitsExamples.length < maxExamples) {
            notFitsExamples.push({ path: candidate.path, reason: verdict.reason });
          }
        }
      } catch {
        unreadable += 1;
      }
      checked += 1;
      reporter.progress(checked, candidates.length);
      if (params.paceMs > 0) await sleep(params.paceMs, signal);
    }
  };
  const lanes = params.paceMs > 0 ? 1 : Math.max(1, parallelChecks);
  await Promise.all(Array.from({ length: lanes }, checkNext));
  reporter.progress(candidates.length, candidates.length, true);

  return {
    dir: params.dir,
    fitsFiles,
    fitsBytes,
    notFits,
    unreadable,
    directories,
    filesSeen,
    sizeHistogram,
    notFitsExamples,
    elapsedMs: performance.now() - startedMs,
  };
}
