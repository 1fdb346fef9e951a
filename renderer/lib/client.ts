// The client interface the UI programs against, whatever the transport, and its error type.
import type { ApiEvent } from '../../electron/api/events.ts';
import type { MethodName, MethodParams, MethodResult } from '../../electron/api/methods.ts';
import type { ApiError } from '../../electron/api/protocol.ts';

export interface CradleApi {
  /** Which transport carries the calls. */
  readonly transport: 'electron' | 'browser';
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  /** Listens to pushed events; returns the function that stops listening. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Called when the connection to the engine is lost for good. */
  onClose(listener: (reason: string) => void): void;
  /** The path of a dropped file, where the transport can know it (Electron); browsers never tell. */
  pathForFile?: (file: File) => string | null;
}

/** An error reply from the engine, with its code. */
export class ApiCallError extends Error {
  constructor(
    readonly method: string,
    readonly error: ApiError,
  ) {
    super(error.message);
  }
}
