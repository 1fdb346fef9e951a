// What the engine tells the UI about itself: version, platform, the ONNX Runtime execution providers
// this build can use, and the transport the UI is talking through (which decides, e.g., native dialogs).
import { z } from 'zod';

export const ExecutionProvider = z.object({
  name: z.string(),
  /** true when the provider ships inside onnxruntime-node; false when it needs a separate install (CUDA). */
  bundled: z.boolean(),
});

export const AppInfo = z.object({
  name: z.literal('Cradle'),
  version: z.string(),
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
  arch: z.string(),
  nodeVersion: z.string(),
  transport: z.enum(['electron', 'browser']),
  homeDir: z.string(),
  executionProviders: z.array(ExecutionProvider),
  /** Why the provider list is empty, when onnxruntime-node could not be loaded. */
  executionProvidersError: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;
