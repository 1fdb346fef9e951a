// The Infer, Models, Star and Simulate views' contract: installed model cards, a catalogue's survey
// recognition and the user's mapping, the demo sky's place, and windows onto a run's summary table
// and one star's posterior. Card sections the engine does not interpret (training, calibration) travel
// as JSON values, so the views show what the card says rather than a summary we invented.
import { z } from 'zod';
import { AbsolutePath } from './common.ts';

const Float32Values = z.custom<Float32Array>(
  (value) => value instanceof Float32Array,
  'expected a Float32Array',
);

export const CardVariableInfo = z.object({
  name: z.string(),
  role: z.enum(['parameter', 'observable']),
  unit: z.string(),
  survey: z.string().nullable(),
  range: z.tuple([z.number(), z.number()]).nullable(),
});

export const ModelInfo = z.object({
  name: z.string(),
  dir: z.string(),
  description: z.string(),
  created: z.string().nullable(),
  variables: z.array(CardVariableInfo),
  /** Its inputs as a catalogue supplies them: each observable, and a spectrum encoder's spectrum
   * (`gaia.xp`) once for all its bins. */
  inputs: z.array(z.object({ name: z.string(), survey: z.string().nullable() })),
  sampler: z.object({
    solver: z.string(),
    steps: z.number().int(),
    samplesPerStar: z.number().int(),
    /** "uniform" or "power P" (t_k = 1 − (1 − k/steps)^P): the card's time grid. */
    timeGrid: z.string(),
    /** The last step is Euler (one evaluation fewer than the solver's per step). */
    finalEuler: z.boolean(),
  }),
  /** Floating-point operations per star at the card's default sampler settings; null when not given. */
  flopsPerStar: z.number().nullable(),
  /** Velocity evaluations per ODE step for each solver the engine has (the cost estimate scales by it). */
  evaluationsPerStep: z.record(z.string(), z.number().int().positive()),
  /** The card's multiply-add counts, when given: FLOPs = 2 × (context + velocity × evaluations × samples). */
  costBreakdown: z
    .object({ contextMultiplyAdds: z.number(), velocityMultiplyAddsPerEvaluation: z.number() })
    .nullable(),
  /** The card's `training` section (data source, prior or mixture, steps), as written. */
  training: z.record(z.string(), z.unknown()).nullable(),
  /** Whether the model was adapted to real data, and how; null when the card does not say. */
  domainAdaptation: z
    .object({ adapted: z.boolean(), method: z.string().nullable(), note: z.string().nullable() })
    .nullable(),
  /** An adapted model's modality encoders (run before the Simformer; such a model takes no known
   * parameters); null for a model that reads its observables directly. */
  encoders: z
    .array(
      z.object({
        name: z.string(),
        variables: z.array(z.string()),
        tokens: z.number().int(),
        /** A spectrum encoder's spectrum (`gaia.xp`), whose bins are its variables; null otherwise. */
        spectrum: z.string().nullable(),
      }),
    )
    .nullable(),
  /** The card's `calibration` section (coverage per credibility level, TARP, SBC), as written. */
  calibration: z.unknown(),
  /** PNG plots in the model folder (calibration, SBC, TARP), by file name. */
  plots: z.array(z.string()),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelList = z.object({
  dir: z.string(),
  models: z.array(ModelInfo),
  /** Folders that hold a card.json the engine could not read, with the reason. */
  broken: z.array(z.object({ dir: z.string(), reason: z.string() })),
});
export type ModelList = z.infer<typeof ModelList>;

export const ModelPlotParams = z
  .object({
    model: z.string().min(1).max(200),
    file: z
      .string()
      .regex(/^[\w.-]+\.png$/, 'a PNG file name in the model folder')
      .max(200),
  })
  .strict();
export const ModelPlot = z.object({
  file: z.string(),
  png: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes'),
});

export const CatalogInspectParams = z
  .object({
    path: AbsolutePath,
    hdu: z.number().int().min(0).optional(),
    /** A model folder or shipped model name: also count the stars that have each of its inputs. */
    model: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const QuantityFound = z.object({
  name: z.string(),
  column: z.string().nullable(),
  expression: z.string().nullable(),
  unit: z.string(),
  role: z.string(),
  confidence: z.number(),
  /** name | derived | ucd | override (the user's saved mapping). */
  via: z.string(),
  /** Stars with a usable value after the quality rules. */
  observed: z.number().int().nonnegative(),
});
export type QuantityFound = z.infer<typeof QuantityFound>;

export const CatalogInspection = z.object({
  path: z.string(),
  format: z.string(),
  rows: z.number().int().nonnegative(),
  columns: z.array(z.string()),
  quantities: z.array(QuantityFound),
  /**
   * With a model: each of its inputs as inference will read it (recognition, the saved mapping, exact
   * column names), with the stars that have a usable value; null when none of its inputs is found.
   */
  modelInputs: z
    .array(
      z.object({ name: z.string(), source: z.string().nullable(), observed: z.number().int().nonnegative() }),
    )
    .nullable(),
  /** Why the model's inputs could not be counted, when modelInputs is null and a model was given. */
  modelInputsNote: z.string().nullable(),
  /** The user's saved mapping for this file (quantity → column or expression). */
  mapping: z.record(
    z.string(),
    z.object({ column: z.string().optional(), expression: z.string().optional() }),
  ),
});
export type CatalogInspection = z.infer<typeof CatalogInspection>;

const MappingSource = z.union([
  z.object({ column: z.string().min(1).max(500) }).strict(),
  z.object({ expression: z.string().min(1).max(2000) }).strict(),
]);

export const SaveMappingParams = z
  .object({ path: AbsolutePath, quantities: z.record(z.string().min(1).max(200), MappingSource) })
  .strict();

export const DemoSky = z.object({
  /** The folder the demo sky lives in (the simulator's output: catalog.parquet, truth.parquet). */
  dir: z.string(),
  catalog: z.string(),
  exists: z.boolean(),
});

export const RunRef = z.object({ runDir: AbsolutePath }).strict();

export const RunInfo = z.object({
  runDir: z.string(),
  status: z.string(),
  model: z.string(),
  input: z.string(),
  provider: z.string(),
  samples: z.number().int(),
  steps: z.number().int(),
  chunks: z.object({ total: z.number().int(), done: z.number().int() }),
  /** Rows of summary.parquet; null while the run has no merged summary (running, cancelled). */
  rows: z.number().int().nullable(),
  columns: z.array(z.string()),
  parameters: z.array(z.string()),
  hasSamples: z.boolean(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const SummaryWindowParams = z
  .object({
    runDir: AbsolutePath,
    start: z.number().int().min(0),
    count: z.number().int().min(1).max(2000),
  })
  .strict();

export const SummaryWindow = z.object({
  start: z.number().int(),
  total: z.number().int(),
  columns: z.array(z.string()),
  /** One array per row, in `columns` order; ids as strings (64-bit), numbers as numbers, null for nulls. */
  rows: z.array(z.array(z.union([z.number(), z.string(), z.null()]))),
});
export type SummaryWindow = z.infer<typeof SummaryWindow>;

/** One star of a run, by its input row or by its catalogue source_id (decimal string: ids pass 2^53). */
export const StarParams = z
  .object({
    runDir: AbsolutePath,
    row: z.number().int().min(0).optional(),
    sourceId: z
      .string()
      .regex(/^-?\d{1,20}$/, 'a decimal source_id')
      .optional(),
  })
  .strict()
  .refine((p) => (p.row === undefined) !== (p.sourceId === undefined), {
    message: 'give exactly one of row and sourceId',
  });

export const StarPosterior = z.object({
  row: z.number().int(),
  sourceId: z.string().nullable(),
  input: z.string(),
  /** The catalogue's recognised quantities for this star: name → value, null when not observed. */
  inputs: z.array(z.object({ name: z.string(), survey: z.string(), value: z.number().nullable() })),
  parameters: z.array(
    z.object({
      name: z.string(),
      unit: z.string(),
      mean: z.number().nullable(),
      median: z.number().nullable(),
      std: z.number().nullable(),
      p2_5: z.number().nullable(),
      p16: z.number().nullable(),
      p84: z.number().nullable(),
      p97_5: z.number().nullable(),
      /** Posterior samples in physical units when the run kept them (samples.parquet). */
      samples: Float32Values.nullable(),
    }),
  ),
  flags: z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.null()])),
});
export type StarPosterior = z.infer<typeof StarPosterior>;

/** The run's colour–magnitude diagram: Gaia BP − RP and M_G per star (NaN where not observed). */
export const RunCmd = z.object({
  /** The summary (input) row of each entry. */
  row: z.custom<Uint32Array>((value) => value instanceof Uint32Array, 'expected a Uint32Array'),
  /** M_G = G − 5 log10(d / 10 pc) at the posterior median distance (else 1/parallax); not dereddened. */
  absMag: Float32Values,
  colour: Float32Values,
});
export type RunCmd = z.infer<typeof RunCmd>;

export const PredictiveParams = z
  .object({
    runDir: AbsolutePath,
    row: z.number().int().min(0),
    /** Posterior draws pushed through the forward model (evenly spaced among the kept samples). */
    draws: z.number().int().min(1).max(1000).default(50),
  })
  .strict();

/** A star's observed SED against the posterior predictive of the forward model, per band. */
export const StarPredictive = z.object({
  bands: z.array(
    z.object({
      name: z.string(),
      /** Pivot wavelength, Å. */
      wavelength: z.number(),
      observed: z.number().nullable(),
      observedError: z.number().nullable(),
      median: z.number().nullable(),
      p16: z.number().nullable(),
      p84: z.number().nullable(),
    }),
  ),
  /** Draws used, and those on the isochrones (a living star). */
  draws: z.number().int(),
  alive: z.number().int(),
  /** Parameters the model does not infer and the value they were held at. */
  notes: z.array(z.string()),
});
export type StarPredictive = z.infer<typeof StarPredictive>;

export const RunExportParams = z
  .object({
    runDir: AbsolutePath,
    target: AbsolutePath.refine(
      (p) => /\.(fits|fit|fts|csv|tsv|ecsv|vot|parquet)$/i.test(p),
      'the export file must end in .fits, .csv, .tsv, .ecsv, .vot or .parquet',
    ),
  })
  .strict();
export const RunExport = z.object({ file: z.string(), rows: z.number().int() });
