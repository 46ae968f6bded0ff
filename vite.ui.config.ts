// The renderer bundle (`npm run build:ui` → out/renderer), served by the hub at /ui/ and loaded by the
// desktop app; electron.vite.config.ts reuses it for the renderer part of the desktop build.
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src-renderer'),
  // Relative asset URLs: the same files work under /ui/ on the hub and from the desktop app's protocol.
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    // No inline scripts or data: modules, so the strict CSP (script-src 'self') holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
};

export default defineConfig(rendererConfig);
