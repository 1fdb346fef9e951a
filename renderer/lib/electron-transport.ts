// The API over Electron IPC: the preload script exposes `window.cradle` (see electron/preload);
// replies and events arrive already structured-cloned, typed arrays included.
import type { ApiEvent } from '../../electron/api/events.ts';
import type { MethodName, MethodParams, MethodResult } from '../../electron/api/methods.ts';
import type { Reply } from '../../electron/api/protocol.ts';
import { ApiCallError, type CradleApi } from './client.ts';

/** What electron/preload puts on window.cradle. */
export interface ElectronBridge {
  call(method: string, params: unknown): Promise<Reply>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** The path of a file dropped on the window ('' for one not from the file system). */
  pathForFile(file: File): string;
}

export function electronBridge(): ElectronBridge | undefined {
  return (window as unknown as { cradle?: ElectronBridge }).cradle;
}

export function connectElectron(bridge: ElectronBridge): CradleApi {
  return {
    transport: 'electron',
    async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      const reply = await bridge.call(method, params);
      if (!reply.ok) throw new ApiCallError(method, reply.error);
      return reply.result as MethodResult<M>;
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onClose: () => undefined,
    pathForFile: (file) => bridge.pathForFile(file) || null,
  };
}
