import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The web console: built into apps/console/dist, which the gateway serves at
 * `/` (CONSOLE_DIST_DIR). `npm run dev:console` serves it with hot reload and
 * sends the API to a gateway on :8080 (`npm start`).
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: { '@warden/contracts': here('../../libs/contracts/src/index.ts') },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // Some hundreds of KiB of component library and translations: one page, loaded once.
    chunkSizeWarningLimit: 2048,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
