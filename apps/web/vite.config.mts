import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const repository = resolve(import.meta.dirname, '../..');

/**
 * The dashboard, built into `dist/web` (served by the api at `/`, see
 * apps/api/src/web/dashboard.ts). Preact's JSX goes through Vite's own transform (Oxc), so no
 * framework plugin is needed; every asset is hashed under `assets/`, which the api caches for
 * a year, while `index.html` is revalidated on every load.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: { '@app/client': resolve(repository, 'libs/client/src/index.ts') },
  },
  build: {
    outDir: resolve(repository, 'dist/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // Everything loads from its own file: the CSP allows no inline script or style.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
