// The playground in Chromium: built with Vite into a temp dir, served from 127.0.0.1. It must
// load without console errors, say which core runs, animate the race (positions and pixels
// change between two screenshots), lower the digits loss in its worker, draw an LR-finder
// curve with suggestions and predict a drawn digit; ?simd=0 runs it all on the scalar core.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { init } from '../../src/index.js';
import { parseOptionsText } from '../../playground/src/options-text.js';
import { browserTest, chromiumPath, launch, root, screenshot, serve, tempDir, watchErrors, type Browser, type Served } from './_browser.js';

const Playground = suite('browser: playground');
const inBrowser = browserTest(Playground);

let browser: Browser | undefined;
let served: Served | undefined;
let out: ReturnType<typeof tempDir> | undefined;

Playground.before(async () => {
  if (!chromiumPath) return;
  out = tempDir('playground');
  const vite = await import('vite');
  await vite.build({
    configFile: join(root, 'playground/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: out.path, emptyOutDir: true },
  });
  // The headers playground/vite.config.ts gives its dev and preview servers.
  served = await serve(out.path, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
  browser = await launch();
});

Playground.after(async () => {
  await browser?.close();
  await served?.close();
  out?.remove();
});

const state = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((globalThis as any).playground)));

async function open(query = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.context.newPage();
  const errors = watchErrors(page);
  await page.goto(served!.url + query);
  await page.waitForFunction(() => (globalThis as any).playground?.digits?.ready, null, { timeout: 15_000 });
  return { page, errors };
}

async function raceAnimates(page: Page, name: string): Promise<void> {
  const before = await state(page);
  assert.is(before.race.step, 0);
  await page.click('[data-testid=race-run]');
  await page.waitForFunction(() => (globalThis as any).playground.race.step >= 30, null, { timeout: 10_000 });
  const shotA = readFileSync(await screenshot(page, `${name}-race-1`));
  const a = await state(page);
  await page.waitForFunction((s) => (globalThis as any).playground.race.step >= s + 60, a.race.step, { timeout: 10_000 });
  const shotB = readFileSync(await screenshot(page, `${name}-race-2`));
  const b = await state(page);
  assert.ok(b.race.step > a.race.step, 'step counter advanced');
  assert.is(a.race.runs.length, 6);
  const moved = b.race.runs.filter((r: any, i: number) => r.x !== a.race.runs[i].x || r.y !== a.race.runs[i].y);
  assert.ok(moved.length >= 4, `contenders moved between screenshots: ${moved.map((r: any) => r.name)}`);
  for (const r of b.race.runs) assert.ok(r.status !== 'invalid', `${r.name} ${r.options} accepted`);
  // Rosenbrock from (-1.5, 2): every default contender is below its start loss (f = 6.5 + ...).
  const startLoss = (1 + 1.5) ** 2 + 100 * (2 - 2.25) ** 2;
  for (const r of b.race.runs) assert.ok(r.loss < startLoss, `${r.name} (${r.options}) lowered the loss: ${r.loss}`);
  assert.not.ok(shotA.equals(shotB), 'the two screenshots differ');
  await page.click('[data-testid=race-run]'); // pause

  // What the page shows is sd.race's path: the same positions, bit for bit, as in Node.
  const c = await state(page);
  const sd = await init({ simd: c.simd });
  c.race.runs.forEach((r: any, i: number) => {
    const { runs } = sd.race({ surface: c.race.surface, start: c.race.start, steps: c.race.step, optimizers: [{ name: r.name, ...parseOptionsText(r.options) }] });
    assert.equal(runs[0].path[c.race.step], [r.x, r.y], `run ${i} (${r.name} ${r.options}) at step ${c.race.step}`);
  });
}

async function trainDigits(page: Page, name: string): Promise<any> {
  await page.fill('[data-testid=epochs]', '4');
  await page.click('[data-testid=train]');
  await page.waitForFunction(() => /^done|^error/.test((globalThis as any).playground.digits.status), null, { timeout: 20_000 });
  const s = (await state(page)).digits;
  assert.is(s.error, undefined);
  assert.is(s.status, 'done: completed');
  assert.is(s.epochs.length, 4);
  const [first, last] = [s.epochs[0], s.epochs[3]];
  assert.ok(last.loss < first.loss, `train loss fell: ${first.loss} → ${last.loss}`);
  assert.ok(last.valLoss < first.valLoss, `validation loss fell: ${first.valLoss} → ${last.valLoss}`);
  assert.ok(s.lastLoss < s.firstLoss / 4, `batch loss fell: ${s.firstLoss} → ${s.lastLoss}`);
  assert.ok(last.valAccuracy > 0.85, `validation accuracy ${last.valAccuracy}`);
  await screenshot(page, `${name}-digits`);
  return s;
}

