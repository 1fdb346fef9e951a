// The renderer's one way to reach the engine: the same client interface (client.ts) over the
// Electron preload bridge (window.cradle) when there is one, else browser mode's WebSocket.
import type { CradleApi } from './client.ts';
import { connectElectron, electronBridge } from './electron-transport.ts';
import { connectWebSocket } from './ws-transport.ts';

export { ApiCallError, type CradleApi } from './client.ts';

export function connectApi(): Promise<CradleApi> {
  const bridge = electronBridge();
  return bridge === undefined ? connectWebSocket(window.location) : Promise.resolve(connectElectron(bridge));
}
