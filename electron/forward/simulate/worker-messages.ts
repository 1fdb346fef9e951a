// The messages between the simulation pipeline and its worker threads.
import type { ChunkResult } from './chunk.ts';
import type { SimulationConfig } from './config.ts';
import type { PortSpec } from './port-loader.ts';

export interface WorkerInit {
  config: SimulationConfig;
  port: PortSpec;
  splineFile: string;
}

export type WorkerReply =
  { type: 'chunk'; result: ChunkResult } | { type: 'error'; index: number; message: string };
