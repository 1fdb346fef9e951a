// Facts about this engine for the About box and the Models view: version (package.json), platform,
// and the ONNX Runtime execution providers this build carries (asked of onnxruntime-node itself, once;
// the native binding loads lazily so starting the app does not wait for it).
import { readFileSync } from 'node:fs';
import { arch, homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { AppInfo } from '../api/app.ts';
import { packageRoot } from './package-root.ts';

let version: string | undefined;

function packageVersion(): string {
  if (version === undefined) {
    const parsed = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    version = typeof parsed.version === 'string' ? parsed.version : '0.0.0';
  }
  return version;
}

let providers: Promise<Pick<AppInfo, 'executionProviders' | 'executionProvidersError'>> | undefined;

function executionProviders(): NonNullable<typeof providers> {
  providers ??= import('onnxruntime-node').then(
    (ort) => ({
      executionProviders: ort.listSupportedBackends().map(({ name, bundled }) => ({ name, bundled })),
      executionProvidersError: null,
    }),
    (error: unknown) => ({
      executionProviders: [],
      executionProvidersError: `onnxruntime-node could not be loaded: ${(error as Error).message}`,
    }),
  );
  return providers;
}

export async function appInfo(transport: AppInfo['transport']): Promise<AppInfo> {
  const os = platform();
  return {
    name: 'Cradle',
    version: packageVersion(),
    platform: os === 'linux' || os === 'darwin' || os === 'win32' ? os : 'other',
    arch: arch(),
    nodeVersion: process.versions.node,
    transport,
    homeDir: homedir(),
    ...(await executionProviders()),
  };
}
