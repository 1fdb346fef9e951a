// ONNX Runtime sessions for a model's graphs (context, velocity, and an adapted model's encoders), on
// the best execution provider that works.
// Providers are tried in order (architecture doc, "Execution providers"): each creation is caught, and
// a failure becomes a message naming the provider and why, never a crash; CPU is always last.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import type { LoadedModel } from './card.ts';

export const PROVIDERS = ['auto', 'cpu', 'cuda', 'tensorrt', 'webgpu', 'dml', 'coreml'] as const;
export type ProviderChoice = (typeof PROVIDERS)[number];
type Provider = Exclude<ProviderChoice, 'auto'>;

/** The accelerated providers worth trying on this platform, best first (CPU follows them). */
export function autoCandidates(os: NodeJS.Platform = platform()): Provider[] {
  switch (os) {
    case 'win32':
      return ['cuda', 'dml', 'webgpu'];
    case 'darwin':
      return ['coreml', 'webgpu'];
    default:
      return ['cuda', 'webgpu'];
  }
}

export interface ModelSessions {
  context: InferenceSession;
  velocity: InferenceSession;
  /** An adapted model's encoders, in the card's modality order (empty otherwise). */
  encoders: InferenceSession[];
  /** The provider that runs the graphs. */
  provider: Provider;
  /** One line per provider that was tried and failed. */
  notes: string[];
  threads: number;
  release(): Promise<void>;
}

export interface SessionOptions {
  provider?: ProviderChoice;
  /** Intra-op threads (the cores given to this session); default 1. */
  threads?: number;
}

/**
 * Why a provider cannot work here, found without trying it: CUDA and TensorRT ship as separate shared
 * libraries that must sit beside the binding; WebGPU on Linux needs a GPU device node (/dev/dri or NVIDIA's), and
 * trying without one costs a second and a Vulkan warning on stderr.
 */
function missingLibrary(provider: Provider): string | null {
  if (provider === 'webgpu' && platform() === 'linux' && !existsSync('/dev/dri'))
    return 'no GPU device in /dev/dri';
  if (provider !== 'cuda' && provider !== 'tensorrt') return null;
  const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
  const dir = join(dirname(entry), '..', 'bin', 'napi-v6', platform(), arch());
  const file =
    platform() === 'win32'
      ? `onnxruntime_providers_${provider}.dll`
      : `libonnxruntime_providers_${provider}.so`;
  return existsSync(join(dir, file)) ? null : `${file} is not installed in ${dir}`;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/adapter/i.test(text) && /webgpu/i.test(text)) return 'no WebGPU adapter on this machine';
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

async function create(model: LoadedModel, provider: Provider, threads: number): Promise<InferenceSession[]> {
  const options: InferenceSession.SessionOptions = {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // ORT prints a provider's load failure at "error" level; we report it ourselves, once.
    logSeverityLevel: 4,
  };
  const opened: InferenceSession[] = [];
  try {
    for (const file of [model.contextFile, model.velocityFile, ...model.encoderFiles])
      opened.push(await ort.InferenceSession.create(file, options));
    return opened;
  } catch (error) {
    await Promise.all(opened.map((session) => session.release()));
    throw error;
  }
}

/** Creates the two sessions on the requested provider, falling back to CPU with a note. */
export async function openSessions(model: LoadedModel, options: SessionOptions = {}): Promise<ModelSessions> {
  const choice = options.provider ?? 'auto';
  if (!PROVIDERS.includes(choice))
    throw new Error(`unknown provider '${String(choice)}' (choose ${PROVIDERS.join(', ')})`);
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  const candidates: Provider[] = choice === 'auto' ? autoCandidates() : choice === 'cpu' ? [] : [choice];
  const notes: string[] = [];
  ort.env.logLevel = 'fatal';
  for (const provider of [...candidates, 'cpu' as const]) {
    const missing = missingLibrary(provider);
    if (missing !== null) {
      notes.push(`provider ${provider} unavailable (${missing}); falling back`);
      continue;
    }
    try {
      const sessions = await create(model, provider, threads);
      const [context, velocity, ...encoders] = sessions as [
        InferenceSession,
        InferenceSession,
        ...InferenceSession[],
      ];
      return {
        context,
        velocity,
        encoders,
        provider,
        notes,
        threads,
        async release() {
          await Promise.all(sessions.map((session) => session.release()));
        },
      };
    } catch (error) {
      if (provider === 'cpu')
        throw new Error(`${model.dir}: ONNX Runtime cannot load the model on CPU: ${firstLine(error)}`, {
          cause: error,
        });
      notes.push(`provider ${provider} unavailable (${firstLine(error)}); falling back`);
    }
  }
  throw new Error('unreachable: the CPU provider is always tried');
}
