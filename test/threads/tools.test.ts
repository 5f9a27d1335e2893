// The tools with workers: the batch study's and the data race's trainings run side by side on
// the threads, the LR finder shards its batches — and every worker count gives the bits of
// training the runs one after another on the plain engine.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init, type BatchStudyOptions, type Engine } from '../../src/index.js';
import { datasets } from '../../src/data/index.js';
import { Lockstep } from '../../src/tools/lockstep.js';
import { Pool } from '../../src/threads/pool.js';
import { poolFor } from '../../src/threads/index.js';
import { bitsEqual, rejectsWith } from '../_helpers.js';

const T = suite('threads: tools');
let digits: any;
let plain: Engine;
let threaded: Engine;

T.before(async () => {
  digits = await datasets.digits();
  plain = await init();
  threaded = await init({ workers: 4 });
});

/** Curves without wall times (the only part that may differ between runs). */
const untimed = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'seconds' || k === 'samplesPerSec' || k === 'secondsToTarget' ? undefined : x)));

T('workers: 2 gives the tools two agents on a threads engine, one elsewhere', async () => {
  assert.is((await Lockstep.make(threaded, 2, 'test')).agents, 2);
  assert.is((await Lockstep.make(threaded, undefined, 'test')).agents, 4, "the engine's count by default");
  assert.is((await Lockstep.make(plain, 1, 'test')).agents, 1);
});

T('batchStudy: workers 1, 2, 4 equal the plain engine, and each run equals it trained alone', async () => {
  const opts = { batchSizes: [16, 64, 256], epochs: 2, baseLr: 2e-3, seed: 4, optimizer: { name: 'adam' } } satisfies BatchStudyOptions;
  const study = async (sd: Engine, o: BatchStudyOptions) => {
    const m = sd.mlp({ layers: [64, 32, 10], seed: 2 });
    const r = await sd.batchStudy(m, digits, { ...opts, ...o });
    m.dispose();
    return untimed(r.runs);
  };
  const ref = await study(plain, {});
  for (const workers of [1, 2, 4]) assert.equal(await study(threaded, { workers }), ref, `workers ${workers}`);
  // Side by side changes nothing: a study of one batch size trains that run by itself.
  for (const [i, b] of opts.batchSizes.entries()) {
    const alone = await study(plain, { batchSizes: [b], baseLr: ref[i].lr, baseBatchSize: b });
    assert.equal(alone[0].curve, ref[i].curve, `b${b} alone`);
  }
  assert.ok(ref[1].curve[2].valError < ref[1].curve[0].valError, 'it learns');
});

T('race on data: workers 1, 2, 4 equal the plain engine', async () => {
  const race = async (sd: Engine, workers?: number) =>
    untimed(
      (
        await sd.race({ data: digits, model: { layers: [64, 24, 10], seed: 5 }, optimizers: ['sgd', { name: 'momentum', lr: 0.05 }, 'adam', 'lion'], epochs: 2, batchSize: 64, seed: 2, workers })
      ).runs,
    );
  const ref = await race(plain);
  // Count the jobs the workers shared: the runs' passes went to the pool, not one by one.
  const run = Pool.prototype.run;
  let jobs = 0;
  Pool.prototype.run = function (this: Pool, ...a: Parameters<Pool['run']>) {
    jobs++;
    return run.apply(this, a);
  };
  try {
    for (const workers of [1, 2, 4]) assert.equal(await race(threaded, workers), ref, `workers ${workers}`);
  } finally {
    Pool.prototype.run = run;
  }
  assert.is(jobs, 2 * 2 * Math.ceil(digits.count * 0.8 / 64), 'one job per round with 2 and 4 workers, none with 1');
  assert.is(ref.length, 4);
  for (const r of ref) assert.is(r.epochs.length, 3);
});

T('race seconds count each run’s own work', async () => {
  const r = await threaded.race({ data: digits, model: { layers: [64, 24, 10], seed: 5 }, optimizers: ['sgd', 'adam'], epochs: 2, batchSize: 64, workers: 2 });
  for (const run of r.runs) {
    assert.is(run.epochs[0].seconds, 0);
    assert.ok(run.epochs[1].seconds > 0 && run.epochs[2].seconds > run.epochs[1].seconds);
  }
});

T('lrFinder: sharded batches give the same curve for workers 1, 2, 4 and the plain engine', async () => {
  const find = async (sd: Engine, workers?: number) => {
    const m = sd.mlp({ layers: [64, 32, 10], seed: 6 });
    const r = await sd.lrFinder(m, digits, { batchSize: 300, steps: 40, start: 1e-5, end: 1, seed: 3, optimizer: 'adam', workers });
    m.dispose();
    return r;
  };
  const ref = await find(plain);
  for (const workers of [1, 2, 4]) {
    const r = await find(threaded, workers);
    assert.equal(r.losses, ref.losses, `workers ${workers}`);
    assert.equal(r.suggestions, ref.suggestions);
  }
});

T('a worker crashing in a batch study fails it with a clear Error; the model is as before', async () => {
  const sd = await init({ workers: 2 });
  const m = sd.mlp({ layers: [64, 32, 10], seed: 2 });
  const p = Float32Array.from(m.buffer.params);
  (await poolFor(sd, 1)).injectFault(1);
  await rejectsWith(() => sd.batchStudy(m, digits, { batchSizes: [32, 64], epochs: 1 }), Error, 'worker 1 crashed', 'injected fault');
  assert.ok(bitsEqual(Float32Array.from(m.buffer.params), p));
  // A fresh pool serves the next run.
  const r = await sd.batchStudy(m, digits, { batchSizes: [32, 64], epochs: 1 });
  assert.is(r.runs.length, 2);
  m.dispose();
});

T('tools: workers option errors name the tool; nothing changes', async () => {
  const m = plain.mlp({ layers: [64, 10], seed: 1 });
  const p = m.buffer.params.slice();
  await rejectsWith(() => plain.batchStudy(m, digits, { workers: 0 }), RangeError, 'batchStudy: workers', '0');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  await rejectsWith(() => plain.lrFinder(m, digits, { workers: 'two' }), TypeError, 'lrFinder: workers', 'two');
  await rejectsWith(async () => plain.race({ data: digits, model: m, workers: 2.5 }), RangeError, 'race: workers', '2.5');
  assert.equal(m.buffer.params, p);
  m.dispose();
});

T.run();
