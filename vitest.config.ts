import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests import workspace packages from source so they never run against a stale dist/.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@storyreel\/shared\/testing$/, replacement: src('./shared/src/testing/index.ts') },
      { find: /^@storyreel\/shared$/, replacement: src('./shared/src/index.ts') },
      { find: /^@storyreel\/config$/, replacement: src('./config/src/index.ts') },
      { find: /^@storyreel\/functions\/share$/, replacement: src('./functions/src/shareHandler.ts') },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['{shared,config,services/*,functions,cli,e2e}/test/**/*.test.ts'] },
      },
      {
        extends: true,
        // The wizard's component tests sit beside its source and run in the frontend's jsdom.
        test: {
          name: 'frontend',
          include: ['frontend/src/**/*.test.{ts,tsx}'],
          environment: './frontend/src/test/jsdomEnvironment.ts',
        },
      },
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
