// npm install / npm run build: the wasm builds of the core (SIMD, scalar, and SIMD+threads on a
// shared imported memory for data-parallel training; each SIMD build again with relaxed-simd for
// init({ fma: true }); -O3, stub runtime), then the TypeScript compile to dist/. Nothing built is
// committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

mkdirSync(join(root, 'build'), { recursive: true });
for (const target of ['simd', 'scalar', 'threads', 'relaxed', 'relaxed-threads']) {
  run(bin('asc'), ['assembly/index.ts', '--target', target]);
}
if (!process.argv.includes('--wasm-only')) run(bin('tsc'), ['-p', 'tsconfig.json']);
