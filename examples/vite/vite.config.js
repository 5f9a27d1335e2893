import { defineConfig } from 'vite';

export default defineConfig({
  // The dev server's dependency pre-bundling would move the package's modules away from
  // its build/ folder and break new URL('../build/…wasm', import.meta.url); production
  // builds handle the URLs without help.
  optimizeDeps: { exclude: ['simdescent'] },
  build: { target: 'es2022' },
});
