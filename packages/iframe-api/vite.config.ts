import { defineConfig } from 'vite';

// The classic-script bundle served at /external_api.js; tsc builds the ES module next to it.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    target: 'es2019',
    lib: { entry: 'src/global.ts', formats: ['iife'], name: 'TertuliaExternalApi', fileName: () => 'external_api.js' },
  },
});
