import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The App Check debug token of the local mesh (made on its first run in
 * .data/local-secrets.json). The `development` (`npm run dev`) and `mesh`
 * (`npm run build:mesh`, for the gateway of `npm start`) modes bake it in; a
 * production build never carries it, and the services refuse it there.
 */
function localAppCheckToken(mode: string, env: Record<string, string>): string {
  if (mode === 'production') return '';
  if (env.VITE_APP_CHECK_DEBUG_TOKEN) return env.VITE_APP_CHECK_DEBUG_TOKEN;
  const dataDir = env.STORYREEL_DATA_DIR || `${repoRoot}/.data`;
  const file = `${dataDir}/local-secrets.json`;
  if (!existsSync(file)) return '';
  return (JSON.parse(readFileSync(file, 'utf8')) as { appCheckDebugToken?: string }).appCheckDebugToken ?? '';
}

export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, process.cwd(), ''), ...process.env } as Record<string, string>;
  // `npm run dev -w frontend` talks to the gateway `npm start` runs (it mirrors Firebase Hosting's rewrites).
  const gateway = env.STORYREEL_GATEWAY_URL || 'http://127.0.0.1:8080';
  return {
    plugins: [react()],
    define: {
      'import.meta.env.VITE_APP_CHECK_DEBUG_TOKEN': JSON.stringify(localAppCheckToken(mode, env)),
    },
    server: {
      proxy: {
        '/api': { target: gateway, changeOrigin: false },
        '/share': { target: gateway, changeOrigin: false },
        '/blobs': { target: gateway, changeOrigin: false },
        '/public': { target: gateway, changeOrigin: false },
      },
    },
    build: { outDir: 'dist', sourcemap: true },
  };
});
