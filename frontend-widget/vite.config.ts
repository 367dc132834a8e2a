import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

// One self-contained file (styles included) for a <script> tag on the municipal site.
// The Maven build sets LOKET_OUT_DIR so the service serves it at /widget/loket-widget.js.
const outDir = process.env.LOKET_OUT_DIR || resolve(__dirname, 'dist');

export default defineConfig({
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    lib: {
      entry: resolve(__dirname, 'src/main.ts'),
      name: 'LoketWidget',
      formats: ['iife'],
      fileName: () => 'loket-widget.js',
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
