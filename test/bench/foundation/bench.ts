// Foundation benchmarks, each against a peer in the same run:
// 1. the API wire: a Float64Array of 1M values as one binary frame vs the same values as JSON
//    numbers (what a plain JSON transport would send), encode + decode;
// 2. the FITS scan's magic checks: eight files in flight vs one at a time, on a fresh tree of
//    small FITS files (page-cached after the first pass, so this measures per-file overhead).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FitsScanParams } from '../../../electron/api/jobs.ts';
import { decodeMessage, encodeMessage } from '../../../electron/api/wire.ts';
import { scanForFits } from '../../../electron/host/fits-scan.ts';

function bestOf(runs: number, work: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function bestOfAsync(runs: number, work: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const values = new Float64Array(1_000_000).map((_, i) => Math.sin(i) * 1e3);
const binaryMs = bestOf(5, () => decodeMessage(encodeMessage({ values })));
const jsonMs = bestOf(5, () => JSON.parse(JSON.stringify({ values: Array.from(values) })) as unknown);
const binaryBytes = (encodeMessage({ values }) as Uint8Array).byteLength;
const jsonBytes = JSON.stringify({ values: Array.from(values) }).length;
console.log(
  `wire, 1M float64: binary frame ${binaryMs.toFixed(1)} ms, ${(binaryBytes / 1e6).toFixed(1)} MB;`,
);
console.log(`                  JSON numbers ${jsonMs.toFixed(1)} ms, ${(jsonBytes / 1e6).toFixed(1)} MB;`);
console.log(
  `                  ratio binary/JSON: time ${(binaryMs / jsonMs).toFixed(3)}, size ${(binaryBytes / jsonBytes).toFixed(3)}`,
);

const root = await mkdtemp(join(tmpdir(), 'cradle-bench-scan-'));
try {
  const header = new TextEncoder().encode('SIMPLE  =                    T'.padEnd(80) + 'END'.padEnd(80));
  const file = new Uint8Array(2880);
  file.set(header);
  for (let d = 0; d < 20; d++) {
    await mkdir(join(root, `night${d}`));
    for (let f = 0; f < 250; f++) await writeFile(join(root, `night${d}`, `frame${f}.fits`), file);
  }
  const params = FitsScanParams.parse({ dir: root });
  const reporter = { signal: new AbortController().signal, progress: () => undefined };
  await scanForFits(params, reporter); // warm the page cache
  const oneMs = await bestOfAsync(3, () => scanForFits(params, reporter, 1));
  const eightMs = await bestOfAsync(3, () => scanForFits(params, reporter, 8));
  console.log(
    `scan, 5000 FITS files: 1 in flight ${oneMs.toFixed(0)} ms, 8 in flight ${eightMs.toFixed(0)} ms;`,
  );
  console.log(
    `                       ratio 8/1: ${(eightMs / oneMs).toFixed(2)} (${((5000 / eightMs) * 1000).toFixed(0)} files/s)`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
