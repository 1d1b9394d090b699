import { defineConfig } from 'vite';

// The chat page: built into dist/web, which the chat app serves at `/`. `pnpm dev:web` proxies the
// API and the WebSocket to a chat app started with `pnpm start` (port 8082).
export default defineConfig({
  root: 'web',
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8082',
      '/ws': { target: 'ws://127.0.0.1:8082', ws: true },
    },
  },
});
