// bench/optimizers: optimizer step throughput (adam; sgd with momentum 0.9) at 1e3…1e6 params,
// simdescent SIMD and scalar against a plain-JS Float32Array loop and TensorFlow.js (cpu and
// wasm backends). Every contender is checked against simdescent before it is timed.
import { expectClose, fmtTime, hashArray, interleaved, loadSimdescent, loadTf, machine, useBackend, writeResult } from './_lib.mjs';

export const SIZES = [1e3, 1e4, 1e5, 1e6];
export const KINDS = ['adam', 'sgd'];
const LR = 1e-3;
const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;
const MU = 0.9;

/** simdescent through its public API: one optimizer owning a fresh buffer. */
function sdContender(sd, label) {
  return (kind, n, p0, g) => {
    const opt = kind === 'adam' ? sd.optimizer('adam', { size: n, lr: LR, beta1: B1, beta2: B2, eps: EPS }) : sd.optimizer('sgd', { size: n, lr: LR, momentum: MU });
    opt.params.set(p0);
    opt.grads.set(g);
    return { label, step: () => opt.step(), setGrads: (x) => opt.grads.set(x), params: () => opt.params.slice(), dispose: () => opt.dispose() };
  };
}

/** The obvious JavaScript: Float32Array state, the torch formula, one loop (doubles inside, float32 stores). */
function plainContender(kind, n, p0, g0) {
  const p = Float32Array.from(p0);
  const g = Float32Array.from(g0);
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  let t = 0;
  const adam = () => {
    t++;
    const bc1 = 1 - B1 ** t;
    const bc2sqrt = Math.sqrt(1 - B2 ** t);
    const c = -LR / bc1;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = (m[i] = m[i] * B1 + (1 - B1) * gi);
      const vi = (v[i] = v[i] * B2 + (1 - B2) * gi * gi);
      p[i] += (c * mi) / (Math.sqrt(vi) / bc2sqrt + EPS);
    }
  };
  const sgd = () => {
    t++;
    if (t === 1) {
      for (let i = 0; i < n; i++) p[i] -= LR * (m[i] = g[i]);
    } else {
      for (let i = 0; i < n; i++) p[i] -= LR * (m[i] = m[i] * MU + g[i]);
    }
  };
  return { label: 'plain JS', step: kind === 'adam' ? adam : sgd, setGrads: (x) => g.set(x), params: () => p.slice(), dispose() {} };
}

/** TensorFlow.js: a tf.Variable updated by tf.train.adam / tf.train.momentum through applyGradients. */
function tfContender(tf, backend) {
  return (kind, n, p0, g0) => {
    useBackend(tf, backend);
    const w = tf.variable(tf.tensor1d(p0), true, `w_${backend}_${kind}_${n}_${Math.random().toString(36).slice(2)}`);
    let g = tf.tensor1d(g0);
    const grads = { [w.name]: g };
    const opt = kind === 'adam' ? tf.train.adam(LR, B1, B2, EPS) : tf.train.momentum(LR, MU);
    return {
      label: `tfjs-${backend}`,
      step: () => {
        useBackend(tf, backend);
        opt.applyGradients(grads);
      },
      setGrads: (x) => {
        useBackend(tf, backend);
        g.dispose();
        g = grads[w.name] = tf.tensor1d(x);
      },
      params: () => {
        useBackend(tf, backend);
        return w.dataSync().slice();
      },
      dispose: () => {
        useBackend(tf, backend);
        opt.dispose();
        g.dispose();
        w.dispose();
      },
    };
  };
}

export async function makeContenders() {
  const { init } = await loadSimdescent();
  const simd = await init({ simd: true });
  const scalar = await init({ simd: false });
  const { tf, wasmSimd } = await loadTf();
  return {
    tf,
    wasmSimd,
    list: [
      { name: 'simdescent SIMD', make: sdContender(simd, 'simdescent SIMD') },
      { name: 'simdescent scalar', make: sdContender(scalar, 'simdescent scalar') },
      { name: 'plain JS', make: plainContender },
      { name: 'tfjs-wasm', make: tfContender(tf, 'wasm') },
      { name: 'tfjs-cpu', make: tfContender(tf, 'cpu') },
    ],
  };
}

/**
 * Correctness before speed: 6 steps with a fresh gradient each step on 1003 params (a tail
 * of 3); SIMD and scalar must agree bit for bit, the others within float32 rounding of the
 * update (|Δ| ≤ 2e-6 on params of size ~0.5 moved by ~lr per step).
 */
