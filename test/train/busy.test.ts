// One training at a time per model: a second fit() — or a tool that steps or probes the model —
// started while a fit runs on it is refused at once with an Error and touches nothing; the first
// run ends exactly as if alone. The hold is released on every exit: completion, bad input, a
// throwing callback, an abort and a crashed worker.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { datasets, init, type Engine, type FitOptions, type Model } from '../../src/index.js';
import { poolFor } from '../../src/threads/index.js';
import { OP_SUM } from '../../src/core/plan.js';
import { bitsEqual, rejectsWith } from '../_helpers.js';

const B = suite('train/busy');

let sd: Engine;
B.before(async () => {
  sd = await init();
});

const data = datasets.blobs({ count: 64, features: 3, classes: 3, seed: 5 });
const layers = [3, 6, 3];
const OPTS = { epochs: 3, batchSize: 4, seed: 2, optimizer: { name: 'adam', lr: 0.02 } } satisfies FitOptions;

async function solo(): Promise<Float32Array> {
  const m = sd.mlp({ layers, seed: 1 });
  await sd.fit(m, data, OPTS);
  const p = Float32Array.from(m.buffer.params);
  m.dispose();
  return p;
}

/** What a second caller may try while a fit runs on `m`. */
const SECOND: Record<string, (m: Model) => unknown> = {
  fit: (m) => sd.fit(m, data, OPTS),
  'fit with an optimizer on the model': (m) => sd.fit(m, data, { ...OPTS, optimizer: sd.optimizer('sgd', { buffer: m.buffer, lr: 0.1 }) }),
  lrFinder: (m) => sd.lrFinder(m, data, { steps: 5 }),
  batchStudy: (m) => sd.batchStudy(m, data, { batchSizes: [4], epochs: 1 }),
  landscape: (m) => sd.landscape(m, data, { steps: 3 }),
  sharpness: (m) => sd.sharpness(m, data, { samples: 2 }),
  'race on data': (m) => sd.race({ data, model: m, optimizers: ['sgd'], epochs: 1 }),
};

async function settle(f: () => unknown): Promise<{ error?: unknown }> {
  try {
    await f();
    return {};
  } catch (error) {
    return { error };
  }
}

B('a second fit or tool during a fit is refused at once; the first run ends as if alone', async () => {
  const alone = await solo();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(SECOND)), fc.integer({ min: 1, max: 40 }), async (name, atBatch) => {
      const m = sd.mlp({ layers, seed: 1 });
      let second: { error?: unknown } | undefined;
      let firstDone = false;
      const first = sd.fit(m, data, {
        ...OPTS,
        onBatchEnd: async (b) => {
          if (b.step === atBatch && !second) {
            const before = Float32Array.from(m.buffer.params);
            second = await settle(() => SECOND[name](m));
            assert.ok(bitsEqual(Float32Array.from(m.buffer.params), before), `${name}: the refused call changed the params`);
          }
        },
      }).then((h) => ((firstDone = true), h));
      const h = await first;
      assert.ok(firstDone);
      assert.ok(second, `${name}: was tried`);
      assert.ok(second!.error instanceof Error, `${name}: accepted during a fit`);
      assert.match((second!.error as Error).message, /busy with a running fit\(\)/, `${name}: ${(second!.error as Error).message}`);
      assert.is(h.stopReason, 'completed');
      assert.ok(bitsEqual(Float32Array.from(m.buffer.params), alone), `${name}: the first run's params differ from a run alone`);
      m.dispose();
    }),
    { seed: 71, numRuns: 21 },
  );
});

B('two fits started together: the second is refused, settling before the first ends', async () => {
  const m = sd.mlp({ layers, seed: 1 });
  let firstEnded = false;
  const a = sd.fit(m, data, OPTS).then(() => void (firstEnded = true));
  const r = await settle(() => sd.fit(m, data, OPTS));
  assert.not.ok(firstEnded, 'refused while the first still runs');
  assert.ok(r.error instanceof Error && /fit: the model is busy with a running fit\(\)/.test((r.error as Error).message), String(r.error));
  await a;
  // A tool holding the model refuses a fit the same way.
  const finder = sd.lrFinder(m, data, { steps: 30 });
  await rejectsWith(() => sd.fit(m, data, OPTS), Error, 'fit: the model is busy with a running lrFinder()');
  await finder;
  m.dispose();
});

B('the hold is released on every exit: completion, bad input, a throwing callback, an abort', async () => {
  const m = sd.mlp({ layers, seed: 1 });
  const again = () => sd.fit(m, data, { ...OPTS, epochs: 1 });
  await sd.fit(m, data, { ...OPTS, epochs: 1 });
  await again();
  await rejectsWith(() => sd.fit(m, data, { ...OPTS, batchSize: 0 }), RangeError, 'batchSize');
  await again();
  await rejectsWith(() => sd.fit(m, data, { ...OPTS, onBatchEnd: () => { throw new Error('boom'); } }), Error, 'boom');
  await again();
  const ac = new AbortController();
  const h = await sd.fit(m, data, { ...OPTS, signal: ac.signal, onBatchEnd: () => ac.abort() });
  assert.is(h.stopReason, 'aborted');
  await again();
  await rejectsWith(() => sd.lrFinder(m, data, { start: 1, end: 0.1 }), RangeError, 'start must be < end');
  await again();
  m.dispose();
});

B('the hold is released when a worker crashes mid-run', async () => {
  const threaded = await init({ workers: 2 });
  const digits = await datasets.digits();
  const m = threaded.mlp({ layers: [64, 512, 10], seed: 3 });
  const pool = await poolFor(threaded, 1);
  const opts = { epochs: 2, batchSize: 256, shuffle: false, optimizer: { name: 'nadam', lr: 2e-3 } } satisfies FitOptions;
  await rejectsWith(() => threaded.fit(m, digits, { ...opts, onBatchEnd: (b) => void (b.step === 2 && pool.injectFaultAt(1, 1, OP_SUM)) }), Error, 'worker 1 crashed');
  // Not busy any more: a run on one thread (the crashed pool is not reused) starts and ends.
  const h = await threaded.fit(m, digits, { ...opts, epochs: 1, workers: 1 });
  assert.is(h.stopReason, 'completed');
  m.dispose();
});

B('different models train at the same time', async () => {
  const a = sd.mlp({ layers, seed: 1 });
  const b = sd.mlp({ layers, seed: 1 });
  const [ha, hb] = await Promise.all([sd.fit(a, data, OPTS), sd.fit(b, data, OPTS)]);
  assert.is(ha.stopReason, 'completed');
  assert.is(hb.stopReason, 'completed');
  assert.ok(bitsEqual(Float32Array.from(a.buffer.params), Float32Array.from(b.buffer.params)));
  a.dispose();
  b.dispose();
});

B.run();
