// Each capability registers its own subcommand here; the order is the order of `cradle --help`.
import type { Command } from 'commander';
import { registerFitsCommand } from './fits.ts';

export function registerCommands(program: Command): void {
  registerFitsCommand(program);
}
