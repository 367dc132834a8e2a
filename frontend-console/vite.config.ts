import { defineConfig } from 'vitest/config';

// The Maven build sets LOKET_OUT_DIR to target/classes/META-INF/resources/console, which the
// service serves at /console/. Relative asset URLs keep the page working under any prefix.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: process.env.LOKET_OUT_DIR || 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
