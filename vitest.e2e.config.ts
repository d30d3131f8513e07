import { defineConfig } from 'vitest/config';

/** Browser journeys: the built app served by the real process, driven by Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false
  }
});
