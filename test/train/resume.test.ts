// Resume is exact for every fit option: a run resumed from any of its checkpoints — end of an
// epoch or mid-epoch (abort), kept as an object or sent through encode/decodeCheckpoint —
// ends with the same params (bit for bit), the same history and the same averages as the run
// that was never interrupted. Options are drawn by fast-check (seeded, few runs, tiny runs).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { datasets, decodeCheckpoint, encodeCheckpoint, init, schedule, type Checkpoint, type Engine, type FitOptions } from '../../src/index.js';
import { bitsEqual } from '../_helpers.js';

const R = suite('train/resume');

let sd: Engine;
let threaded: Engine;
R.before(async () => {
  sd = await init();
  threaded = await init({ workers: 2 });
});
R.after(() => (threaded as unknown as { close?: () => void }).close?.());

const data = datasets.blobs({ count: 40, features: 3, classes: 3, spread: 1.5, seed: 4 });
const heldOut = datasets.blobs({ count: 12, features: 3, classes: 3, spread: 1.5, seed: 5 });
const layers = [3, 5, 3];

type Opts = Record<string, any>;

/** The run's options; schedules are made fresh for every run (a plateau schedule is stateful). */
const optionsArb = fc.record({
  optimizer: fc.constantFrom(
    { name: 'adam', lr: 0.05 }, { name: 'sgd', lr: 0.3, momentum: 0.9 }, { name: 'nadam', lr: 0.05 },
    { name: 'sgd', lr: 40 }, // diverges: the guard stops it
  ),
  schedule: fc.constantFrom('none', 'plateau', 'sgdr'),
  scheduleUnit: fc.constantFrom('iteration', 'epoch', 'step'),
  batchSize: fc.constantFrom(6, 8, 'full'),
  dropLast: fc.boolean(),
  accumulate: fc.constantFrom(1, 2, 3),
  validation: fc.constantFrom<number | 'dataset'>(0, 0.25, 'dataset'),
  earlyStopping: fc.oneof(fc.constant(false), fc.record({ patience: fc.constantFrom(1, 2), restoreBest: fc.boolean(), minDelta: fc.constantFrom(0, 0.2, 1) })),
  divergence: fc.constantFrom({}, false, { factor: 2 }),
  averaging: fc.constantFrom('none', 'swa', 'ema', 'lookahead', 'snapshots', 'all'),
  historyEvery: fc.constantFrom(0, 1, 3),
  shuffle: fc.boolean(),
});

function build(r: any): () => Opts {
  return () => {
    const lr = r.optimizer.lr;
    const o: Opts = {
      optimizer: r.optimizer, epochs: 5, seed: 3, batchSize: r.batchSize, dropLast: r.dropLast, accumulate: r.accumulate,
      validation: r.validation === 'dataset' ? heldOut : r.validation, divergence: r.divergence, historyEvery: r.historyEvery, scheduleUnit: r.scheduleUnit, shuffle: r.shuffle,
    };
    if (r.earlyStopping) o.earlyStopping = r.earlyStopping;
    const sgdr = r.schedule === 'sgdr' || r.averaging === 'snapshots' || r.averaging === 'all';
    if (sgdr) o.schedule = schedule('cosineWarmRestarts', { lr, t0: 1, tMult: 2 });
    else if (r.schedule === 'plateau') o.schedule = schedule('plateau', { lr, patience: 0, factor: 0.5 });
    if (r.averaging === 'swa' || r.averaging === 'all') o.swa = { start: 2 };
    if (r.averaging === 'ema' || r.averaging === 'all') o.ema = true;
    if (r.averaging === 'lookahead' || r.averaging === 'all') o.lookahead = { k: 3 };
    if (r.averaging === 'snapshots' || r.averaging === 'all') o.snapshots = true;
    return o;
  };
}

/** History without wall times (they differ between any two runs). */
function plain(h: any): any {
  const { averages, ...rest } = h;
  return {
    ...rest,
    epochs: h.epochs.map(({ ms: _ms, samplesPerSec: _s, ...e }: any) => e),
    averages: averages && JSON.stringify(averages, (_k, v) => (v instanceof Float32Array ? Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length)) : v)),
  };
}

