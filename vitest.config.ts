import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Every answer the tests get is checked against the OpenAPI document (test/helpers/contract/).
    setupFiles: ['test/helpers/contract/contract-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only contend for CPU and PostgreSQL connections.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
