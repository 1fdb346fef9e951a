// The `cradle/layers` ESLint rule: enforces the folder table of docs/architecture.md — which
// folder may import which — in the spirit of VS Code's code-layering rule. The table lives here,
// next to the rule; eslint.config.js turns it on. Tested in test/unit/build/eslint-layers.test.ts.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** For each area, the other areas it may import (its own is always allowed); areas not listed (test, bin, build) may import anything. */
export const layers = {
  'electron/api': [],
  'electron/jobs': [],
  'electron/fits': [],
  'electron/catalog': ['electron/fits'],
  'electron/forward': ['electron/catalog', 'electron/fits', 'electron/jobs'],
  'electron/inference': ['electron/catalog', 'electron/fits', 'electron/jobs'],
  // The Galaxy view reads inference run folders (run.json, summary.parquet) as one of its star sources.
  'electron/galaxy': ['electron/catalog', 'electron/inference', 'electron/jobs'],
  'electron/host': [
    'electron/api',
    'electron/jobs',
    'electron/fits',
    'electron/catalog',
    'electron/forward',
    'electron/inference',
    'electron/galaxy',
  ],
  'electron/server': ['electron/api', 'electron/host', 'electron/jobs'],
  'electron/main': ['electron/api', 'electron/host', 'electron/jobs'],
  'electron/preload': ['electron/api'],
  'electron/cli': [
    'electron/api',
    'electron/host',
    'electron/jobs',
    'electron/server',
    'electron/fits',
    'electron/catalog',
    'electron/forward',
    'electron/inference',
    'electron/galaxy',
  ],
  renderer: ['electron/api'],
};

/** Dependency-free utilities any engine folder may use. */
const sharedUtilities = new Set(['electron/host/package-root.ts', 'electron/catalog/parquet-stream.ts']);
/** The one value module the renderer takes from electron/api: the wire codec both ends must share. */
const rendererValueImports = new Set(['electron/api/wire.ts']);
/** Folders whose code must run in a browser as well as in Node. */
const platformNeutral = new Set(['electron/api', 'renderer']);

function areaOf(repoPath) {
  const parts = repoPath.split('/');
  if (parts[0] === 'electron' && parts.length > 2) return `electron/${parts[1]}`;
  return parts.length > 1 ? parts[0] : '.';
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'keep the import directions of the folder table in docs/architecture.md' },
    schema: [],
  },
  create(context) {
    const file = relative(root, context.filename).split(sep).join('/');
    const from = areaOf(file);
    const allowed = layers[from];
    if (allowed === undefined) return {};

    function check(node, source, typeOnly) {
      if (typeof source !== 'string') return;
      const report = (message) => context.report({ node, message });
      if (source === 'electron' || source.startsWith('electron/')) {
        if (from !== 'electron/main' && from !== 'electron/preload') {
          report(`only electron/main and electron/preload may import 'electron' (${from} is plain Node)`);
        }
        return;
      }
      if (source.startsWith('node:') && platformNeutral.has(from) && !file.endsWith('.config.ts')) {
        report(`${from} runs in the browser too: it may not import ${source}`);
        return;
      }
      if (!source.startsWith('.')) return;
      const target = relative(root, resolve(dirname(context.filename), source))
        .split(sep)
        .join('/');
      const to = areaOf(target);
      if (to === from) return;
      if (from.startsWith('electron/') && sharedUtilities.has(target)) return;
      if (!allowed.includes(to)) {
        report(`${from} may not import ${to} (${target}); see the folder table in docs/architecture.md`);
        return;
      }
      if (from === 'renderer' && !typeOnly && !rendererValueImports.has(target)) {
        report(`the renderer may import only types from ${to}: use \`import type\` (${target})`);
      }
    }

    const isTypeOnly = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 &&
        node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

    return {
      ImportDeclaration: (node) => check(node, node.source.value, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    };
  },
};