interface Run {
  params: Float32Array;
  history: any;
  checkpoints: Checkpoint[];
}

async function run(e: Engine, opts: Opts, extra: Opts = {}): Promise<Run> {
  const m = e.mlp({ layers, seed: 2 });
  const checkpoints: Checkpoint[] = [];
  const history = await e.fit(m, data, { ...opts, ...extra, onCheckpoint: (c: Checkpoint) => void checkpoints.push(c) });
  const params = Float32Array.from(m.buffer.params);
  m.dispose();
  return { params, history, checkpoints };
}

/** Resume `c` on a fresh model (another init: the checkpoint carries the params). */
async function resumed(e: Engine, opts: Opts, c: Checkpoint): Promise<Run> {
  const m = e.mlp({ layers, seed: 99 });
  const history = await e.fit(m, data, { ...opts, resume: c });
  const params = Float32Array.from(m.buffer.params);
  m.dispose();
  return { params, history, checkpoints: [] };
}

function same(a: Run, b: Run, what: string): void {
  assert.ok(bitsEqual(a.params, b.params), `${what}: final params differ`);
  assert.equal(plain(b.history), plain(a.history), `${what}: history differs`);
}

R('every combination of fit options resumes bit-identically, as an object and through bytes', async () => {
  await fc.assert(
    fc.asyncProperty(optionsArb, fc.nat(), fc.nat(), async (r, pickEpoch, pickBatch) => {
      const opts = build(r);
      const straight = await run(sd, opts());
      const what = JSON.stringify(r);
      // End-of-epoch checkpoints of the straight run.
      if (straight.checkpoints.length > 0) {
        const c = straight.checkpoints[pickEpoch % straight.checkpoints.length];
        same(straight, await resumed(sd, opts(), c), `${what}, from epoch ${c.epoch}`);
        same(straight, await resumed(sd, opts(), decodeCheckpoint(encodeCheckpoint(c))), `${what}, from epoch ${c.epoch} through bytes`);
      }
      // A mid-epoch checkpoint: abort after some batch of the run.
      const batches = 1 + (pickBatch % 12);
      const ac = new AbortController();
      let seen = 0;
      const cut = await run(sd, opts(), { signal: ac.signal, onBatchEnd: () => void (++seen === batches && ac.abort()) });
      const mid = cut.checkpoints.at(-1);
      if (cut.history.stopReason === 'aborted' && mid) {
        same(straight, await resumed(sd, opts(), mid), `${what}, from epoch ${mid.epoch} batch ${mid.batch}`);
        same(straight, await resumed(sd, opts(), decodeCheckpoint(encodeCheckpoint(mid))), `${what}, from batch ${mid.batch} through bytes`);
      }
    }),
    { seed: 17, numRuns: 40 },
  );
});

R('sharded runs (2 workers) resume bit-identically too', async () => {
  // 256 rows per batch: the batches are sharded over the workers.
  const big = await datasets.digits();
  const opts = () => ({ optimizer: { name: 'adam', lr: 3e-3 }, epochs: 3, batchSize: 256, seed: 1, validation: 0.2, workers: 2,
    earlyStopping: { patience: 1 }, ema: true }) satisfies FitOptions;
  const m = threaded.mlp({ layers: [64, 16, 10], seed: 1 });
  const cps: Checkpoint[] = [];
  const h = await threaded.fit(m, big, { ...opts(), onCheckpoint: (c: Checkpoint) => void cps.push(c) });
  assert.is(h.workers, 2);
  const straight = { params: Float32Array.from(m.buffer.params), history: h, checkpoints: cps };
  m.dispose();
  for (const c of [cps[0], decodeCheckpoint(encodeCheckpoint(cps[1]))]) {
    const n = threaded.mlp({ layers: [64, 16, 10], seed: 5 });
    const hr = await threaded.fit(n, big, { ...opts(), resume: c });
    same(straight, { params: Float32Array.from(n.buffer.params), history: hr, checkpoints: [] }, `from epoch ${c.epoch}`);
    n.dispose();
  }
});

R.run();
