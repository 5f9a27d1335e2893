// Threads in a browser: a page built with Vite runs fit with init({ workers: 2 }). Served
// cross-origin isolated it uses shared memory and Web Workers; served plainly it says why
// with a console.info and runs one thread. Both give the single-thread bits, which equal
// the same run in Node.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init } from '../../src/index.js';
import { browserTest, chromiumPath, launch, root, serve, tempDir, watchErrors, type Browser, type Served } from './_browser.js';
// @ts-expect-error plain JS shared with the page
import { run, runWide } from './pages/threads/run.js';

const Threads = suite('browser: threads');
const inBrowser = browserTest(Threads);

let browser: Browser | undefined;
let out: ReturnType<typeof tempDir> | undefined;
const servers: Record<string, Served> = {};

Threads.before(async () => {
  if (!chromiumPath) return;
  out = tempDir('threads');
  const vite = await import('vite');
  await vite.build({
    root: join(root, 'test/browser/pages/threads'),
    configFile: false,
    logLevel: 'warn',
    resolve: {
      alias: [
        { find: /^simdescent$/, replacement: join(root, 'src/index.ts') },
        { find: /^simdescent\/threads$/, replacement: join(root, 'src/threads/index.ts') }, // test hooks
      ],
    },
    build: { outDir: out.path, emptyOutDir: true, target: 'es2022' },
  });
  servers.isolated = await serve(out.path, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
  servers.plain = await serve(out.path);
  // Threads start their workers from a Blob URL: under a CSP that needs worker-src blob:.
  servers.csp = await serve(out.path, {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:",
  });
  // …and one whose CSP refuses blob: workers: the run goes on with one thread after a notice.
  servers.cspNoBlob = await serve(out.path, {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'",
  });
  browser = await launch();
});

Threads.after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
  out?.remove();
});

async function open(which: string): Promise<{ r: any; errors: string[] }> {
  const page = await browser!.context.newPage();
  const errors = watchErrors(page);
  await page.goto(servers[which].url);
  await page.waitForFunction(() => (globalThis as any).threadsResult, null, { timeout: 30_000 });
  const r = await page.evaluate(() => (globalThis as any).threadsResult);
  await page.close();
  assert.is(r.error, undefined, `the page failed: ${r.error}`);
  return { r, errors };
}

inBrowser('cross-origin isolated: fit on 2 threads (shared memory, Web Workers) gives the single-thread bits, equal to Node', async () => {
  const { r, errors } = await open('isolated');
  assert.equal(errors, []);
  assert.is(r.crossOriginIsolated, true);
  assert.is(r.shared, true, 'the engine runs on a SharedArrayBuffer');
  assert.ok(r.workersMade >= 1, `Web Workers started: ${r.workersMade}`);
  assert.equal(r.notices, []);
  assert.ok(r.two.losses[2] < r.two.losses[0], `loss fell: ${r.two.losses}`);
  assert.equal(r.two.bits, r.one.bits, 'threads change no bit');
  const node = await run(await init({ simd: true }));
  assert.equal(r.one.losses, node.losses);
  assert.equal(r.one.bits, node.bits, 'browser == Node');
});

inBrowser('isolated, a wide first layer: row blocks that wait for a stalled pass in the event loop, same bits', async () => {
  const { r } = await open('isolated');
  assert.ok(r.heldWaits > 0, `the main thread awaited a pass: ${r.heldWaits}`);
  assert.ok(r.wideTwo.losses[1] < r.wideTwo.losses[0], `loss fell: ${r.wideTwo.losses}`);
  assert.equal(r.wideTwo.bits, r.wideOne.bits, 'threads change no bit');
  const node = await runWide(await init({ workers: 2 }));
  assert.equal(r.wideOne.bits, node.bits, 'browser == Node (2 workers)');
});

inBrowser('not isolated: init({ workers: 2 }) says why in a console.info and trains on one thread to the same bits', async () => {
  const { r, errors } = await open('plain');
  assert.equal(errors, [], 'no console.error');
  assert.is(r.crossOriginIsolated, false);
  assert.is(r.shared, false);
  assert.is(r.workersMade, 0);
  assert.is(r.notices.length, 1);
  assert.match(r.notices[0], /threads unavailable/);
  // Chromium hides SharedArrayBuffer on pages that are not isolated; either reason is right.
  assert.match(r.notices[0], /SharedArrayBuffer is not available|not cross-origin isolated/);
  assert.equal(r.two.bits, r.one.bits);
});

inBrowser("isolated under a CSP with worker-src blob: threads run and give the same bits", async () => {
  const { r, errors } = await open('csp');
  assert.equal(errors, []);
  assert.is(r.shared, true);
  assert.ok(r.workersMade >= 1);
  assert.equal(r.two.bits, r.one.bits);
});

inBrowser('isolated, but a CSP without worker-src blob: one notice, one thread, the same bits', async () => {
  const { r, errors } = await open('cspNoBlob');
  assert.is(r.shared, true);
  assert.is(r.notices.length, 1, `notices: ${r.notices}`);
  assert.match(r.notices[0], /could not start worker/);
  assert.equal(r.two.bits, r.one.bits);
  // The browser reports the refused worker itself (once: later runs do not try again).
  assert.ok(errors.length <= 1 && errors.every((e) => /Content Security Policy|worker/i.test(e)), errors.join('\n'));
});

Threads.run();
