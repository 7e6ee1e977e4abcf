import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each file gets its own process: better-sqlite3 handles and servers stay isolated.
    pool: 'forks',
    // Generous: end-to-end tests start servers and several CLI processes, and a busy two-core
    // machine can take seconds for each. A timeout is a guard against a hang, never a speed check.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The machines have two cores; more workers only queue on them.
    maxWorkers: 2,
  },
});
