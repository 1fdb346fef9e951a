// The packaging configuration, checked the way electron-builder itself checks it (its loader and
// its JSON-schema validation), plus what Cradle needs from it: the three platforms' targets,
// ONNX Runtime's native files outside the asar, and the models shipped as extra resources.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId?: string;
  productName?: string;
  asar?: boolean;
  asarUnpack?: string[];
  files?: Array<string | { filter?: string[] }>;
  directories?: { output?: string };
  extraResources?: Array<{ from: string; to: string }>;
  linux?: { target?: string[] };
  mac?: { target?: string[] };
  win?: { target?: string[] };
}

// electron-builder's own configuration loader and validator (app-builder-lib ships with it).
const builder = require('app-builder-lib/out/util/config/config') as {
  getConfig: (projectDir: string, configPath: string) => Promise<BuilderConfig>;
  validateConfiguration: (
    config: BuilderConfig,
    debugLogger: { isEnabled: boolean; add: () => void },
  ) => Promise<void>;
};
const { getConfig, validateConfiguration } = builder;
const quietLogger = { isEnabled: false, add: () => undefined };

async function load(): Promise<BuilderConfig> {
  return getConfig(root, join(root, 'build', 'electron-builder.yml'));
}

describe('build/electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(await load(), quietLogger)).resolves.toBeUndefined();
  });

  it('would be refused by the same validation if it were wrong (the check can fail)', async () => {
    const broken = { ...(await load()), linux: { target: ['AppImage'], notAnOption: true } } as BuilderConfig;
    await expect(validateConfiguration(broken, quietLogger)).rejects.toThrow(/configuration\.linux/);
  });

  it('builds AppImage and deb on Linux, dmg on macOS, NSIS on Windows', async () => {
    const config = await load();
    expect(config.productName).toBe('Cradle');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('unpacks ONNX Runtime native files from the asar and ships the models as extra resources', async () => {
    const config = await load();
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/onnxruntime-node/bin/**/*');
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.extraResources).toContainEqual(
      expect.objectContaining({ from: 'native-models/models', to: 'models' }),
    );
  });

  it('packages the compiled engine and built renderer, and writes installers outside dist/', async () => {
    const config = await load();
    // The loader normalises `files` to file sets ({ filter: [...] }).
    const patterns = (config.files ?? []).flatMap((set) =>
      typeof set === 'string' ? [set] : (set.filter ?? []),
    );
    expect(patterns).toEqual(
      expect.arrayContaining(['package.json', 'dist/electron/**/*', 'renderer/dist/**/*']),
    );
    expect(config.directories?.output).toBe('release');
  });
});
