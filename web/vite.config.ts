/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Preact's JSX through esbuild, with no Babel plug-in. During `npm run dev`
// the API is proxied to a hub on :8080 (`make run`).
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
