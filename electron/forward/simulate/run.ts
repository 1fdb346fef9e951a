// The simulator as the CLI and the job system call it: resolve a config (file or preset, with
// overrides), find the Gaia spline and the assets hash, run the pipeline with the physics photometry,
// with the catalogue and truth in Parquet or FITS (both written as chunks arrive).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { gaiaSplineFile } from '../survey/gaia.ts';
import { parseSimulationConfig, PhysicsSchema, type PhysicsConfig, type SimulationConfig } from './config.ts';
import type { PhysicsPortOptions } from './physics-port.ts';
import { runSimulation, type RunProgress, type RunSummary } from './pipeline.ts';
import type { PortSpec } from './port-loader.ts';
import { isPresetName, PRESETS } from './presets.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `<repo>/../shared/data`, so a clone beside its `shared/` finds the data. */
export function sharedDataDir(): string {
  return resolve(REPO, '..', 'shared', 'data');
}

export interface ConfigSource {
  configFile?: string;
  /** A config object (the UI's job parameters), validated like a file. */
  config?: Record<string, unknown>;
  preset?: string;
  stars?: number;
  seed?: number;
  /** Overrides of the config's `physics` block (CLI flags). */
  physics?: { atmospheres?: string; pmsIsochrones?: string | null };
}

export function resolveConfig(source: ConfigSource): SimulationConfig {
  const given = [source.configFile, source.config, source.preset].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new Error('simulate: give exactly one of --config FILE and --preset demo|field|clusters');
  }
  let raw: Record<string, unknown>;
  let origin: string;
  if (source.configFile !== undefined) {
    origin = source.configFile;
    let text: string;
    try {
      text = readFileSync(source.configFile, 'utf8');
    } catch (error) {
      throw new Error(`${source.configFile}: cannot read the config (${(error as Error).message})`, {
        cause: error,
      });
    }
    try {
      const ext = extname(source.configFile).toLowerCase();
      raw = (ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text)) as Record<
        string,
        unknown
      >;
    } catch (error) {
      throw new Error(`${source.configFile}: not valid JSON/YAML (${(error as Error).message})`, {
        cause: error,
      });
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new Error(`${source.configFile}: the config must be an object`);
  } else if (source.config !== undefined) {
    origin = 'the job parameters';
    raw = structuredClone(source.config);
  } else {
    const name = source.preset as string;
    if (!isPresetName(name)) throw new Error(`simulate: unknown preset '${name}' (demo, field or clusters)`);
    origin = `preset '${name}'`;
    raw = structuredClone(PRESETS[name]);
  }
  if (source.stars !== undefined) raw['stars'] = source.stars;
  if (source.seed !== undefined) raw['seed'] = source.seed;
  const physics = Object.fromEntries(
    Object.entries(source.physics ?? {}).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(physics).length > 0) {
    const given = raw['physics'];
    raw['physics'] = {
      ...(given !== null && typeof given === 'object' && !Array.isArray(given) ? given : {}),
      ...physics,
    };
  }
  return parseSimulationConfig(raw, origin);
}

/** The physics photometry with the config's choices (atmosphere library, PMS isochrones). */
export function physicsPortSpec(physics: PhysicsConfig = PhysicsSchema.parse({})): PortSpec {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const options: PhysicsPortOptions = {
    library: physics.atmospheres,
    pmsIsochrones: physics.pmsIsochrones,
    pmsMaxLogAge: physics.pmsMaxLogAge,
  };
  return {
    module: new URL(`./physics-port${extension}`, import.meta.url).href,
    factory: 'physicsPort',
    options: { ...options },
  };
}

async function assetsHash(): Promise<string | null> {
  const file = join(REPO, 'assets', 'grids', 'manifest.json');
  if (!existsSync(file)) return null;
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

export interface SimulateOptions {
  config: SimulationConfig;
  outDir: string;
  format: 'parquet' | 'fits';
  shards: boolean;
  workers?: number;
  port?: PortSpec;
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
}

export async function simulate(options: SimulateOptions): Promise<RunSummary> {
  if (options.shards && options.format === 'fits')
    throw new Error('simulate: training shards are Parquet only (drop --format fits)');
  const splineFile = gaiaSplineFile(sharedDataDir());
  if (!existsSync(splineFile)) {
    throw new Error(
      `${splineFile}: the Gaia DR3 uncertainty spline is missing (expected in ../shared/data/physics)`,
    );
  }
  return runSimulation({
    config: options.config,
    outDir: options.outDir,
    shards: options.shards,
    format: options.format,
    workers: options.workers ?? Math.max(1, Math.min(4, availableParallelism())),
    port: options.port ?? physicsPortSpec(options.config.physics),
    splineFile,
    assetsHash: await assetsHash(),
    onProgress: options.onProgress,
    signal: options.signal,
  });
}
