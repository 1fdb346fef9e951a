// ESLint: recommended rules (type-checked for TypeScript), Svelte rules for the renderer, and the
// `cradle/layers` rule (build/eslint-layers.js), which enforces the folder table of
// docs/architecture.md: who may import whom.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { layersRule } from './build/eslint-layers.js';

const root = dirname(fileURLToPath(import.meta.url));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'renderer/dist/**',
      'node_modules/**',
      'native-models/.venv/**',
      'test/e2e/artifacts/**',
      'test/bench/out/**',
      '.cradle-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: ['renderer/vite.config.ts', 'renderer/svelte.config.js', 'eslint.config.js'],
        },
        tsconfigRootDir: root,
        extraFileExtensions: ['.svelte'],
      },
    },
    plugins: { cradle: { rules: { layers: layersRule } } },
    rules: {
      'cradle/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig: undefined },
    },
  },
  {
    // Plain JavaScript (scripts, configs): no type information to lint with.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
