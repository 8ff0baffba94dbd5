import { defineConfig } from 'vitest/config';

// Server suites run against the real PostgreSQL and Redis that `npm test` starts (DATABASE_URL, REDIS_URL).
export default defineConfig({
  test: {
    include: ['test/server/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/block-network.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
