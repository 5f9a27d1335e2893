// node build.mjs [outdir]: bundle src/main.js with esbuild and copy index.html and both
// WebAssembly cores beside it. Serve outdir with any static server (application/wasm MIME
// type lets the browser compile the core while it downloads).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Build into outdir. `alias` lets a caller point 'simdescent' at a checkout instead of node_modules. */
export async function build(outdir = join(here, 'dist'), { alias } = {}) {
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, 'src/main.js')],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
    ...(alias ? { alias } : {}),
  });
  // Where the package keeps its cores: <package root>/build/.
  const pkgRoot = alias?.simdescent ?? dirname(createRequire(import.meta.url).resolve('simdescent/package.json'));
  for (const core of ['simdescent.simd.wasm', 'simdescent.scalar.wasm']) {
    copyFileSync(join(pkgRoot, 'build', core), join(outdir, core));
  }
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await build(resolve(process.argv[2] ?? join(here, 'dist')));
  console.log(`built ${out}`);
}
