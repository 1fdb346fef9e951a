// The envelopes a transport carries: a call (request), its reply, and a pushed event. Errors are
// replies, not exceptions on the wire, so every transport reports them the same way.
import type { ApiEvent } from './events.ts';
import type { MethodName, MethodParams, MethodResult } from './methods.ts';

export interface CallMessage<M extends MethodName = MethodName> {
  kind: 'call';
  id: number;
  method: M;
  params: MethodParams<M>;
}

export interface ApiError {
  /** One line a person can act on, naming the path or argument at fault. */
  message: string;
  /** 'invalid-params' | 'unknown-method' | 'not-available' | 'failed' */
  code: ApiErrorCode;
}
export type ApiErrorCode = 'invalid-params' | 'unknown-method' | 'not-available' | 'failed';

export type Reply<M extends MethodName = MethodName> =
  { ok: true; result: MethodResult<M> } | { ok: false; error: ApiError };

export type ReplyMessage = { kind: 'reply'; id: number } & Reply;

export interface EventMessage {
  kind: 'event';
  event: ApiEvent;
}

export type ServerMessage = ReplyMessage | EventMessage;
