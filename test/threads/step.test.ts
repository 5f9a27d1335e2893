// The optimizer step as a plan phase (Optimizer.planStep): every element-wise rule, split into
// ranges and run by 1, 2 or 4 agents, gives the bits of opt.step(); rules that need the whole
// buffer decline; a worker dying during the step phase leaves the whole step done, not half.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init, type Engine, type FitOptions, type OptimizerConfig } from '../../src/index.js';
import { datasets } from '../../src/data/index.js';
import { Plan, poolFor, runPlan, teamFor, type Pool } from '../../src/threads/index.js';
import type { Mlp } from '../../src/models/mlp.js';
import { OP_GRAD0, OP_SUM } from '../../src/core/plan.js';
import { bitsEqual, rejectsWith } from '../_helpers.js';

const T = suite('threads: optimizer step phase');
let plain: Engine;
let scalar: Engine;
let threaded: Engine;

T.before(async () => {
  plain = await init();
  scalar = await init({ simd: false });
  threaded = await init({ workers: 4 });
});

const N = 50_003; // four 16384-element ranges, the last with a scalar tail
const h = (i: number, salt: number) => {
  let x = Math.imul(i ^ (salt * 0x9e3779b9), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 8) / 16777216 - 0.5;
};

const CONFIGS: [string, Record<string, unknown>][] = [
  ['sgd', { lr: 0.1 }],
  ['sgd', { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-2 }],
  ['sgd', { lr: 0.1, momentum: 0.9, nesterov: true, maximize: true }],
  ['momentum', { lr: 0.05, beta: 0.9 }],
  ['adagrad', { lr: 0.1, weightDecay: 1e-3, lrDecay: 1e-2 }],
  ['rmsprop', { lr: 1e-2, centered: true, momentum: 0.5, weightDecay: 1e-3 }],
  ['adadelta', { lr: 1, weightDecay: 1e-3 }],
  ['adam', { lr: 1e-3 }],
  ['adam', { lr: 1e-3, amsgrad: true, weightDecay: 1e-2, maximize: true }],
  ['adamw', { lr: 1e-3, weightDecay: 0.1 }],
  ['adamax', { lr: 2e-3, weightDecay: 1e-3 }],
  ['nadam', { lr: 2e-3, weightDecay: 1e-3 }],
  ['radam', { lr: 1e-3, weightDecay: 1e-3 }],
  ['lion', { lr: 1e-4, weightDecay: 0.1 }],
];

async function compare(sd: Engine, agents: number, name: string, options: Record<string, unknown>) {
  const a = sd.buffer(N), b = sd.buffer(N);
  for (let i = 0; i < N; i++) a.params[i] = b.params[i] = h(i, 1);
  const oa = sd.optimizer(name, { ...options, buffer: a });
  const ob = sd.optimizer(name, { ...options, buffer: b });
  const { pool } = await teamFor(sd, agents, 'test');
  for (let s = 0; s < 12; s++) {
    for (let i = 0; i < N; i++) a.grads[i] = b.grads[i] = h(i, 10 + s) * (s % 3 === 2 ? 0 : 1) + 1e-3 * h(i, 99);
    oa.lr = ob.lr = (options.lr as number) * (1 - s / 24); // a schedule changes the lr between steps
    oa.step();
    const plan = new Plan();
    const done = ob.planStep(plan, 0, 16384);
    assert.ok(done, `${name} splits`);
    await runPlan(sd, plan, agents, pool);
    done!(true);
  }
  assert.ok(bitsEqual(Float32Array.from(a.params), Float32Array.from(b.params)), `${name} ${JSON.stringify(options)} params, ${agents} agents`);
  assert.equal(ob.saveState(), oa.saveState(), `${name} state`);
  assert.is(ob.stepCount, oa.stepCount);
  oa.dispose(); ob.dispose(); a.dispose(); b.dispose();
}

for (const [name, options] of CONFIGS) {
  T(`${name} ${JSON.stringify(options)}: planStep on 1, 2, 4 agents = step() (and on the scalar core)`, async () => {
    await compare(plain, 1, name, options);
    await compare(scalar, 1, name, options);
    await compare(threaded, 2, name, options);
    await compare(threaded, 4, name, options);
  });
}

T('fit: the step fused into the sum tasks gives the bits of opt.step() after the sums', async () => {
  const digits = await datasets.digits();
  // clipValue 1e30 changes no gradient but makes planStep decline: opt.step() runs after the job.
  for (const optimizer of [{ name: 'adam', lr: 3e-3 }, { name: 'nadam', lr: 2e-3 }, { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true }] as const) {
    for (const [sd, workers] of [[plain, 1], [threaded, 2], [threaded, 4]] as const) {
      const run = async (extra: Record<string, unknown>) => {
        const m = sd.mlp({ layers: [64, 300, 10], seed: 4 });
        await sd.fit(m, digits, { epochs: 2, batchSize: 256, optimizer: { ...optimizer, ...extra } as OptimizerConfig, workers });
        const p = Float32Array.from(m.buffer.params);
        m.dispose();
        return p;
      };
      assert.ok(bitsEqual(await run({}), await run({ clipValue: 1e30 })), `${optimizer.name}, ${workers} workers`);
    }
  }
});

