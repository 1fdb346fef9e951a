// The `cradle` command line: one entry, a subcommand per capability (fits, catalog, forward, simulate,
// infer, models, serve). Every failure leaves as one line on stderr and a non-zero exit status; a stack
// trace is only printed when CRADLE_DEBUG is set, because users read these messages, not developers.
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { appVersion } from './version.ts';

// Output piped into a reader that stops early (`| head`): the reader has what it wanted, so the command
// ends quietly, as Unix tools do, instead of dying of an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const program = new Command();
program
  .name('cradle')
  .description('Cradle: calibrated posteriors for young stars, from FITS and survey catalogs')
  .version(appVersion())
  // A command's options only before its subcommands, so that a subcommand may have an option of the
  // same name (`cradle infer merge --input` is merge's, not infer's).
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride();

await registerCommands(program, process.argv);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cradle: ${message.split('\n').join(' ')}\n`);
    if (process.env['CRADLE_DEBUG'] && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = 1;
  }
}
