// Browser mode's gate: the per-run token, and the Host and Origin checks. The token is what makes
// the API the user's alone (any local process can reach 127.0.0.1); the Origin check stops another
// web page in the same browser from opening the socket; the Host check stops DNS rebinding.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (of digests, so lengths leak nothing either). */
export function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([...allowedHosts(port)].map((host) => `http://${host}`));
}

export type GateVerdict = { ok: true } | { ok: false; status: 400 | 403; reason: string };

/** Decides whether a WebSocket upgrade request may become an API connection. */
export function checkUpgrade(
  request: { url: string | undefined; host: string | undefined; origin: string | undefined },
  port: number,
  token: string,
): GateVerdict {
  if (request.host === undefined || !allowedHosts(port).has(request.host)) {
    return { ok: false, status: 403, reason: `unexpected Host ${JSON.stringify(request.host ?? '')}` };
  }
  if (request.origin === undefined || !allowedOrigins(port).has(request.origin)) {
    return { ok: false, status: 403, reason: `foreign Origin ${JSON.stringify(request.origin ?? '')}` };
  }
  const url = new URL(request.url ?? '/', `http://${request.host}`);
  if (url.pathname !== '/api') return { ok: false, status: 400, reason: `no API at ${url.pathname}` };
  if (!tokenMatches(token, url.searchParams.get('token'))) {
    return { ok: false, status: 403, reason: 'missing or wrong token' };
  }
  return { ok: true };
}
