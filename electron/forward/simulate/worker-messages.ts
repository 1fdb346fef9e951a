// The messages between the simulation pipeline and its worker threads.
import type { ChunkResult } from './chunk.ts';
import type { SimulationConfig } from './config.ts';
import type { ModelCurves } from './model.ts';
import type { PortSpec } from './port-loader.ts';

export interface WorkerInit {
  config: SimulationConfig;
  port: PortSpec;
  splineFile: string;
  /** The main thread's brightness curves (the samplers' inputs), so workers need not recompute them. */
  curves: ModelCurves;
}

export type WorkerReply =
  { type: 'chunk'; result: ChunkResult } | { type: 'error'; index: number; message: string };
