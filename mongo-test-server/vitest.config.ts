// Stand-alone config to run only the test server's own tests (e.g. while the shared global
// setup is unavailable): `npx vitest run -c mongo-test-server/vitest.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    projects: [
      { test: { name: 'mts-unit', include: ['mongo-test-server/test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'mts-integration',
          include: ['mongo-test-server/test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['mongo-test-server/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
