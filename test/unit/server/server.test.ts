// Browser mode's server: binds 127.0.0.1 on a free port; serves the built renderer with the CSP and
// nothing outside it; refuses API sockets without the token, with a wrong one, from a foreign
// Origin or Host; and carries calls, replies and events — typed arrays as binary frames.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../electron/api/protocol.ts';
import { decodeMessage, encodeMessage } from '../../../electron/api/wire.ts';
import { startServer, type RunningServer } from '../../../electron/server/server.ts';
import { canOpenBrowser } from '../../../electron/server/open-browser.ts';
import { checkUpgrade, tokenMatches } from '../../../electron/server/security.ts';

let work: string;
let server: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cradle-server-'));
  await mkdir(join(work, 'dist', 'assets'), { recursive: true });
  await writeFile(join(work, 'dist', 'index.html'), '<!doctype html><title>Cradle</title>');
  await writeFile(join(work, 'dist', 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(work, 'secret.txt'), 'outside the renderer');
  server = await startServer({ rendererDir: join(work, 'dist'), settingsDir: join(work, 'settings') });
});

afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

/** Opens a socket; resolves with the socket when accepted, or the HTTP status when refused. */
function connect(path: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, {
      headers: { Origin: server.origin, ...headers },
    });
    socket.on('open', () => resolve(socket));
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => resolve(-1));
  });
}

async function openApi(): Promise<WebSocket> {
  const socket = await connect(`/api?token=${server.token}`);
  if (typeof socket === 'number') throw new Error(`refused: ${socket}`);
  return socket;
}

function call(socket: WebSocket, id: number, method: string, params: unknown): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      const message = decodeMessage(isBinary ? data : data.toString()) as ServerMessage;
      if (message.kind === 'reply' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(encodeMessage({ kind: 'call', id, method, params }));
  });
}

describe('HTTP', () => {
  it('prints a URL on 127.0.0.1 that carries a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${server.origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${server.origin}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('serves nothing outside the renderer folder and only GET/HEAD', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/missing.js',
      '/assets',
    ]) {
      expect((await fetch(`${server.origin}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${server.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses requests for another Host (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve) => {
      void import('node:http').then(({ get }) =>
        get(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/',
            headers: { Host: `evil.example:${server.port}` },
          },
          (r) => resolve(r.statusCode ?? 0),
        ),
      );
    });
    expect(status).toBe(421);
  });
});

describe('API socket gate', () => {
  it('refuses a socket without the token, with a wrong one, or on another path', async () => {
    expect(await connect('/api')).toBe(403);
    expect(await connect('/api?token=wrong')).toBe(403);
    expect(await connect(`/api?token=${server.token}x`)).toBe(403);
    expect(await connect(`/other?token=${server.token}`)).toBe(400);
  });

  it('refuses a socket from a foreign or missing Origin even with the token', async () => {
    expect(await connect(`/api?token=${server.token}`, { Origin: 'https://evil.example' })).toBe(403);
    expect(
      await connect(`/api?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port + 1}` }),
    ).toBe(403);
    expect(await connect(`/api?token=${server.token}`, { Origin: 'null' })).toBe(403);
  });

  it('decides by Host, Origin, path and token (unit level)', () => {
    const ok = { url: '/api?token=t', host: '127.0.0.1:9', origin: 'http://127.0.0.1:9' };
    expect(checkUpgrade(ok, 9, 't')).toEqual({ ok: true });
    expect(checkUpgrade({ ...ok, host: 'localhost:9', origin: 'http://localhost:9' }, 9, 't')).toEqual({
      ok: true,
    });
    expect(checkUpgrade({ ...ok, origin: undefined }, 9, 't')).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade({ ...ok, host: '0.0.0.0:9' }, 9, 't')).toMatchObject({ ok: false, status: 403 });
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });
});

describe('API over the socket', () => {
  it('answers calls and validation errors as replies', async () => {
    const socket = await openApi();
    expect(await call(socket, 1, 'settings.get', {})).toEqual({
      kind: 'reply',
      id: 1,
      ok: true,
      result: { theme: 'dark' },
    });
    expect(await call(socket, 2, 'files.list', { dir: 'x' })).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'invalid-params' },
    });
    socket.close();
  });

  it('closes a socket that sends something other than a call', async () => {
    const socket = await openApi();
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send('{"kind":"shell","id":1}');
    expect(await closed).toBe(1003);
  });

  it('pushes job events, sending the typed-array result as a binary frame', async () => {
    const dir = join(work, 'scan');
    await mkdir(dir);
    await writeFile(join(dir, 'a.fits'), 'SIMPLE  =                    T'.padEnd(2880));
    const socket = await openApi();
    const done = new Promise<{ binary: boolean; message: ServerMessage }>((resolve) => {
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        const message = decodeMessage(isBinary ? data : data.toString()) as ServerMessage;
        if (message.kind === 'event' && message.event.type === 'job.done')
          resolve({ binary: isBinary, message });
      });
    });
    expect(await call(socket, 7, 'jobs.start', { kind: 'fits-scan', params: { dir } })).toMatchObject({
      ok: true,
    });
    const { binary, message } = await done;
    expect(binary).toBe(true);
    if (message.kind !== 'event' || message.event.type !== 'job.done') throw new Error('not a done event');
    if (message.event.result.kind !== 'fits-scan') throw new Error(`a ${message.event.result.kind} result`);
    expect(message.event.result.value.sizeHistogram).toBeInstanceOf(Uint32Array);
    expect(message.event.result.value.fitsFiles).toBe(1);
    socket.close();
  });
});

describe('starting', () => {
  it('names the port when it is already in use', async () => {
    await expect(
      startServer({
        port: server.port,
        rendererDir: join(work, 'dist'),
        settingsDir: join(work, 'settings2'),
      }),
    ).rejects.toThrow(`port ${server.port} on 127.0.0.1 is already in use`);
  });

  it('refuses to start without a built renderer, saying how to build it', async () => {
    await expect(startServer({ rendererDir: join(work, 'nowhere') })).rejects.toThrow(
      /npm run build:renderer/,
    );
  });

  it('opens a browser only where there is a display and not in CI', () => {
    expect(canOpenBrowser({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({}, 'linux')).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ':0', CI: 'true' }, 'linux')).toBe(false);
    expect(canOpenBrowser({}, 'darwin')).toBe(true);
  });
});
