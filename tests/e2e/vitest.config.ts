import { defineConfig } from 'vitest/config';

/**
 * Browser tests of the built site (`npm run test:e2e` builds it first). Kept out of `npm test`:
 * they need Debian's Chromium, which a fresh machine may not have.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
