// Each capability registers its own subcommand here; the order is the order of `cradle --help`.
import type { Command } from 'commander';
import { registerFitsCommand } from './fits.ts';
import { registerServeCommand } from './serve.ts';
import { registerCatalogCommand } from './catalog.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerForwardCommand } from './forward.ts';
import { registerInferCommand } from './infer.ts';
import { registerModelsCommand } from './models.ts';
import { registerGalaxyCommand } from './galaxy.ts';

export function registerCommands(program: Command): void {
  registerFitsCommand(program);
  registerServeCommand(program);
  registerCatalogCommand(program);
  registerSimulateCommand(program);
  registerForwardCommand(program);
  registerInferCommand(program);
  registerModelsCommand(program);
  registerGalaxyCommand(program);
}
