import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console: built into web/dist, which the Steeple server serves at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under /assets/: the server caches them for a year.
    assetsDir: 'assets',
    // The strict CSP forbids inline script; no data: URLs for scripts either.
    assetsInlineLimit: 0,
    // The first screen's budget (250 KB of gzipped JS) is checked by test/web/bundle-size.test.ts.
    chunkSizeWarningLimit: 700,
    // Lists each entry's chunks and their imports: the bundle-size test sums the first screen's.
    manifest: true,
  },
  server: {
    // `npx vite web` during development: the API runs on the Steeple server.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
