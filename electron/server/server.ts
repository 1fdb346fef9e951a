// Browser mode: one HTTP server on 127.0.0.1 that serves the built renderer and, at /api, the
// engine's API over WebSocket — the same Host (method table, validation, jobs) the Electron window
// uses through IPC. A random token per run, printed in the URL, is required to open the socket.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import { Host } from '../host/host.ts';
import { packageRoot } from '../host/package-root.ts';
import { settingsDir as defaultSettingsDir } from '../host/settings-dir.ts';
import { serveApiSocket } from './api-socket.ts';
import { allowedHosts, checkUpgrade, newToken } from './security.ts';
import { securityHeaders, serveStatic } from './static-files.ts';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  rendererDir?: string;
  settingsDir?: string;
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
  jobConcurrency?: number;
}

export interface RunningServer {
  /** The URL to open: origin plus `?token=…`. */
  url: string;
  origin: string;
  port: number;
  token: string;
  host: Host;
  close(): Promise<void>;
}

const maxMessageBytes = 64 * 1024 * 1024;

export function defaultRendererDir(): string {
  return join(packageRoot(), 'renderer', 'dist');
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is already in use` : error.message,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const rendererDir = resolve(options.rendererDir ?? defaultRendererDir());
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`${rendererDir}: no built renderer (index.html missing); run \`npm run build:renderer\``);
  }
  const token = options.token ?? newToken();
  const host = new Host({
    settingsDir: options.settingsDir ?? defaultSettingsDir(),
    transport: 'browser',
    ...(options.jobConcurrency === undefined ? {} : { jobConcurrency: options.jobConcurrency }),
  });
  let port = 0;

  const http = createServer((request, response) => {
    if (request.headers.host === undefined || !allowedHosts(port).has(request.headers.host)) {
      response.writeHead(421, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('unexpected Host header');
      return;
    }
    serveStatic(rendererDir, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, securityHeaders);
      response.end(String(error));
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  http.on('upgrade', (request, socket, head) => {
    const verdict = checkUpgrade(
      { url: request.url, host: request.headers.host, origin: request.headers.origin },
      port,
      token,
    );
    if (!verdict.ok) {
      const status = verdict.status === 403 ? '403 Forbidden' : '400 Bad Request';
      socket.end(
        `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${verdict.reason}\n`,
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveApiSocket(ws, host));
  });

  port = await listen(http, options.port ?? 0);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    host,
    async close() {
      for (const client of sockets.clients) client.close(1001, 'server stopping');
      sockets.close();
      await host.dispose();
      await new Promise<void>((done) => {
        http.close(() => done());
        http.closeAllConnections();
      });
    },
  };
}
