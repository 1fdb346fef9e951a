// The sandboxed preload: exposes exactly three functions to the page through contextBridge — call a
// method of the API, listen to its events, and the path of a file the user dropped on the window
// (webUtils.getPathForFile; File.path is gone since Electron 32) — and nothing else of Node or Electron. Bundled to CommonJS
// (build/bundle-preload.mjs) because a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
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
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
