// `cradle models list`: the shipped models (native-models/models/) or those in a folder, with their
// parameters, inputs, default sampler and cost per star, as JSON.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { describeModel, listModels, loadModel, modelsDir } from '../../inference/card.ts';

export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('models the engine can run');
  models
    .command('list')
    .description('list the shipped models (or those under --dir)')
    .option('--dir <folder>', 'folder of model folders', modelsDir())
    .action((flags: { dir: string }) => {
      // A mistyped --dir listed no models, as if the folder held none.
      if (!existsSync(flags.dir) || !statSync(flags.dir).isDirectory())
        throw new Error(`${flags.dir}: no such folder`);
      process.stdout.write(`${JSON.stringify(listModels(flags.dir), null, 2)}\n`);
    });
  models
    .command('show <path>')
    .description("a model folder's card summary")
    .action((path: string) => {
      process.stdout.write(`${JSON.stringify(describeModel(loadModel(path)), null, 2)}\n`);
    });
}