inBrowser('loads without console errors on the SIMD core; the race animates; digits training lowers the loss', async () => {
  const { page, errors } = await open();
  const s = await state(page);
  assert.is(s.simd, true);
  assert.is(s.digits.simd, true, 'the worker runs the SIMD core too');
  assert.is(s.crossOriginIsolated, true, 'served with COOP/COEP, the page is cross-origin isolated');
  assert.is(await page.textContent('#isolation'), 'cross-origin isolated');
  // The worker's engine is init({ workers: 'auto' }): on this isolated page, one thread per core.
  assert.is(s.digits.threads, await page.evaluate(() => navigator.hardwareConcurrency), 'worker threads');
  assert.match(String(await page.textContent('#core')), /SIMD core/);
  assert.is(s.core, 'simd', 'the exact SIMD core is the default');
  assert.is(await page.inputValue('[data-testid=core-choice]'), 'simd');
  await screenshot(page, 'playground-loaded');
  await raceAnimates(page, 'playground');

  // The schedule picker redraws the preview from the library's schedule; a bad option shows
  // the library's own message.
  assert.equal(s.digits.preview.schedule, 'cosine');
  await page.selectOption('[data-testid=schedule]', 'oneCycle');
  const one = (await state(page)).digits.preview;
  assert.is(one.schedule, 'oneCycle');
  assert.ok(one.lrs[1] > one.lrs[0] && one.lrs[1] > one.lrs[2], `one-cycle rises then falls: ${one.lrs}`);
  await page.fill('[data-testid=schedule-options]', 'lrMax: 0.01, totalSteps: 10, pctStart: 1.5');
  await page.press('[data-testid=schedule-options]', 'Enter');
  await page.locator('[data-testid=schedule-options]').blur();
  const bad = (await state(page)).digits;
  assert.match(String(bad.error), /pctStart/);
  assert.match(String(await page.textContent('[data-testid=digits-error]')), /pctStart/);
  await page.selectOption('[data-testid=schedule]', 'cosine');
  assert.is((await state(page)).digits.error, undefined);
  await trainDigits(page, 'playground');

  // LR finder: a curve and at least one marked suggestion.
  await page.click('[data-testid=lr-finder]');
  await page.waitForFunction(() => /lrFinder done|error/.test((globalThis as any).playground.digits.status), null, { timeout: 20_000 });
  const f = (await state(page)).digits;
  assert.is(f.error, undefined);
  assert.ok(f.lrFinder.points >= 20, `LR finder points: ${f.lrFinder.points}`);
  const picks = Object.values(f.lrFinder.suggestions).filter(Boolean) as { lr: number }[];
  assert.ok(picks.length >= 1, 'a suggestion');
  for (const p of picks) assert.ok(p.lr > 1e-6 && p.lr < 10, `suggested lr ${p.lr} in the ramp`);

  // Batches of 256 are sharded over the worker's threads (on this isolated page): it still learns.
  await page.fill('[data-testid=batch]', '256');
  await page.fill('[data-testid=epochs]', '6');
  await page.click('[data-testid=train]');
  await page.waitForFunction(() => /^done|^error/.test((globalThis as any).playground.digits.status), null, { timeout: 20_000 });
  const big = (await state(page)).digits;
  assert.is(big.status, 'done: completed', String(big.error));
  assert.ok(big.epochs[5].loss < big.epochs[0].loss, `batch-256 loss fell: ${big.epochs.map((e: any) => e.loss)}`);
  // …and the run really was shared: fit reports the threads that took its batches.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.is(big.workers, cores, 'threads used by the batch-256 run');
  if (cores > 1) assert.ok(big.workers > 1 && /\(\d+ threads\)/.test(String(await page.textContent('[data-testid=train-status]'))));
  await page.fill('[data-testid=batch]', '32');

  // Retrain, then draw a digit: a prediction appears.
  await trainDigits(page, 'playground-retrained');
  await page.locator('[data-testid=draw]').scrollIntoViewIfNeeded();
  const box = (await page.locator('[data-testid=draw]').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * i));
  await page.mouse.up();
  await page.waitForFunction(() => (globalThis as any).playground.digits.prediction !== undefined, null, { timeout: 5_000 });
  const pred = (await state(page)).digits.prediction;
  assert.ok(Number.isInteger(pred) && pred >= 0 && pred <= 9, `prediction ${pred}`);
  await screenshot(page, 'playground-full');
  assert.equal(errors, [], 'no console errors');
  await page.close();
});

inBrowser('?simd=0 runs the page and its worker on the scalar core', async () => {
  const { page, errors } = await open('?simd=0');
  const s = await state(page);
  assert.is(s.simd, false);
  assert.is(s.digits.simd, false);
  assert.match(String(await page.textContent('#core')), /scalar core/);
  await raceAnimates(page, 'playground-scalar');
  await trainDigits(page, 'playground-scalar');

  // Stop: the worker gets the message mid-run (fit yields to the event loop) and aborts.
  await page.fill('[data-testid=epochs]', '200');
  await page.click('[data-testid=train]');
  await page.waitForFunction(() => (globalThis as any).playground.digits.epochs.length >= 1, null, { timeout: 10_000 });
  await page.click('[data-testid=stop]');
  await page.waitForFunction(() => /^done/.test((globalThis as any).playground.digits.status), null, { timeout: 10_000 });
  const stopped = (await state(page)).digits;
  assert.is(stopped.status, 'done: aborted');
  assert.ok(stopped.epochs.length < 200, `stopped after ${stopped.epochs.length} epochs`);
  assert.equal(errors, [], 'no console errors');
  await page.close();
});

inBrowser('the core picker: FMA reloads with ?fma=1 and runs the relaxed-SIMD core in the page and its worker (Chromium ships relaxed SIMD)', async () => {
  const { page, errors } = await open();
  await Promise.all([page.waitForURL(/\?fma=1$/), page.selectOption('[data-testid=core-choice]', 'fma')]);
  await page.waitForFunction(() => (globalThis as any).playground?.digits?.ready, null, { timeout: 15_000 });
  const s = await state(page);
  assert.is(s.core, 'relaxed');
  assert.is(s.digits.core, 'relaxed+threads', 'the worker: relaxed threads build on the isolated page');
  assert.is(await page.textContent('#core'), `WebAssembly relaxed-SIMD core (FMA) · worker too${s.digits.threads > 1 ? ` · ${s.digits.threads} threads for batches ≥ 128` : ''}`);
  assert.is(await page.inputValue('[data-testid=core-choice]'), 'fma');
  await trainDigits(page, 'playground-fma');
  assert.equal(errors, [], 'no console errors');
  await page.close();
});

Playground.run();
