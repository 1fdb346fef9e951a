// The model card as the engine reads it (schema version 1, written by native-models/cradle_models/
// export/card.py): the variables in token order with their transforms and normalisation, the two ONNX
// graphs with their input/output names, the probability path and the default sampler. The engine
// hard-codes no variable list (architecture doc, "Model card"); everything model-specific comes from here.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../host/package-root.ts';

export const CARD_FILE = 'card.json';
export const SCHEMA_VERSION = 1;

const Transform = z.object({
  kind: z.enum(['identity', 'log10']),
  offset: z.number().default(0),
});

const Variable = z.object({
  name: z.string().min(1),
  role: z.enum(['parameter', 'observable']),
  unit: z.string().default(''),
  transform: Transform,
  mean: z.number(),
  std: z.number().positive(),
  survey: z.string().nullable().default(null),
  error_handling: z.string().default('none'),
  /**
   * [min, max] of the training split's values in physical units, written at export (flags.ts: a star
   * observed outside it is flagged). Optional: cards exported before it lack it, and flags.ts then
   * falls back to 5 training standard deviations from the training mean.
   */
  range: z
    .tuple([z.number(), z.number()])
    .refine(([lo, hi]) => lo <= hi, { message: 'range must be [min, max] with min ≤ max' })
    .optional(),
  /**
   * The uncertainty (physical units) an observed value without one is given: an adapted model's encoders
   * never saw a value without an uncertainty in training (cradle_models.adaptation.app_model).
   */
  typical_error: z.number().positive().optional(),
});

/**
 * How a spectrum modality's card variables come from a catalogue's spectrum
 * (cradle_models.adaptation.spectra): `bin` consecutive samples of the `samples`-long sampled spectrum
 * averaged into each variable, then `transform`. Only Gaia XP (`gaia.xp`) has a catalogue layout.
 */
const SpectrumInputs = z.object({
  quantity: z.literal('gaia.xp'),
  samples: z.number().int().positive(),
  bin: z.number().int().positive(),
  transform: z.literal('log10'),
  flux_unit: z.string().optional(),
});
export type SpectrumInputs = z.infer<typeof SpectrumInputs>;

/** One modality encoder of an adapted model: its graph and the card variables it reads, in order. */
const Modality = z.object({
  name: z.string().min(1),
  file: z.string().min(1),
  variables: z.array(z.string().min(1)).min(1),
  n_tokens: z.number().int().positive(),
  spectrum: SpectrumInputs.optional(),
});
export type Modality = z.infer<typeof Modality>;

const GraphIo = z.object({
  name: z.string(),
  dtype: z.enum(['int64', 'float32']),
  shape: z.array(z.string()),
});

const Graph = z.object({ file: z.string().min(1), inputs: z.array(GraphIo), outputs: z.array(GraphIo) });

const Solver = z.enum(['euler', 'heun', 'midpoint']);
export type Solver = z.infer<typeof Solver>;

const CardSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  name: z.string().min(1),
  description: z.string().default(''),
  created: z.string().optional(),
  producer: z.object({ package: z.string(), version: z.string() }).passthrough().optional(),
  variables: z.array(Variable).min(2),
  architecture: z
    .object({
      n_variables: z.number().int().positive(),
      kv_slots: z.number().int().positive(),
      width: z.number().int().positive(),
    })
    .passthrough(),
  graphs: z.object({ opset: z.number().int(), context: Graph, velocity: Graph }),
  // An adapted model's modality encoders (cradle_models.adaptation.app_model): their tokens, not the
  // observables themselves, are the context graph's input; the parameters are the Simformer's variables.
  encoders: z
    .object({
      opset: z.number().int(),
      branch: z.enum(['real', 'sim']).optional(),
      modalities: z.array(Modality).min(1),
    })
    .optional(),
  attention_mask: z
    .object({ allowed: z.number(), blocked: z.number() })
    .passthrough()
    .default({ allowed: 0, blocked: -1e9 }),
  path: z.object({ name: z.literal('rectified') }).passthrough(),
  sampler: z.object({
    solver: Solver,
    steps: z.number().int().positive(),
    samples_per_star: z.number().int().positive(),
    // Optional: cards written before the power grid existed sample on the uniform grid.
    time_grid: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('uniform') }),
        z.object({ kind: z.literal('power'), exponent: z.number().min(1) }),
      ])
      .default({ kind: 'uniform' }),
    final_euler: z.boolean().default(false),
  }),
  cost: z.object({ flops_per_star: z.number().nonnegative() }).passthrough().optional(),
  training: z.record(z.string(), z.unknown()).optional(),
  // Whether the model was adapted to real data (cradle_models.export.card NOT_ADAPTED, or the
  // adaptation benchmark's section); absent in cards written before the field existed.
  domain_adaptation: z
    .object({
      adapted: z.boolean(),
      method: z.string().nullable().default(null),
      note: z.string().nullable().default(null),
    })
    .passthrough()
    .optional(),
  // The observables' training covariance in network space (misspecification score, flags.ts).
  observables: z
    .object({
      variables: z.array(z.string()).min(1),
      covariance: z.array(z.array(z.number())),
      limit: z.number().optional(),
    })
    .refine(
      (o) =>
        o.covariance.length === o.variables.length &&
        o.covariance.every((row) => row.length === o.variables.length),
      { message: 'covariance must be a square matrix with one row per listed variable' },
    )
    .optional(),
  // Each parameter's training-split histogram (cradle_models.export.card.prior_marginals): the prior
  // the posteriors assume, which the Galaxy view divides out when it combines a cluster's members.
  prior_marginals: z
    .record(
      z.string(),
      z
        .object({ edges: z.array(z.number()).min(2), density: z.array(z.number().nonnegative()) })
        .refine((h) => h.density.length === h.edges.length - 1, {
          message: 'a histogram needs one more edge than densities',
        }),
    )
    .optional(),
  calibration: z.unknown().optional(),
});

export type ModelCard = z.infer<typeof CardSchema>;
export type CardVariable = z.infer<typeof Variable>;

/** The graph inputs the sampler feeds, by graph (graphs.py GRAPH_SIGNATURES; an adapted model's
 * context graph: app_model.py CONTEXT_SIGNATURE). */
const REQUIRED_IO = {
  context: {
    inputs: ['context_ids', 'context_values', 'context_errors', 'context_mask'],
    outputs: ['context_kv'],
  },
  encodedContext: { inputs: ['tokens', 'token_valid'], outputs: ['context_kv'] },
  velocity: {
    inputs: ['latent_ids', 'latent_values', 'latent_errors', 't', 'context_kv', 'latent_mask'],
    outputs: ['velocity'],
  },
} as const;

export interface LoadedModel {
  /** The model folder (holds card.json and the ONNX files). */
  dir: string;
  card: ModelCard;
  contextFile: string;
  velocityFile: string;
  /** An adapted model's encoder graphs, in the card's modality order (empty otherwise). */
  encoderFiles: string[];
}

/** An adapted model's card: parameters first (their token ids are their positions), every observable
 * read by exactly one encoder, every encoder input an observable. */
