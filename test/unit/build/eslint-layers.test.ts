// The `cradle/layers` lint rule on small sources placed (by file name) in each folder: it lets the
// imports of the architecture's folder table through and reports the ones that break it.
import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the rule is plain JavaScript (loaded by eslint.config.js), without type declarations
import { layersRule } from '../../../build/eslint-layers.js';

const root = join(import.meta.dirname, '..', '..', '..');
const linter = new Linter({ configType: 'flat' });
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { cradle: { rules: { layers: layersRule as never } } },
    rules: { 'cradle/layers': 'error' as const },
  },
];

function problems(file: string, code: string): string[] {
  return linter.verify(code, config, { filename: join(root, file) }).map((message) => message.message);
}

describe('cradle/layers', () => {
  it('allows imports the folder table allows', () => {
    expect(problems('electron/catalog/x.ts', "import { a } from '../fits/card.ts';")).toEqual([]);
    expect(problems('electron/fits/wcs/x.ts', "import { a } from '../card.ts';")).toEqual([]);
    expect(problems('electron/server/x.ts', "import { Host } from '../host/host.ts';")).toEqual([]);
    expect(problems('electron/main/x.ts', "import { app } from 'electron';")).toEqual([]);
    expect(
      problems('renderer/lib/x.ts', "import type { AppInfo } from '../../electron/api/app.ts';"),
    ).toEqual([]);
    expect(
      problems('renderer/lib/x.ts', "import { encodeMessage } from '../../electron/api/wire.ts';"),
    ).toEqual([]);
    expect(problems('test/unit/x.ts', "import { a } from '../../electron/main/main.ts';")).toEqual([]);
  });

  it('reports imports against the table', () => {
    expect(problems('electron/fits/x.ts', "import { t } from '../catalog/table.ts';")).toEqual([
      'electron/fits may not import electron/catalog (electron/catalog/table.ts); see the folder table in docs/architecture.md',
    ]);
    expect(problems('electron/api/x.ts', "export * from '../host/host.ts';")).toHaveLength(1);
    expect(problems('electron/jobs/x.ts', "const m = await import('../fits/card.ts');")).toHaveLength(1);
    expect(problems('renderer/lib/x.ts', "import { x } from '../../electron/host/host.ts';")).toHaveLength(1);
  });

  it("keeps 'electron' inside electron/main and electron/preload", () => {
    expect(problems('electron/host/x.ts', "import { app } from 'electron';")[0]).toMatch(
      /only electron\/main/,
    );
    expect(problems('renderer/x.ts', "import type { App } from 'electron';")).toHaveLength(1);
  });

  it('lets the renderer take only types from electron/api (except the wire codec)', () => {
    expect(
      problems('renderer/lib/x.ts', "import { methods } from '../../electron/api/methods.ts';")[0],
    ).toMatch(/only types/);
    expect(
      problems('renderer/lib/x.ts', "import { type Methods } from '../../electron/api/methods.ts';"),
    ).toEqual([]);
  });

  it('keeps Node built-ins out of code that also runs in the browser', () => {
    expect(problems('electron/api/x.ts', "import { readFile } from 'node:fs';")).toHaveLength(1);
    expect(problems('renderer/lib/x.ts', "import { join } from 'node:path';")).toHaveLength(1);
    expect(problems('electron/host/x.ts', "import { readFile } from 'node:fs';")).toEqual([]);
  });
});
