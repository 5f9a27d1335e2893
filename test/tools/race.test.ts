// sd.race on 2-D surfaces: shapes per the contract, the path is the optimizer's own update
// sequence (checked against a plain TS loop of SGD), outcomes on the classic pictures, and
// every bad input message.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { SURFACES } from '../../src/tools/surfaces.js';
import { bothEngines, throwsWith } from '../_helpers.js';

const R = suite('tools/race');
let sd: Engine;
let scalar: Engine;
R.before(async () => {
  [sd, scalar] = await bothEngines();
});

R('shapes: steps + 1 points and losses, start first, names and options per run', () => {
  const r = sd.race({ surface: 'rosenbrock', start: [-1.5, 2], steps: 500, optimizers: [{ name: 'sgd', lr: 1e-3, momentum: 0.9 }, { name: 'adam', lr: 1e-2 }] });
  assert.is(r.surface, 'rosenbrock');
  assert.is(r.runs.length, 2);
  assert.equal(r.runs.map((x: any) => x.name), ['sgd', 'adam']);
  for (const run of r.runs) {
    assert.is(run.path.length, 501);
    assert.is(run.losses.length, 501);
    assert.equal(run.path[0], [-1.5, 2]);
    run.path.forEach((p: number[], i: number) => assert.is(run.losses[i], SURFACES.rosenbrock.value(p[0], p[1])));
  }
  assert.is(r.runs[0].options.momentum, 0.9);
  assert.is(r.runs[0].options.lr, 1e-3);
  assert.is(r.runs[1].options.lr, 1e-2);
  assert.is(r.runs[1].options.beta1, 0.9); // defaults filled in
  assert.equal(r.minima, [{ point: [1, 1], value: 0 }]);
  // Both make progress down the valley from f(−1.5, 2) = 6.5.
  for (const run of r.runs) assert.ok(run.losses[500] < 0.5 * run.losses[0], `${run.name} ${run.losses[500]}`);
  // JSON round trip: the result is plain data.
  assert.equal(JSON.parse(JSON.stringify(r)), r);
});

R('the path is plain SGD computed in float32 params, gradients in double (same bits on both builds)', () => {
  const steps = 50, lr = 1e-3;
  const s = SURFACES.beale;
  const p = new Float32Array([1, 1.5]);
  const want: number[][] = [[p[0], p[1]]];
  for (let t = 0; t < steps; t++) {
    const [gx, gy] = s.gradient(p[0], p[1]);
    const g = new Float32Array([gx, gy]);
    // torch SGD: p ← p − lr·g, lr rounded to f32 once.
    p[0] = Math.fround(p[0] - Math.fround(Math.fround(lr) * g[0]));
    p[1] = Math.fround(p[1] - Math.fround(Math.fround(lr) * g[1]));
    want.push([p[0], p[1]]);
  }
  for (const e of [sd, scalar]) {
    const r = e.race({ surface: 'beale', steps, optimizers: [{ name: 'sgd', lr }] });
    assert.equal(r.runs[0].path, want, e.simd ? 'simd' : 'scalar');
  }
});

R('defaults: the surface start, 500 steps, sgd/momentum/adam; bare names accepted', () => {
  const r = sd.race({ surface: 'saddle' });
  assert.equal(r.runs.map((x: any) => x.name), ['sgd', 'momentum', 'adam']);
  assert.is(r.steps, 500);
  assert.equal(r.runs[0].path[0], [-1.5, Math.fround(1e-3)]);
  const b = sd.race({ surface: 'himmelblau', steps: 3, optimizers: ['adam'] });
  assert.is(b.runs[0].path.length, 4);
});

R('saddle: plain SGD at a small lr is still near the ridge where Adam has escaped', () => {
  const r = sd.race({ surface: 'saddle', steps: 200, optimizers: [{ name: 'sgd', lr: 0.01 }, { name: 'adam', lr: 0.05 }] });
  const [sgd, adam] = r.runs;
  const yS = Math.abs(sgd.path[200][1]), yA = Math.abs(adam.path[200][1]);
  // SGD: y grows by (1 + 2·lr) per step: 1e-3·1.02^200 ≈ 0.05. Adam's normalised steps move y by ~lr each.
  assert.ok(yS < 0.1, `sgd y ${yS}`);
  assert.ok(yA > 1, `adam y ${yA}`);
  assert.ok(adam.losses[200] < sgd.losses[200]);
});