function checkEncoders(card: ModelCard, where: string): void {
  const encoders = card.encoders;
  if (encoders === undefined) return;
  const parameters = card.variables.filter((v) => v.role === 'parameter').length;
  if (card.architecture.n_variables !== parameters)
    throw new Error(
      `${where}: architecture.n_variables is ${card.architecture.n_variables} but an adapted model's ` +
        `Simformer has one variable per parameter (${parameters})`,
    );
  if (card.variables.slice(0, parameters).some((v) => v.role !== 'parameter'))
    throw new Error(`${where}: an adapted model lists its parameters first`);
  const readBy = new Map<string, string>();
  for (const m of encoders.modalities) {
    const bins = m.spectrum === undefined ? null : Math.floor(m.spectrum.samples / m.spectrum.bin);
    if (bins !== null && m.variables.length !== bins)
      throw new Error(
        `${where}: encoder '${m.name}' bins ${m.spectrum!.samples} samples ${m.spectrum!.bin} at a time ` +
          `into ${bins} inputs, but lists ${m.variables.length} variables`,
      );
    for (const name of m.variables) {
      const v = card.variables.find((x) => x.name === name);
      if (v?.role !== 'observable')
        throw new Error(
          `${where}: encoder '${m.name}' reads '${name}', which is not an observable of the card`,
        );
      const other = readBy.get(name);
      if (other !== undefined)
        throw new Error(`${where}: '${name}' is read by both encoders '${other}' and '${m.name}'`);
      readBy.set(name, m.name);
    }
  }
  const unread = card.variables.find((v) => v.role === 'observable' && !readBy.has(v.name));
  if (unread !== undefined) throw new Error(`${where}: no encoder reads the observable '${unread.name}'`);
}

/** Parses and checks a card already read as JSON; `where` names the file in messages. */
export function parseCard(raw: unknown, where: string): ModelCard {
  if (typeof raw === 'object' && raw !== null && 'schema_version' in raw) {
    const version = raw.schema_version;
    if (version !== SCHEMA_VERSION)
      throw new Error(`${where}: schema_version ${String(version)}, this engine reads ${SCHEMA_VERSION}`);
  }
  const result = CardSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `${where}: ${issue ? `${issue.path.join('.') || '(card)'}: ${issue.message}` : 'invalid card'}`,
    );
  }
  const card = result.data;
  checkEncoders(card, where);
  if (card.encoders === undefined && card.architecture.n_variables !== card.variables.length) {
    throw new Error(
      `${where}: architecture.n_variables is ${card.architecture.n_variables} but ${card.variables.length} variables are listed`,
    );
  }
  const names = new Set<string>();
  for (const v of card.variables) {
    if (names.has(v.name)) throw new Error(`${where}: variable '${v.name}' is listed twice`);
    names.add(v.name);
  }
  if (!card.variables.some((v) => v.role === 'parameter'))
    throw new Error(`${where}: no variable has role 'parameter'; there is nothing to infer`);
  for (const graph of ['context', 'velocity'] as const) {
    const io = card.graphs[graph];
    const required =
      REQUIRED_IO[graph === 'context' && card.encoders !== undefined ? 'encodedContext' : graph];
    for (const name of required.inputs) {
      if (!io.inputs.some((i) => i.name === name))
        throw new Error(`${where}: graphs.${graph} lacks the input '${name}'`);
    }
    for (const name of required.outputs) {
      if (!io.outputs.some((o) => o.name === name))
        throw new Error(`${where}: graphs.${graph} lacks the output '${name}'`);
    }
  }
  return card;
}

/** Loads the card of a model folder and checks that its ONNX files are there. */
export function loadModel(dir: string): LoadedModel {
  const cardPath = join(dir, CARD_FILE);
  if (!existsSync(cardPath)) throw new Error(`${dir}: no ${CARD_FILE} (not a model folder)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cardPath, 'utf8'));
  } catch (error) {
    throw new Error(`${cardPath}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  const card = parseCard(raw, cardPath);
  const contextFile = join(dir, card.graphs.context.file);
  const velocityFile = join(dir, card.graphs.velocity.file);
  const encoderFiles = (card.encoders?.modalities ?? []).map((m) => join(dir, m.file));
  for (const file of [contextFile, velocityFile, ...encoderFiles]) {
    if (!existsSync(file)) throw new Error(`${cardPath}: the graph file ${file} is missing`);
  }
  return { dir, card, contextFile, velocityFile, encoderFiles };
}

/** Where shipped models live: native-models/models/<name>/ under the package root. */
export function modelsDir(): string {
  return join(packageRoot(), 'native-models', 'models');
}

/** The shipped model used when none is named: package.json's `cradle.defaultModel` (the first name in
 * alphabetical order would change whenever a model is added); null when the package names none. */
export function defaultModelName(): string | null {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    cradle?: { defaultModel?: unknown };
  };
  const name = manifest.cradle?.defaultModel;
  return typeof name === 'string' ? name : null;
}

