// Data-parallel fit: the same bits for any worker count, a crashing worker fails the run
// cleanly, and runtimes without threads fall back to one with a notice.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { availableParallelism } from 'node:os';
import { init, type Engine } from '../../src/index.js';
import { datasets } from '../../src/data/index.js';
import { poolFor, threadContext, SHARD_MIN_BATCH } from '../../src/threads/index.js';
import { bitsEqual, rejectsWith } from '../_helpers.js';

const T = suite('threads');
let digits: any;
let plain: Engine;
let threaded: Engine;

T.before(async () => {
  digits = await datasets.digits();
  plain = await init();
  threaded = await init({ workers: 4 });
});

async function train(sd: Engine, options: Record<string, unknown>, model: Record<string, unknown> = {}) {
  const m = sd.mlp({ layers: [64, 48, 10], seed: 3, ...model });
  const h = await sd.fit(m, digits, { epochs: 3, batchSize: 256, optimizer: { name: 'adam', lr: 3e-3 }, ...options });
  const p = Float32Array.from(m.buffer.params);
  m.dispose();
  return { p, h };
}

T('init({ workers }) runs the threads build on a shared memory', () => {
  assert.ok(threaded.kernels.memory.buffer instanceof SharedArrayBuffer);
  assert.is(threadContext(threaded)?.workers, 4);
  assert.not.ok(plain.kernels.memory.buffer instanceof SharedArrayBuffer);
  assert.is(threadContext(plain), undefined);
});

// 64-300-10: layer 0's weight gradient is big enough to be cut into row-block tasks that wait
// for their shard's pass (src/threads/shard.ts); 64-48-10's is not.
const WIDE = { layers: [64, 300, 10] };
for (const [batchSize, model] of [[256, {}], [200, {}], [600, {}], [1797, {}], [256, WIDE], [600, WIDE]] as const) {
  const shape = `${(model as any).layers?.join('-') ?? '64-48-10'}, batchSize ${batchSize}`;
  T(`workers 1, 2, 4 and the plain engine train to identical bits (${shape})`, async () => {
    assert.ok(batchSize >= SHARD_MIN_BATCH);
    const ref = await train(plain, { batchSize }, model);
    for (const workers of [1, 2, 4]) {
      const r = await train(threaded, { batchSize, workers }, model);
      assert.ok(bitsEqual(r.p, ref.p), `params with ${workers} workers`);
      assert.equal(r.h.epochs.map((e: any) => e.loss), ref.h.epochs.map((e: any) => e.loss), `epoch losses with ${workers} workers`);
      assert.equal(r.h.iterations.map((e: any) => e.loss), ref.h.iterations.map((e: any) => e.loss));
      assert.is(r.h.workers, workers, 'history.workers: the threads that took the batches');
    }
    assert.ok(ref.h.epochs[2].loss < ref.h.epochs[0].loss, 'it learns');
  });
}

T('the engine default (init workers) equals explicit counts; mse and tanh too', async () => {
  const model = { layers: [64, 40, 10], loss: 'mse', activation: 'tanh' };
  const y = new Float32Array(digits.count * 10);
  for (let i = 0; i < digits.count; i++) y[i * 10 + digits.y[i]] = 1;
  const data = { x: digits.x, y, count: digits.count, features: digits.features };
  const a = threaded.mlp({ ...model, seed: 1 } as any);
  const b = plain.mlp({ ...model, seed: 1 } as any);
  await threaded.fit(a, data, { epochs: 2, batchSize: 300, optimizer: { name: 'sgd', lr: 0.5, momentum: 0.9 } });
  await plain.fit(b, data, { epochs: 2, batchSize: 300, optimizer: { name: 'sgd', lr: 0.5, momentum: 0.9 }, workers: 1 });
  assert.ok(bitsEqual(Float32Array.from(a.buffer.params), Float32Array.from(b.buffer.params)));
  a.dispose();
  b.dispose();
});

T('sharded fit (rows gathered ahead into alternate areas) follows the unsharded batch sequence', async () => {
  // An independent reference: the same batches, in order, through the model's own one-pass
  // gradient. Summation order differs (shards), so agreement is to float rounding — a batch
  // taken from the wrong staging area would be off by far more.
  for (const [workers, layers] of [[1, [64, 48, 10]], [2, [64, 48, 10]], [1, WIDE.layers], [2, WIDE.layers]] as const) {
    const m = threaded.mlp({ layers: [...layers], seed: 3 });
    const ref = threaded.mlp({ layers: [...layers], seed: 3 });
    await threaded.fit(m, digits, { epochs: 1, batchSize: 256, shuffle: false, optimizer: { name: 'sgd', lr: 0.1 }, workers });
    const opt = threaded.optimizer('sgd', { lr: 0.1, buffer: ref.buffer });
    for (let start = 0; start < digits.count; start += 256) {
      const n = Math.min(256, digits.count - start);
      const st = ref.stage(n);
      st.x.set(digits.x.subarray(start * 64, (start + n) * 64));
      st.y.set(digits.y.subarray(start, start + n));
      ref.lossAndGradStaged(n);
      opt.step();
    }
    const a = m.buffer.params, b = ref.buffer.params;
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    assert.ok(worst < 1e-5, `${layers.join('-')}, workers ${workers}: max |Δparam| ${worst}`);
    assert.ok(!bitsEqual(Float32Array.from(a), Float32Array.from(b)), 'sharded sums really ran');
    opt.dispose();
    m.dispose();
    ref.dispose();
  }
});

