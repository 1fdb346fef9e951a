// End-to-end tests: Playwright drives Debian Chromium against browser mode (`cradle serve`).
// Run by `npm run test:e2e`, which builds the renderer first.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
