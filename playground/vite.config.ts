// The playground imports the library from source (src/index.ts), so `npm run playground`
// shows the working tree without a dist build; the .wasm cores come from build/
// (`npm run build:wasm`) through the library's own new URL('../build/…', import.meta.url).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/index.ts', import.meta.url));

// Cross-origin isolation (SharedArrayBuffer, shared WebAssembly memory for threads); every
// resource of the page is same-origin, so the two headers cost nothing here.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { simdescent: src } },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  server: { port: 5173, headers: isolation },
  preview: { headers: isolation },
});