T('small batches are not sharded and still agree', async () => {
  const ref = await train(plain, { batchSize: 32, epochs: 1 });
  const r = await train(threaded, { batchSize: 32, epochs: 1, workers: 2 });
  assert.ok(bitsEqual(r.p, ref.p));
  assert.is(r.h.workers, 1, 'not sharded: one thread');
});

T('workers: auto is the core count', async () => {
  const sd = await init({ workers: 'auto' });
  const cores = availableParallelism();
  if (cores > 1) assert.is(threadContext(sd)?.workers, cores);
  else assert.is(threadContext(sd), undefined);
  const ref = await train(plain, { epochs: 1 });
  const r = await train(sd, { epochs: 1, workers: 'auto' });
  assert.ok(bitsEqual(r.p, ref.p));
});

T('a crashing worker fails the run with a clear Error; params are the last completed step', async () => {
  const sd = await init({ workers: 2 });
  const m = sd.mlp({ layers: [64, 48, 10], seed: 3 });
  const pool = await poolFor(sd, 1);
  let snapshot: Float32Array | undefined;
  let steps = 0;
  await rejectsWith(
    () =>
      sd.fit(m, digits, {
        epochs: 2,
        batchSize: 256,
        onBatchEnd: (info) => {
          steps = info.step;
          snapshot = Float32Array.from(m.buffer.params);
          if (info.batch === 2) pool.injectFault(1); // worker 1 throws in batch 3
        },
      }),
    Error,
    'worker 1 crashed',
    'injected fault',
  );
  assert.is(steps, 3);
  assert.ok(bitsEqual(Float32Array.from(m.buffer.params), snapshot!), 'params of the last completed step');
  // The engine recovers: the next run starts a fresh pool and trains as usual.
  const fresh = sd.mlp({ layers: [64, 48, 10], seed: 3 });
  await sd.fit(fresh, digits, { epochs: 1, batchSize: 256, workers: 2 });
  const ref = plain.mlp({ layers: [64, 48, 10], seed: 3 });
  await plain.fit(ref, digits, { epochs: 1, batchSize: 256 });
  assert.ok(bitsEqual(Float32Array.from(fresh.buffer.params), Float32Array.from(ref.buffer.params)));
});

T('without threads: one-time notice and one thread, same bits', async () => {
  const info = console.info;
  const notes: string[] = [];
  console.info = (m: string) => void notes.push(String(m));
  const g = globalThis as any;
  const had = Object.getOwnPropertyDescriptor(g, 'crossOriginIsolated');
  try {
    g.crossOriginIsolated = false; // a browser page served without COOP/COEP
    const sd = await init({ workers: 2 });
    await init({ workers: 3 });
    assert.not.ok(sd.kernels.memory.buffer instanceof SharedArrayBuffer);
    assert.is(threadContext(sd), undefined);
    assert.is(notes.length, 1, 'notice printed once');
    assert.match(notes[0], 'threads unavailable');
    assert.match(notes[0], 'cross-origin isolated');
    const ref = await train(plain, { epochs: 1 });
    const r = await train(sd, { epochs: 1, workers: 2 });
    assert.ok(bitsEqual(r.p, ref.p));
    assert.is(notes.length, 2);
    assert.match(notes[1], 'init({ workers })');
  } finally {
    if (had) Object.defineProperty(g, 'crossOriginIsolated', had);
    else delete g.crossOriginIsolated;
    console.info = info;
  }
});

T('option errors', async () => {
  await rejectsWith(() => init({ workers: 0 }), RangeError, 'init: workers', 'positive integer', '0');
  await rejectsWith(() => init({ workers: 1.5 }), RangeError, 'init: workers', '1.5');
  await rejectsWith(() => init({ workers: 'many' as any }), TypeError, 'init: workers', "'auto'", 'many');
  await rejectsWith(() => init({ threads: 2 } as any), TypeError, "unknown option 'threads'", 'workers');
  const m = plain.mlp({ layers: [64, 10] });
  await rejectsWith(() => plain.fit(m, digits, { workers: 0 }), RangeError, 'fit: workers', '0');
  m.dispose();
});

T.run();
