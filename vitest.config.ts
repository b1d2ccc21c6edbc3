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
    include: ['{shared,config,services/*,functions,cli,e2e}/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
