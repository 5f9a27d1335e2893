// The bundler examples in a real browser: examples/esbuild and examples/vite are built the way
// their READMEs say, against the package as `npm pack` makes it, served from 127.0.0.1 and
// opened in Chromium; each page runs init(), trains a small MLP with fixed seeds and reports
// its final params, which must equal bit for bit the same run of the built package in Node —
// on the SIMD core and, with ?simd=0, on the scalar one.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { browserTest, chromiumPath, launch, root, screenshot, serve, tempDir, watchErrors, type Browser, type Served } from './_browser.js';

const Examples = suite('browser: bundler examples');
const inBrowser = browserTest(Examples);

interface RunResult {
  simd: boolean;
  firstLoss: number;
  loss: number;
  accuracy: number;
  bits: number[];
  fit: { losses: number[]; valAccuracy: number; bits: number[] };
  crossOriginIsolated?: boolean;
  error?: string;
}

/** dist/ and both cores, built once if missing (CI's npm ci has built them already). */
function ensureBuilt(): void {
  const need = ['dist/index.js', 'build/simdescent.simd.wasm', 'build/simdescent.scalar.wasm'];
  if (need.every((f) => existsSync(join(root, f)))) return;
  execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'inherit' });
}

/**
 * The package as npm would install it: `npm pack` (its "files" whitelist), unpacked into
 * <tmp>/node_modules/simdescent, with its one runtime dependency linked beside it.
 */
function installPacked(into: string): string {
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], { cwd: root, encoding: 'utf8' }));
  const modules = join(into, 'node_modules');
  const pkg = join(modules, 'simdescent');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['xzf', join(into, filename), '-C', pkg, '--strip-components=1']);
  mkdirSync(join(modules, '@assemblyscript'), { recursive: true });
  symlinkSync(join(root, 'node_modules/@assemblyscript/loader'), join(modules, '@assemblyscript/loader'), 'dir');
  return pkg;
}

let packed = '';
const viteWarnings: string[] = [];

async function nodeRun(example: string, simd: boolean): Promise<RunResult> {
  const { init } = await import(pathToFileURL(join(packed, 'dist/index.js')).href);
  // Each example's train.js, copied into the project that has the packed package installed,
  // so its `import 'simdescent'` resolves to the same package the pages were built from.
  const { train } = await import(pathToFileURL(join(dirname(packed), '..', `train-${example}.js`)).href);
  return train(await init({ simd }));
}

let browser: Browser | undefined;
let dev: import('vite').ViteDevServer | undefined;
const builds: { name: string; dir: ReturnType<typeof tempDir>; served?: Served }[] = [];

