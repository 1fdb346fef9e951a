// `cradle serve`: browser mode. Starts the server on 127.0.0.1, prints the URL (with the per-run
// token) on one line, opens the system browser when there is a display, and stops on Ctrl+C.
import type { Command } from 'commander';
import { canOpenBrowser, openBrowser } from '../../server/open-browser.ts';
import { startServer } from '../../server/server.ts';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: ${JSON.stringify(value)} is not a port number (0–65535)`);
  }
  return port;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run Cradle in a web browser (binds 127.0.0.1; the URL carries a per-run token)')
    .option('--port <n>', 'port to listen on (default: a free one)', parsePort)
    .option('--no-open', 'do not open the system browser')
    .action(async (options: { port?: number; open: boolean }) => {
      const server = await startServer({ port: options.port ?? 0 });
      process.stdout.write(`Cradle is running at ${server.url}\n`);
      if (options.open && canOpenBrowser()) openBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
