// How a thread (main or worker) obtains the photometry: a module URL and the name of a factory it
// exports, so workers can build the same port as the main thread from plain, cloneable data.
import type { PhotometryPort } from './photometry-port.ts';

export interface PortSpec {
  /** file: URL of the module. */
  module: string;
  /** Exported function (options) => PhotometryPort | Promise<PhotometryPort>. */
  factory: string;
  options?: Record<string, unknown>;
}

type Factory = (options: Record<string, unknown>) => PhotometryPort | Promise<PhotometryPort>;

export async function loadPort(spec: PortSpec): Promise<PhotometryPort> {
  const loaded = (await import(spec.module)) as Record<string, unknown>;
  const factory = loaded[spec.factory];
  if (typeof factory !== 'function') {
    throw new Error(`${spec.module}: exports no photometry factory '${spec.factory}'`);
  }
  return (factory as Factory)(spec.options ?? {});
}
