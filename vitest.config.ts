import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Tests start real servers and wait on real timeouts.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