T('rules and options that need the whole buffer decline (step() runs instead)', () => {
  const b = plain.buffer(100);
  const declined: [string, Record<string, unknown>][] = [
    ['lamb', {}],
    ['adam', { clipNorm: 1 }],
    ['adam', { clipValue: 0.1 }],
    ['sgd', { lr: 0.1, skipNonFinite: true }],
  ];
  for (const [name, o] of declined) {
    const opt = plain.optimizer(name, { ...o, buffer: b });
    const before = opt.saveState();
    assert.is(opt.planStep(new Plan(), 0, 16384), undefined, name);
    assert.equal(opt.saveState(), before, `${name}: nothing changed`);
    opt.dispose();
  }
  const g = plain.optimizer('nadam', { buffer: b });
  g.group(0, 50, { lrScale: 0.5 });
  const before = g.saveState();
  assert.is(g.planStep(new Plan(), 0, 16384), undefined, 'groups');
  assert.equal(g.saveState(), before);
  assert.throws(() => g.planStep(new Plan(), 0, 10), /multiple of 4/);
  g.dispose();
  b.dispose();
});

// 38,410 params: three sum-and-step tasks per 256-row batch. Phases of a batch: 0 pack, 1 the
// shard passes, their row blocks and the sums, each sum followed by the optimizer step on its block.
const CRASH_LAYERS = [64, 512, 10];
const CRASH_OPTS = { epochs: 4, batchSize: 256, shuffle: false, optimizer: { name: 'nadam', lr: 2e-3 } } satisfies FitOptions;

/** fit on 2 workers until `hook`, set after step 2, makes worker 1 crash; returns the steps seen. */
async function crashedFit(sd: Engine, m: Mlp, hook: (pool: Pool) => void): Promise<number> {
  const digits = await datasets.digits();
  const pool = await poolFor(sd, 1);
  let seen = 0;
  await rejectsWith(
    () =>
      sd.fit(m, digits, {
        ...CRASH_OPTS,
        onBatchEnd: (info) => {
          seen = info.step;
          if (info.step === 2) hook(pool);
        },
      }),
    Error,
    'worker 1 crashed',
  );
  assert.ok(seen >= 2);
  return seen;
}

/** The params after each whole step of the same run on one thread, by step count − 1. */
async function wholeSteps(): Promise<Float32Array[]> {
  const digits = await datasets.digits();
  const refs: Float32Array[] = [];
  const ref = plain.mlp({ layers: CRASH_LAYERS, seed: 3 });
  await plain.fit(ref, digits, { ...CRASH_OPTS, onBatchEnd: () => void refs.push(Float32Array.from(ref.buffer.params)) });
  ref.dispose();
  return refs;
}

T('a worker dying in the step phase: the run fails, and that step is completed, not half done', async () => {
  const refs = await wholeSteps();
  const sd = await init({ workers: 2 });
  const m = sd.mlp({ layers: CRASH_LAYERS, seed: 3 }) as Mlp;
  // Worker 1 traps after claiming a sum (from batch 3 on: whichever batch it first claims one
  // in), so some blocks are summed and stepped, some not.
  const seen = await crashedFit(sd, m, (pool) => pool.injectFaultAt(1, 1, OP_SUM));
  // The completed steps plus the one the failure interrupted, all whole.
  assert.ok(bitsEqual(Float32Array.from(m.buffer.params), refs[seen]), `params of ${seen + 1} whole steps`);
  m.dispose();
});

T('a worker dying in a row block: the params are whole steps — the interrupted one done or not begun', async () => {
  const refs = await wholeSteps();
  const outcomes = new Set<string>();
  // Worker 1 traps after claiming a row block (op 5) — at once, or after 100 ms asleep, by which
  // time the calling thread has claimed the sums that wait for it: the job is then completed on
  // the calling thread (the row block run again there); at once, it is usually left before its
  // step. Either way, no half step.
  for (let attempt = 0; attempt < 6; attempt++) {
    const sd = await init({ workers: 2 });
    const m = sd.mlp({ layers: CRASH_LAYERS, seed: 3 }) as Mlp;
    const seen = await crashedFit(sd, m, (pool) => {
      pool.injectFaultAt(1, 1, OP_GRAD0);
      if (attempt % 2) pool.injectStallAt(1, 1, 100, OP_GRAD0);
    });
    const p = Float32Array.from(m.buffer.params);
    const whole = [seen, seen + 1].find((k) => bitsEqual(p, refs[k - 1]));
    assert.ok(whole !== undefined, `params are ${seen} or ${seen + 1} whole steps`);
    outcomes.add(whole === seen ? 'not begun' : 'completed');
    m.dispose();
  }
  assert.ok(outcomes.has('completed'), `outcomes: ${[...outcomes]}`);
});

T.run();
