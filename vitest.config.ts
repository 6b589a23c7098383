import { configDefaults, defineConfig } from 'vitest/config';

// The compose engine's test starts containers (and the engine's own network rules and CPU
// spikes) while the local scenarios time their faults on the same two cores: `npm test` runs it
// alone, after everything else (LAB_TEST_SET=compose-engine).
const composeEngineTest = 'test/runner/compose-engine.test.ts';
const composeEngineOnly = process.env.LAB_TEST_SET === 'compose-engine';

export default defineConfig({
  test: {
    include: composeEngineOnly ? [composeEngineTest] : ['test/**/*.test.ts'],
    exclude: composeEngineOnly ? configDefaults.exclude : [...configDefaults.exclude, composeEngineTest],
    globalSetup: ['test/support/global-setup.ts'],
    // Tests start real servers and wait on real timeouts.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
