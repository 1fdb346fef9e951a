// Find clusters in a worker thread that stays up while the user tries parameters. It keeps what the
// clustering needs of the last star set it prepared (prepare.ts: read, octree order; a run's age
// evidence), keyed by the sizes and modification times of the files it came from, so a second Find
// clusters on one set costs the clustering alone: reading and ordering a million stars took ~20 s of
// every click. Requests are answered in order; the worker exits after IDLE_MS without one, freeing
// the stars it held.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { CARD_FILE } from '../inference/card.ts';
import { readRunRecord, RUN_FILE, SUMMARY_FILE } from '../inference/run-folder.ts';
import { siblingModule, spawnJobWorker } from '../jobs/spawn-worker.ts';
import type { WorkerBootData } from '../jobs/worker-protocol.ts';
import { findClusters, type ClusterInput, type ClusterOptions, type ClusterResult } from './clusters.ts';
import { prepareGalaxy } from './prepare.ts';
import { runAgeEvidence } from './run-source.ts';

const IDLE_MS = 10 * 60_000;

interface Request {
  id: number;
  path: string;
  options: ClusterOptions;
}

type Reply = { id: number; ok: true; value: ClusterResult } | { id: number; ok: false; message: string };

interface Pending {
  resolve(value: ClusterResult): void;
  reject(error: Error): void;
}

interface Service {
  worker: Worker;
  pending: Map<number, Pending>;
  idle: NodeJS.Timeout | null;
}

let service: Service | null = null;
let nextId = 0;

function startService(): Service {
  const worker = spawnJobWorker(siblingModule(import.meta.url, 'cluster-service'), null);
  const started: Service = { worker, pending: new Map(), idle: null };
  const fail = (error: Error): void => {
    if (service === started) service = null;
    for (const p of started.pending.values()) p.reject(error);
    started.pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const pending = started.pending.get(reply.id);
    started.pending.delete(reply.id);
    if (reply.ok) pending?.resolve(reply.value);
    else pending?.reject(new Error(reply.message));
    if (started.pending.size === 0) {
      // An idle service must not keep the process alive (the browser-mode server, a test run).
      worker.unref();
      started.idle = setTimeout(() => {
        if (service === started) service = null;
        void worker.terminate();
      }, IDLE_MS);
      started.idle.unref();
    }
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`galaxy: the clustering worker stopped (exit ${code})`)));
  return started;
}

/** Prepares the stars at `path` (or reuses them) and clusters them (clusters.ts) in the worker. */
export function clustersInWorker(path: string, options: ClusterOptions): Promise<ClusterResult> {
  service ??= startService();
  const current = service;
  if (current.idle !== null) clearTimeout(current.idle);
  current.idle = null;
  current.worker.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    current.pending.set(id, { resolve, reject });
    current.worker.postMessage({ id, path, options } satisfies Request);
  });
}

/** Sizes and modification times of the files a star set is read from ('-' for one that is absent). */
export async function sourceKey(path: string): Promise<string> {
  const files = [path, join(path, RUN_FILE), join(path, SUMMARY_FILE), join(path, 'truth.parquet')];
  const record = await stat(join(path, RUN_FILE)).then(
    () => readRunRecord(path),
    () => null,
  );
  if (record !== null) files.push(record.input.file, join(record.model_dir, CARD_FILE));
  const stamps = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (s) => `${s.size}:${s.mtimeMs}`,
        () => '-',
      ),
    ),
  );
  return JSON.stringify([path, ...stamps]);
}

/** What the clustering needs of a star set, in prepareGalaxy's order. */
async function clusterInput(path: string): Promise<ClusterInput> {
  const stars = await prepareGalaxy(path);
  // A run's cluster ages divide the model's prior out of its members' posteriors (cluster-age.ts).
  const evidence =
    stars.runDir === null || stars.inputRow === null
      ? undefined
      : await runAgeEvidence(stars.runDir, stars.inputRow);
  return {
    positions: stars.positions,
    vLKms: stars.vLKms,
    vBKms: stars.vBKms,
    logAge: stars.logAge,
    logAgeError: stars.logAgeError,
    outsideTraining: stars.outsideTraining,
    ...(evidence === undefined ? {} : { ageEvidence: evidence }),
  };
}

if (parentPort !== null && (workerData as WorkerBootData | undefined)?.job?.entry === import.meta.url) {
  const port = parentPort;
  let cached: { key: string; input: ClusterInput } | null = null;
  const answer = async ({ id, path, options }: Request): Promise<void> => {
    try {
      const key = await sourceKey(path);
      if (cached?.key !== key) {
        cached = null;
        cached = { key, input: await clusterInput(path) };
      }
      const value = findClusters(cached.input, options);
      port.postMessage({ id, ok: true, value } satisfies Reply, [value.labels.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({
        id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      } satisfies Reply);
    }
  };
  let queue = Promise.resolve();
  port.on('message', (request: Request) => {
    queue = queue.then(() => answer(request));
  });
}
