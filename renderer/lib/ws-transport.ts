// The API over browser mode's WebSocket. The per-run token comes in the page URL (?token=…); it is
// kept in sessionStorage so a reload works, and removed from the address bar so it does not end up
// in screenshots or bookmarks.
import type { ApiEvent } from '../../electron/api/events.ts';
import type { MethodName, MethodParams, MethodResult } from '../../electron/api/methods.ts';
import type { ServerMessage } from '../../electron/api/protocol.ts';
import { decodeMessage, encodeMessage } from '../../electron/api/wire.ts';
import { ApiCallError, type CradleApi } from './client.ts';

const tokenKey = 'cradle.token';

function takeToken(location: Location): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(tokenKey, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(tokenKey);
}

export function connectWebSocket(location: Location): Promise<CradleApi> {
  const token = takeToken(location);
  if (token === null) {
    return Promise.reject(
      new Error('This page needs the access token: open the full URL that `cradle serve` printed.'),
    );
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`);
  socket.binaryType = 'arraybuffer';

  const pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void; method: string }
  >();
  const listeners = new Set<(event: ApiEvent) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  let nextId = 1;

  socket.addEventListener('message', (message: MessageEvent<string | ArrayBuffer>) => {
    const decoded = decodeMessage(message.data) as ServerMessage;
    if (decoded.kind === 'event') {
      for (const listener of listeners) listener(decoded.event);
      return;
    }
    const waiting = pending.get(decoded.id);
    if (waiting === undefined) return;
    pending.delete(decoded.id);
    if (decoded.ok) waiting.resolve(decoded.result);
    else waiting.reject(new ApiCallError(waiting.method, decoded.error));
  });

  const api: CradleApi = {
    transport: 'browser',
    call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      if (socket.readyState !== WebSocket.OPEN) {
        return Promise.reject(new Error(`${method}: not connected to the Cradle engine`));
      }
      const id = nextId++;
      return new Promise<MethodResult<M>>((resolve, reject) => {
        pending.set(id, { resolve, reject, method });
        socket.send(encodeMessage({ kind: 'call', id, method, params }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
    },
  };

  return new Promise((resolve, reject) => {
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      resolve(api);
    });
    socket.addEventListener('close', (event) => {
      const reason = opened
        ? `The connection to the Cradle engine closed${event.reason ? ` (${event.reason})` : ''}. Is \`cradle serve\` still running?`
        : 'The Cradle engine refused the connection: the access token is wrong or from an earlier run. Open the URL that `cradle serve` printed.';
      for (const waiting of pending.values()) waiting.reject(new Error(reason));
      pending.clear();
      if (!opened) {
        sessionStorage.removeItem(tokenKey);
        reject(new Error(reason));
      }
      for (const listener of closeListeners) listener(reason);
    });
  });
}
