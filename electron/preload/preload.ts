// The sandboxed preload: exposes exactly two functions to the page through contextBridge — call a
// method of the API, listen to its events — and nothing of Node or Electron. Bundled to CommonJS
// (build/bundle-preload.mjs) because a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent } from '../api/events.ts';
import { ipcChannels } from '../api/ipc.ts';
import type { Reply } from '../api/protocol.ts';

contextBridge.exposeInMainWorld('cradle', {
  call: (method: string, params: unknown): Promise<Reply> =>
    ipcRenderer.invoke(ipcChannels.call, method, params),
  onEvent(listener: (event: ApiEvent) => void): () => void {
    const forward = (_event: IpcRendererEvent, apiEvent: ApiEvent): void => listener(apiEvent);
    ipcRenderer.on(ipcChannels.event, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  },
});
