// npm install / npm run build: the wasm builds of the core (SIMD, scalar, and SIMD+threads on a
// shared imported memory for data-parallel training; each SIMD build again with relaxed-simd for
// init({ fma: true }); -O3, stub runtime), then the TypeScript compile to dist/. Nothing built is
// committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeLayout } from './layout.mjs';
import { writeKernelTypes } from './kernels.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

mkdirSync(join(root, 'build'), { recursive: true });
writeLayout(); // assembly/layout.generated.ts from src/core/layout.ts
for (const target of ['simd', 'scalar', 'threads', 'relaxed', 'relaxed-threads']) {
  run(bin('asc'), ['assembly/index.ts', '--target', target]);
}
writeKernelTypes(); // src/kernels.generated.ts: the Kernels type, from asc's typings
if (!process.argv.includes('--wasm-only')) run(bin('tsc'), ['-p', 'tsconfig.json']);
