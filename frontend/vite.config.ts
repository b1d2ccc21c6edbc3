import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, process.cwd(), ''), ...process.env } as Record<string, string>;
  // `npm run dev -w frontend` talks to the gateway `npm start` runs (it mirrors Firebase Hosting's rewrites).
  const gateway = env.STORYREEL_GATEWAY_URL || 'http://127.0.0.1:8080';
  return {
    plugins: [react()],
    server: {
      proxy: {
        '/api': { target: gateway, changeOrigin: false },
        '/share': { target: gateway, changeOrigin: false },
        '/blobs': { target: gateway, changeOrigin: false },
        '/__': { target: gateway, changeOrigin: false },
        '/public': { target: gateway, changeOrigin: false },
      },
    },
    build: { outDir: 'dist', sourcemap: true },
  };
});