function check(list, kind) {
  const n = 1003;
  const p0 = hashArray(n, 1);
  const grads = Array.from({ length: 6 }, (_, t) => hashArray(n, 10 + t));
  const out = {};
  for (const c of list) {
    const x = c.make(kind, n, p0, grads[0]);
    for (const g of grads) {
      x.setGrads(g);
      x.step();
    }
    out[c.name] = x.params();
    x.dispose();
  }
  const ref = out['simdescent SIMD'];
  let moved = 0;
  for (let i = 0; i < n; i++) moved = Math.max(moved, Math.abs(ref[i] - p0[i]));
  if (!(moved > 1e-3)) throw new Error(`bench check: simdescent ${kind} did not move the params (max |Δ| ${moved})`);
  const report = {};
  for (const c of list) {
    if (c.name === 'simdescent SIMD') continue;
    const a = out[c.name];
    if (c.name === 'simdescent scalar') {
      const same = a.every((v, i) => Object.is(v, ref[i]));
      if (!same) throw new Error(`bench check failed: simdescent scalar ${kind} differs in bits from SIMD`);
      report[c.name] = 'bit-identical to SIMD';
    } else {
      const w = expectClose(`${c.name} ${kind}`, a, ref, { atol: 2e-6 });
      let maxAbs = 0;
      for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i] - ref[i]));
      report[c.name] = `max |Δparams| ${maxAbs.toExponential(2)} after 6 steps (tolerance 2e-6; ${(w * 100).toFixed(0)}% of it)`;
    }
  }
  return { n, steps: 6, maxMove: moved, contenders: report };
}

export async function runOptimizers({ rounds = 5, maxTime = 0.25 } = {}) {
  const meta = machine();
  const { tf, list, wasmSimd } = await makeContenders();
  const checks = {};
  for (const kind of KINDS) {
    checks[kind] = check(list, kind);
    console.log(`check ${kind}:`, checks[kind].contenders);
  }
  const results = [];
  for (const kind of KINDS) {
    for (const n of SIZES) {
      const p0 = hashArray(n, 1);
      const g = hashArray(n, 2);
      const inst = list.map((c) => ({ name: c.name, x: c.make(kind, n, p0, g) }));
      const timed = await interleaved(
        `${kind} n=${n.toExponential(0)}`,
        inst.map(({ name, x }) => ({ name, fn: x.step })),
        { rounds, maxTime },
      );
      for (const { x } of inst) x.dispose();
      for (const c of list) {
        const r = timed[c.name];
        results.push({ optimizer: kind, size: n, contender: c.name, secondsPerStep: r.secondsPerCall, stepsPerSecond: 1 / r.secondsPerCall, paramsPerSecond: n / r.secondsPerCall, samples: r.samples, roundMedians: r.roundMedians });
      }
    }
  }
  const at = (kind, n, name) => results.find((r) => r.optimizer === kind && r.size === n && r.contender === name).secondsPerStep;
  const ratios = [];
  for (const kind of KINDS) {
    for (const n of SIZES) {
      const s = at(kind, n, 'simdescent SIMD');
      ratios.push({
        optimizer: kind,
        size: n,
        'vs scalar': at(kind, n, 'simdescent scalar') / s,
        'vs plain JS': at(kind, n, 'plain JS') / s,
        'vs tfjs-wasm': at(kind, n, 'tfjs-wasm') / s,
        'vs tfjs-cpu': at(kind, n, 'tfjs-cpu') / s,
      });
    }
  }
  const data = {
    suite: 'optimizers',
    meta: { ...meta, loadAverageEnd: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)) },
    config: {
      sizes: SIZES,
      rounds,
      maxTimePerCaseSeconds: maxTime,
      adam: { lr: LR, beta1: B1, beta2: B2, eps: EPS },
      sgd: { lr: LR, momentum: MU },
      tfjs: { wasmSimd, wasmThreads: false, api: 'tf.train.adam / tf.train.momentum, optimizer.applyGradients on a tf.Variable' },
      method: 'benny (benchmark.js) suites per optimizer × size, contenders rotated each round; median of all samples pooled over the rounds',
    },
    checks,
    results,
    ratios,
  };
  writeResult('optimizers', data);
  for (const r of ratios) {
    console.log(`${r.optimizer} ${r.size.toExponential(0)}: SIMD ${fmtTime(at(r.optimizer, r.size, 'simdescent SIMD'))}/step; ×${r['vs plain JS'].toFixed(1)} plain JS, ×${r['vs tfjs-wasm'].toFixed(1)} tfjs-wasm, ×${r['vs tfjs-cpu'].toFixed(1)} tfjs-cpu, ×${r['vs scalar'].toFixed(2)} scalar`);
  }
  void tf;
  return data;
}
