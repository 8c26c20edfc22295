import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built binary; fuzz tests run many cases.
    testTimeout: 60_000,
    pool: 'forks',
    // The HTML reporter inlines the bundled page script: bundle the current source first.
    globalSetup: ['test/setup/client-bundle.ts'],
    // Property tests: a fixed seed unless VALGROUND_FC_SEED says otherwise.
    setupFiles: ['test/setup/fast-check-seed.ts'],
  },
});