Examples.before(async () => {
  if (!chromiumPath) return;
  ensureBuilt();
  const install = tempDir('packed');
  builds.push({ name: 'packed', dir: install });
  packed = installPacked(install.path);
  writeFileSync(join(install.path, 'package.json'), '{ "private": true, "type": "module" }\n');
  for (const example of ['esbuild', 'vite']) cpSync(join(root, 'examples', example, 'src/train.js'), join(install.path, `train-${example}.js`));
  const esbuildOut = tempDir('example-esbuild');
  const { build } = await import(pathToFileURL(join(root, 'examples/esbuild/build.mjs')).href);
  await build(esbuildOut.path, { alias: { simdescent: packed } });
  builds.push({ name: 'esbuild', dir: esbuildOut });

  // The Vite example as a project of its own with the package installed: a production build
  // and the dev server (which pre-bundles dependencies), both with plain `import 'simdescent'`.
  const project = install.path;
  cpSync(join(root, 'examples/vite/index.html'), join(project, 'index.html'));
  cpSync(join(root, 'examples/vite/src'), join(project, 'src'), { recursive: true });
  const viteOut = tempDir('example-vite');
  const vite = await import('vite');
  const logger = vite.createLogger('warn');
  const warn = (msg: string) => viteWarnings.push(msg);
  Object.assign(logger, { warn, warnOnce: warn, error: warn });
  await vite.build({ root: project, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: viteOut.path, emptyOutDir: true } });
  dev = await vite.createServer({ root: project, configFile: false, logLevel: 'warn', customLogger: logger, server: { host: '127.0.0.1', port: 0, strictPort: false } });
  await dev.listen();
  const devUrl = dev.resolvedUrls!.local[0];
  builds.push({ name: 'vite-dev', dir: install, served: { url: devUrl.endsWith('/') ? devUrl : devUrl + '/', close: async () => {} } });
  builds.push({ name: 'vite', dir: viteOut });

  for (const b of builds) if (!b.served && b.name !== 'packed') b.served = await serve(b.dir.path);
  // The same esbuild output from a server that labels .wasm application/octet-stream, and the
  // Vite output with the two headers that make a page cross-origin isolated.
  builds.push({ name: 'esbuild-octet', dir: esbuildOut, served: await serve(esbuildOut.path, {}, { '.wasm': 'application/octet-stream' }) });
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  builds.push({ name: 'vite-isolated', dir: viteOut, served: await serve(viteOut.path, isolation) });
  // A Content-Security-Policy that allows WebAssembly compilation, and one that does not.
  builds.push({ name: 'esbuild-csp', dir: esbuildOut, served: await serve(esbuildOut.path, { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" }) });
  builds.push({ name: 'esbuild-csp-strict', dir: esbuildOut, served: await serve(esbuildOut.path, { 'content-security-policy': "script-src 'self'" }) });
  browser = await launch();
});

Examples.after(async () => {
  await browser?.close();
  await dev?.close();
  for (const b of builds) {
    await b.served?.close();
    b.dir.remove();
  }
});

async function pageRun(name: string, query: string): Promise<{ result: RunResult; errors: string[] }> {
  const b = builds.find((x) => x.name === name)!;
  const page = await browser!.context.newPage();
  const errors = watchErrors(page);
  await page.goto(b.served!.url + query);
  await page.waitForFunction(() => (globalThis as any).simdescentResult, null, { timeout: 20_000 });
  const result = (await page.evaluate(() => (globalThis as any).simdescentResult)) as RunResult;
  if (!name.includes('-')) await screenshot(page, `example-${name}${query ? '-scalar' : ''}`);
  assert.is(result.error, undefined, `the page failed: ${result.error}`);
  assert.is(result.crossOriginIsolated, name === 'vite-isolated');
  await page.close();
  return { result, errors };
}

function firstDifference(a: number[], b: number[]): string {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  const i = a.findIndex((v, k) => v !== b[k]);
  return i < 0 ? 'none' : `param ${i}: 0x${a[i].toString(16)} vs 0x${b[i].toString(16)}`;
}

for (const name of ['esbuild', 'vite', 'vite-dev']) {
  for (const simd of [true, false]) {
    inBrowser(`${name}: ${simd ? 'init()' : 'init({ simd: false })'} in Chromium trains to the same bits as Node`, async () => {
          const { result, errors } = await pageRun(name, simd ? '' : '?simd=0');
      assert.equal(errors, [], 'no console errors or failed requests');
      assert.is(result.error, undefined);
      // Chromium supports WebAssembly SIMD, so the default picks that core.
      assert.is(result.simd, simd, 'sd.simd');
      const expected = await nodeRun(name.replace('-dev', ''), simd);
      assert.is(expected.simd, simd);
      assert.ok(result.loss < result.firstLoss * 0.5, `loss fell: ${result.firstLoss} → ${result.loss}`);
      assert.ok(result.bits.length > 300, 'all params reported');
      assert.is(firstDifference(result.bits, expected.bits), 'none', 'params bit-equal to Node');
      assert.is(result.loss, expected.loss);
      // sd.fit: shuffling, schedule and validation split give the same bits too.
      assert.ok(result.fit.losses.at(-1)! < result.fit.losses[0] * 0.5, `fit loss fell: ${result.fit.losses}`);
      assert.is(firstDifference(result.fit.bits, expected.fit.bits), 'none', 'sd.fit params bit-equal to Node');
      assert.equal(result.fit.losses, expected.fit.losses);
    });
  }
}

inBrowser('a server that sends .wasm as application/octet-stream still works (no streaming compile)', async () => {
  const { result, errors } = await pageRun('esbuild-octet', '');
  assert.equal(errors, []);
  assert.is(result.error, undefined);
  assert.is(result.simd, true);
  assert.is(firstDifference(result.bits, (await nodeRun('esbuild', true)).bits), 'none');
});

inBrowser('cross-origin isolated (COOP + COEP): the page is isolated and trains to the same bits', async () => {
  const { result, errors } = await pageRun('vite-isolated', '');
  assert.equal(errors, []);
  assert.is(result.crossOriginIsolated, true, 'crossOriginIsolated');
  assert.is(firstDifference(result.bits, (await nodeRun('vite', true)).bits), 'none');
});

inBrowser("under a CSP, script-src needs 'wasm-unsafe-eval'; without it init() fails with the browser's reason", async () => {
  const { result, errors } = await pageRun('esbuild-csp', '');
  assert.equal(errors, []);
  assert.is(firstDifference(result.bits, (await nodeRun('esbuild', true)).bits), 'none');
  const page = await browser!.context.newPage();
  await page.goto(builds.find((b) => b.name === 'esbuild-csp-strict')!.served!.url);
  await page.waitForFunction(() => (globalThis as any).simdescentResult, null, { timeout: 20_000 });
  const strict = (await page.evaluate(() => (globalThis as any).simdescentResult)) as RunResult;
  await page.close();
  assert.match(String(strict.error), /could not load the scalar WebAssembly core/);
  assert.match(String(strict.error), /Content Security Policy/);
});

inBrowser('Vite builds and serves the package without warnings (e.g. no Node module externalized)', () => {
  assert.equal(viteWarnings, []);
});

Examples('both examples train the same way (their train.js files are one program)', () => {
  const a = readFileSync(join(root, 'examples/esbuild/src/train.js'), 'utf8');
  const b = readFileSync(join(root, 'examples/vite/src/train.js'), 'utf8');
  assert.is(a, b);
});

Examples.run();
