import { defineConfig } from 'vitest/config';

// Two projects: `unit` does no I/O; `integration` talks to the test servers that
// test/global-setup.ts starts once (or to a real MongoDB when MONGO_URL is set).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'mongo-test-server/test/unit/**/*.test.ts'],
          environment: 'node',
          // Property tests run hundreds of cases; on a loaded 2-core machine one took 11 s and
          // failed CI under vitest's default 5 s (found by an audit). A timeout is not a speed
          // check (benchmarks are), only a guard against a hang.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'mongo-test-server/test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration files share one server; run them one file at a time so the two
          // cores are not oversubscribed and timings stay meaningful.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
