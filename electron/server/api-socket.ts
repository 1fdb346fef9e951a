// One browser's API connection: decodes calls from WebSocket frames, validates the envelope,
// dispatches through the host, and sends replies and pushed events back (binary frames when they
// carry typed arrays, see electron/api/wire.ts).
import type { WebSocket, RawData } from 'ws';
import type { ApiEvent } from '../api/events.ts';
import type { ReplyMessage, ServerMessage } from '../api/protocol.ts';
import { decodeMessage, encodeMessage } from '../api/wire.ts';
import type { Host } from '../host/host.ts';

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function parseCall(raw: unknown): { id: number; method: string; params: unknown } | string {
  if (typeof raw !== 'object' || raw === null) return 'a message must be an object';
  const message = raw as Record<string, unknown>;
  if (message['kind'] !== 'call') return 'a message must have kind "call"';
  const { id, method, params } = message;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return 'a call needs an integer id';
  if (typeof method !== 'string') return 'a call needs a method name';
  return { id, method, params };
}

export function serveApiSocket(socket: WebSocket, host: Host): void {
  const send = (message: ServerMessage): void => {
    if (socket.readyState !== socket.OPEN) return;
    let frame: string | Uint8Array;
    try {
      frame = encodeMessage(message);
    } catch (error) {
      // A result the wire cannot carry is the engine's bug; the caller still gets an answer.
      if (message.kind !== 'reply') return;
      const text = `${(error as Error).message} (in the reply to call ${message.id})`;
      frame = encodeMessage({
        kind: 'reply',
        id: message.id,
        ok: false,
        error: { code: 'failed', message: text },
      });
    }
    socket.send(frame);
  };
  const unsubscribe = host.subscribe((event: ApiEvent) => send({ kind: 'event', event }));
  socket.on('close', unsubscribe);
  socket.on('message', (data, isBinary) => {
    let decoded: unknown;
    try {
      decoded = decodeMessage(isBinary ? toBytes(data) : toBytes(data).toString());
    } catch (error) {
      socket.close(1003, `undecodable message: ${(error as Error).message}`.slice(0, 120));
      return;
    }
    const call = parseCall(decoded);
    if (typeof call === 'string') {
      socket.close(1003, call);
      return;
    }
    void host.dispatch(call.method, call.params).then((reply) => {
      const message: ReplyMessage = { kind: 'reply', id: call.id, ...reply };
      send(message);
    });
  });
}
