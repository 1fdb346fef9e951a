// Each capability registers its own subcommand here; the order is the order of `cradle --help`.
// Modules load lazily: `cradle fits …` imports only the fits command (and the FITS engine), because
// importing every capability up front cost about a second of start-up on each call.
import type { Command } from 'commander';

type Register = (program: Command) => void;

const commands: Record<string, () => Promise<Register>> = {
  fits: async () => (await import('./fits.ts')).registerFitsCommand,
  catalog: async () => (await import('./catalog.ts')).registerCatalogCommand,
  forward: async () => (await import('./forward.ts')).registerForwardCommand,
  simulate: async () => (await import('./simulate.ts')).registerSimulateCommand,
  infer: async () => (await import('./infer.ts')).registerInferCommand,
  models: async () => (await import('./models.ts')).registerModelsCommand,
  galaxy: async () => (await import('./galaxy.ts')).registerGalaxyCommand,
  serve: async () => (await import('./serve.ts')).registerServeCommand,
};

/** Registers the subcommand named in argv, or all of them when none is named (help, errors). */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const load = named === undefined ? undefined : commands[named];
  const loaders = load === undefined ? Object.values(commands) : [load];
  for (const loader of loaders) (await loader())(program);
}