/** Listing order of models: the default first, then by name. */
export function defaultFirst(
  defaultName: string | null,
): (a: { name: string }, b: { name: string }) => number {
  return (a, b) => (a.name === defaultName ? -1 : b.name === defaultName ? 1 : a.name.localeCompare(b.name));
}

/** The model chosen on a command line: a folder path, or the name of a shipped model. */
export function resolveModel(nameOrPath: string | undefined): LoadedModel {
  if (nameOrPath === undefined) {
    const shipped = listModels();
    const first = shipped[0];
    if (first === undefined) throw new Error(`no model given and none is shipped in ${modelsDir()}`);
    return loadModel(first.dir);
  }
  const asPath = isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
  if (existsSync(asPath) && statSync(asPath).isDirectory()) return loadModel(asPath);
  const shippedDir = join(modelsDir(), nameOrPath);
  if (existsSync(join(shippedDir, CARD_FILE))) return loadModel(shippedDir);
  const names = listModels().map((m) => m.name);
  throw new Error(
    `model '${nameOrPath}': neither a model folder nor a shipped model (shipped: ${names.join(', ') || 'none'})`,
  );
}

export interface ModelListing {
  name: string;
  dir: string;
  description: string;
  parameters: string[];
  /** Its inputs as a catalogue supplies them (modelInputGroups): a spectrum once, not bin by bin. */
  observables: string[];
  solver: Solver;
  steps: number;
  samplesPerStar: number;
  flopsPerStar: number | null;
}

export type SpectrumModality = Modality & { spectrum: SpectrumInputs };

/** A model's observables split by how a catalogue supplies them: `scalars`, read column by column (card
 * order), and `spectra`, the spectrum encoders whose variables are bins of one spectrum. */
export function modelInputs(card: ModelCard): { scalars: string[]; spectra: SpectrumModality[] } {
  const spectra = (card.encoders?.modalities ?? []).filter(
    (m): m is SpectrumModality => m.spectrum !== undefined,
  );
  const binned = new Set(spectra.flatMap((m) => m.variables));
  const scalars = card.variables
    .filter((v) => v.role === 'observable' && !binned.has(v.name))
    .map((v) => v.name);
  return { scalars, spectra };
}

/** A model's inputs as a catalogue supplies them: each observable read on its own, and each spectrum
 * encoder's bins as the one spectrum (`gaia.xp`) they come from; `variables` are card indices. */
export function modelInputGroups(card: ModelCard): { name: string; variables: number[] }[] {
  const index = (name: string): number => card.variables.findIndex((v) => v.name === name);
  const { scalars, spectra } = modelInputs(card);
  return [
    ...scalars.map((name) => ({ name, variables: [index(name)] })),
    ...spectra.map((m) => ({ name: m.spectrum.quantity, variables: m.variables.map(index) })),
  ];
}

export function describeModel(model: LoadedModel): ModelListing {
  const { card } = model;
  return {
    name: card.name,
    dir: model.dir,
    description: card.description,
    parameters: card.variables.filter((v) => v.role === 'parameter').map((v) => v.name),
    observables: modelInputGroups(card).map((g) => g.name),
    solver: card.sampler.solver,
    steps: card.sampler.steps,
    samplesPerStar: card.sampler.samples_per_star,
    flopsPerStar: card.cost?.flops_per_star ?? null,
  };
}

/** Every model folder under `root` (default: the shipped models), the default model first, then by name. */
export function listModels(root: string = modelsDir()): ModelListing[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, CARD_FILE)))
    .map((entry) => describeModel(loadModel(join(root, entry.name))))
    .sort(defaultFirst(defaultModelName()));
}
