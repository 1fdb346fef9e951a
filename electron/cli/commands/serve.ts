// `cradle serve`: browser mode. Starts the server on 127.0.0.1, prints the URL (with the per-run
// token) on one line, opens the system browser when there is a display, and stops on Ctrl+C.
// `cradle serve FILE` and plain `cradle FILE` do the same with FILE opened in the Inspect view.
import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
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

/** The absolute path of a file to open, checked before the server starts. */
function fileToOpen(file: string): string {
  const path = resolvePath(file);
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) throw new Error(`${path}: no such file`);
  if (!info.isFile()) throw new Error(`${path}: not a file`);
  return path;
}

export function registerServeCommand(program: Command): void {
  program
    .argument('[file]', 'a FITS file to open in the Inspect view (browser mode)')
    .action(async (file: string | undefined) => {
      if (file === undefined) program.help();
      else await serve({ open: true }, file);
    });
  program
    .command('serve')
    .description('run Cradle in a web browser (binds 127.0.0.1; the URL carries a per-run token)')
    .argument('[file]', 'a FITS file to open in the Inspect view')
    .option('--port <n>', 'port to listen on (default: a free one)', parsePort)
    .option('--no-open', 'do not open the system browser')
    .action((file: string | undefined, options: { port?: number; open: boolean }) => serve(options, file));
}

async function serve(options: { port?: number; open: boolean }, file: string | undefined): Promise<void> {
  const opened = file === undefined ? undefined : fileToOpen(file);
  const server = await startServer({ port: options.port ?? 0 });
  const url = opened === undefined ? server.url : `${server.url}&open=${encodeURIComponent(opened)}`;
  process.stdout.write(`Cradle is running at ${url}\n`);
  if (options.open && canOpenBrowser()) openBrowser(url);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
