import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each file gets its own process: better-sqlite3 handles and servers stay isolated.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machines have two cores; more workers only queue on them.
    maxWorkers: 2,
  },
});