R('styblinskiTang from its start: SGD settles in the nearby local minimum', () => {
  const r = sd.race({ surface: 'styblinskiTang', steps: 2000, optimizers: [{ name: 'sgd', lr: 0.01 }] });
  const [x, y] = r.runs[0].path[2000];
  assert.ok(Math.abs(x - 2.7468) < 1e-3 && Math.abs(y - 2.7468) < 1e-3, `${x}, ${y}`);
});

R('diverging runs keep steps + 1 entries', () => {
  const r = sd.race({ surface: 'rosenbrock', steps: 40, optimizers: [{ name: 'sgd', lr: 1 }] });
  assert.is(r.runs[0].path.length, 41);
  assert.ok(!Number.isFinite(r.runs[0].losses[40]));
});

R('bad input: each message names the option', () => {
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'rosenbrok' }), TypeError, "unknown surface 'rosenbrok'", "did you mean 'rosenbrock'");
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'bowl' }), TypeError, "unknown surface 'bowl'", 'known: rosenbrock, beale');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({}), TypeError, 'race: surface', 'or data is required');
  throwsWith(() => sd.race(null as any), TypeError, 'race: options must be an object');
  throwsWith(() => sd.race({ surface: 'beale', steps: 0 }), RangeError, 'race: steps must be in [1, 1000000], got 0');
  throwsWith(() => sd.race({ surface: 'beale', steps: 1.5 }), RangeError, 'race: steps must be an integer, got 1.5');
  throwsWith(() => sd.race({ surface: 'beale', steps: '10' as any }), TypeError, 'race: steps must be a number, got "10"');
  throwsWith(() => sd.race({ surface: 'beale', optimizers: [] }), RangeError, 'race: optimizers must name at least one optimizer');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'beale', optimizers: ['adma'] }), TypeError, "race: optimizers[0]: unknown optimizer 'adma'", "did you mean 'adam'");
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'beale', optimizers: [{ lr: 1 }] }), TypeError, 'race: optimizers[0].name is required');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'beale', optimizers: [42] }), TypeError, 'race: optimizers[0] must be an optimizer name or { name, ...options }, got 42');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'beale', optimizers: ['sgd', { name: 'adam', momentum: 0.9 }] }), TypeError, "race: optimizers[1]: adam: unknown option 'momentum'");
  throwsWith(() => sd.race({ surface: 'beale', optimizers: [{ name: 'sgd', lr: -1 }] }), RangeError, 'race: optimizers[0]: sgd: lr');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'beale', optimizers: [{ name: 'sgd', size: 3 }] }), TypeError, 'race: optimizers[0]: size is set by the tool');
  // @ts-expect-error a mistake the types refuse; a JavaScript caller gets the runtime error
  throwsWith(() => sd.race({ surface: 'beale', start: [1] }), RangeError, 'race: start must be [x, y], got [1]');
  throwsWith(() => sd.race({ surface: 'beale', start: [1, NaN] }), RangeError, 'race: start[1] must be finite, got NaN');
  throwsWith(() => sd.race({ surface: 'beale', start: [1, '2'] as any }), TypeError, 'race: start[1] must be a number, got "2"');
  throwsWith(() => sd.race({ surface: 'beale', stpes: 3 } as any), TypeError, "race: unknown option 'stpes'", "did you mean 'steps'");
  throwsWith(() => sd.race({ surface: 'beale', data: {} } as any), TypeError, 'race: give either surface or data, not both');
});

R('a failed race leaks no WASM memory: optimizers made before the bad one are freed', () => {
  const before = sd.memoryBytes;
  for (let i = 0; i < 5; i++) {
    throwsWith(() => sd.race({ surface: 'beale', optimizers: ['adam', 'sgd', { name: 'sgd', lr: -1 }] }), RangeError, 'optimizers[2]');
    sd.race({ surface: 'beale', steps: 2, optimizers: ['adam', 'lamb'] });
  }
  assert.ok(sd.memoryBytes <= before + 4096, `${before} → ${sd.memoryBytes}`);
});

R.run();
