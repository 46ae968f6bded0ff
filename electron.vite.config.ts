// The desktop build (`npm run build:desktop`): main and preload for Electron, plus the renderer bundle.
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { rendererConfig } from './vite.ui.config.js';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/main'),
      rollupOptions: { input: resolve(import.meta.dirname, 'src-main/index.ts') },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/preload'),
      // Sandboxed preloads cannot load ES modules or other files: one CommonJS bundle.
      rollupOptions: {
        input: resolve(import.meta.dirname, 'src-preload/index.ts'),
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rollupOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    },
  },
});
