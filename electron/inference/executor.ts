// Where chunks run: in this thread (one worker) or in a pool of worker threads, each with its own
// ONNX Runtime sessions and a share of the cores as intra-op threads. Both give identical results:
// the work per chunk is the same function (chunk.ts) and the noise is addressed by input row.
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnJobWorker } from '../jobs/spawn-worker.ts';
import type { LoadedModel } from './card.ts';
import { computeChunk } from './chunk.ts';
import type { ChunkResult } from './chunk.ts';
import { PosteriorSampler } from './sampler.ts';
import type { SamplerSettings } from './sampler.ts';
import { openSessions } from './sessions.ts';
import type { ModelSessions, ProviderChoice } from './sessions.ts';
import type { StarBlock } from './tokens.ts';

export interface ExecutorSetup {
  modelDir: string;
  provider: ProviderChoice;
  threads: number;
  settings: SamplerSettings;
  keepSamples: boolean;
}

export interface Executor {
  provider: string;
  notes: string[];
  run(block: StarBlock, signal?: AbortSignal): Promise<ChunkResult>;
  close(): Promise<void>;
}

/** Messages between the pool and a chunk worker. */
export type ToChunkWorker = { type: 'chunk'; id: number; block: StarBlock } | { type: 'close' };
export type FromChunkWorker =
  | { type: 'ready'; provider: string; notes: string[] }
  | { type: 'result'; id: number; result: ChunkResult }
  | { type: 'error'; id: number | null; message: string };

export async function inProcessExecutor(model: LoadedModel, setup: ExecutorSetup): Promise<Executor> {
  const sessions: ModelSessions = await openSessions(model, {
    provider: setup.provider,
    threads: setup.threads,
  });
  const sampler = new PosteriorSampler(sessions, model.card, setup.settings);
  return {
    provider: sessions.provider,
    notes: sessions.notes,
    run: (block, signal) => computeChunk(sampler, model.card, block, setup.keepSamples, signal),
    close: () => sessions.release(),
  };
}

/** A chunk worker thread (chunk.worker.ts), ready once its sessions are open. */
export function workerExecutor(setup: ExecutorSetup): Promise<Executor> {
  const worker: Worker = spawnJobWorker(siblingModule(import.meta.url, 'chunk.worker'), setup);
  const pending = new Map<number, { resolve(r: ChunkResult): void; reject(e: Error): void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (error: Error): void => {
    failure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  return new Promise((resolve, reject) => {
    worker.on('error', (error) => {
      failAll(error);
      reject(error);
    });
    worker.on('exit', (code) => {
      if (pending.size > 0) failAll(new Error(`an inference worker stopped (exit code ${code})`));
    });
    worker.on('message', (message: FromChunkWorker) => {
      if (message.type === 'ready') {
        resolve({
          provider: message.provider,
          notes: message.notes,
          run(block) {
            if (failure !== null) return Promise.reject(failure);
            const id = nextId++;
            return new Promise<ChunkResult>((res, rej) => {
              pending.set(id, { resolve: res, reject: rej });
              worker.postMessage({ type: 'chunk', id, block } satisfies ToChunkWorker, [
                block.values.buffer as ArrayBuffer,
                block.errors.buffer as ArrayBuffer,
                block.observed.buffer as ArrayBuffer,
              ]);
            });
          },
          async close() {
            worker.postMessage({ type: 'close' } satisfies ToChunkWorker);
            await worker.terminate();
          },
        });
      } else if (message.type === 'result') {
        pending.get(message.id)?.resolve(message.result);
        pending.delete(message.id);
      } else if (message.id === null) {
        reject(new Error(message.message));
        void worker.terminate();
      } else {
        pending.get(message.id)?.reject(new Error(message.message));
        pending.delete(message.id);
      }
    });
  });
}
