import { defineConfig } from 'vite';

// `pnpm dev` proxies the API and the WebSocket to an exchange started with `pnpm start` (port 8080),
// so the page runs on the same origin as it does when the exchange app serves dist/.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
