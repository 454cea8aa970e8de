import { defineConfig } from 'vitest/config';

/**
 * Browser tests of the built site (`npm run test:e2e` builds it first; `npm test` runs them after
 * vitest). They need Debian's Chromium: `tests/e2e/preflight.ts` says how to install it when it is
 * missing, and `.ci/run` installs it. Some files start the real sandbox server, whose embedded
 * cluster and kubectl processes want the machine's cores, so files run one at a time.
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
