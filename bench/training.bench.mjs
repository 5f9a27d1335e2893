// bench/training: samples/s of one training step (forward + backward + Adam update) for MLPs
// 64-128-10 at batch 32 and 784-256-10 at batch 128 (ReLU, softmax cross-entropy) on synthetic
// data. Contenders: simdescent SIMD and scalar (sd.mlp + sd.optimizer('adam') + lossAndGrad), a
// plain-JS loop MLP, TensorFlow.js core ops (tf.variableGrads + applyGradients) on the wasm and cpu
// backends, tf.LayersModel.fit when @tensorflow/tfjs-layers is installed, and PyTorch CPU
// (bench/torch_mlp.py, 1 thread) when `import torch` works. Every contender's losses are checked
// against simdescent's from the same initial params and batches before anything is timed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fmtTime, hashf, interleaved, loadSimdescent, loadTf, machine, median, root, useBackend, writeResult } from './_lib.mjs';

export const SHAPES = [
  { layers: [64, 128, 10], batch: 32 },
  { layers: [784, 256, 10], batch: 128 },
];
const LR = 1e-3;
const K = 8; // distinct batches cycled through, so no contender trains on one cached batch

const shapeName = (s) => `${s.layers.join('-')}/b${s.batch}`;

/** Multiply-adds counted as 2 FLOPs: forward, weight gradients, input gradients (not needed for layer 1). */
export function flopsPerSample(layers) {
  let fwd = 0;
  let back = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const mac = layers[l] * layers[l + 1];
    fwd += 2 * mac;
    back += 2 * mac + (l > 0 ? 2 * mac : 0);
  }
  return fwd + back;
}

function syntheticBatches({ layers, batch }, salt) {
  const [inp, , out] = layers;
  const xs = [];
  const ys = [];
  for (let k = 0; k < K; k++) {
    const x = new Float32Array(batch * inp);
    for (let i = 0; i < x.length; i++) x[i] = hashf(k * x.length + i, salt);
    const y = new Int32Array(batch);
    for (let i = 0; i < batch; i++) y[i] = Math.floor((hashf(k * batch + i, salt + 1) + 0.5) * out);
    xs.push(x);
    ys.push(y);
  }
  return { xs, ys };
}

/** Each contender: { name, params0 → { step(k) → loss of batch k before the update, async? } }. */
function sdContender(sd, name) {
  return (shape, data, params0) => {
    const model = sd.mlp({ layers: shape.layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
    if (params0) model.buffer.params.set(params0);
    const opt = sd.optimizer('adam', { buffer: model.buffer, lr: LR });
    let i = 0;
    return {
      name,
      params: () => model.buffer.params.slice(),
      step: (k = i++ % K) => {
        const loss = model.lossAndGrad(data.xs[k], data.ys[k], shape.batch);
        opt.step();
        return loss;
      },
      dispose: () => {
        opt.dispose();
        model.dispose();
      },
    };
  };
}

/** A plain-JavaScript MLP: Float32Array storage in simdescent's (PyTorch's) flat layout, double accumulators. */
function plainContender(shape, data, params0) {
  const [nin, nh, nout] = shape.layers;
  const B = shape.batch;
  const size = nh * nin + nh + nout * nh + nout;
  const p = Float32Array.from(params0);
  const g = new Float32Array(size);
  const m = new Float32Array(size);
  const v = new Float32Array(size);
  const W1 = p.subarray(0, nh * nin);
  const b1 = p.subarray(nh * nin, nh * nin + nh);
  const W2 = p.subarray(nh * nin + nh, nh * nin + nh + nout * nh);
  const b2 = p.subarray(nh * nin + nh + nout * nh);
  const gW1 = g.subarray(0, nh * nin);
  const gb1 = g.subarray(nh * nin, nh * nin + nh);
  const gW2 = g.subarray(nh * nin + nh, nh * nin + nh + nout * nh);
  const gb2 = g.subarray(nh * nin + nh + nout * nh);
  const a = new Float32Array(B * nh);
  const da = new Float32Array(B * nh);
  const dz = new Float32Array(B * nout);
  let t = 0;
  let i0 = 0;
  const step = (k = i0++ % K) => {
    const x = data.xs[k];
    const y = data.ys[k];
    g.fill(0);
    // forward: a = relu(x W1ᵀ + b1), z = a W2ᵀ + b2; softmax cross-entropy, dz = (softmax − onehot)/B
    for (let b = 0; b < B; b++) {
      const xo = b * nin;
      for (let j = 0; j < nh; j++) {
        let s = b1[j];
        const wo = j * nin;
        for (let i = 0; i < nin; i++) s += x[xo + i] * W1[wo + i];
        a[b * nh + j] = s > 0 ? s : 0;
      }
    }
    let loss = 0;
    for (let b = 0; b < B; b++) {
      let max = -Infinity;
      for (let c = 0; c < nout; c++) {
        let s = b2[c];
        const wo = c * nh;
        for (let j = 0; j < nh; j++) s += a[b * nh + j] * W2[wo + j];
        dz[b * nout + c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < nout; c++) sum += Math.exp(dz[b * nout + c] - max);
      const lse = max + Math.log(sum);
      loss += lse - dz[b * nout + y[b]];
      for (let c = 0; c < nout; c++) dz[b * nout + c] = (Math.exp(dz[b * nout + c] - lse) - (c === y[b] ? 1 : 0)) / B;
    }
    // backward
    da.fill(0);
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < nout; c++) {
        const d = dz[b * nout + c];
        gb2[c] += d;
        const wo = c * nh;
        for (let j = 0; j < nh; j++) {
          gW2[wo + j] += d * a[b * nh + j];
          da[b * nh + j] += d * W2[wo + j];
        }
      }
    }
    for (let b = 0; b < B; b++) {
      const xo = b * nin;
      for (let j = 0; j < nh; j++) {
        const d = a[b * nh + j] > 0 ? da[b * nh + j] : 0;
        if (d === 0) continue;
        gb1[j] += d;
        const wo = j * nin;
        for (let i = 0; i < nin; i++) gW1[wo + i] += d * x[xo + i];
      }
    }
    // Adam, torch order
    t++;
    const c1 = -LR / (1 - 0.9 ** t);
    const bc2 = Math.sqrt(1 - 0.999 ** t);
    for (let i = 0; i < size; i++) {
      const gi = g[i];
      const mi = (m[i] = m[i] * 0.9 + 0.1 * gi);
      const vi = (v[i] = v[i] * 0.999 + 0.001 * gi * gi);
      p[i] += (c1 * mi) / (Math.sqrt(vi) / bc2 + 1e-8);
    }
    return loss / B;
  };
  return { name: 'plain JS', params: () => p.slice(), step, dispose() {} };
}

/** simdescent's flat [out, in] weights → tfjs tensors ([in, out] for matMul(x, W)). */
function tfWeights(tf, [nin, nh, nout], params0) {
  let at = 0;
  const take = (n) => params0.subarray(at, (at += n));
  const W1 = tf.transpose(tf.tensor2d(take(nh * nin), [nh, nin]));
  const b1 = tf.tensor1d(take(nh));
  const W2 = tf.transpose(tf.tensor2d(take(nout * nh), [nout, nh]));
  const b2 = tf.tensor1d(take(nout));
  return [W1, b1, W2, b2];
}

/** TensorFlow.js core ops: fused matMul + bias (+ relu), variableGrads, Adam's applyGradients. */
function tfCoreContender(tf, backend) {
  return (shape, data, params0) => {
    useBackend(tf, backend);
    const [, , nout] = shape.layers;
    const init = tfWeights(tf, shape.layers, params0);
    const vars = init.map((w) => tf.variable(w));
    init.forEach((w) => w.dispose());
    const [W1, b1, W2, b2] = vars;
    const xs = data.xs.map((x) => tf.tensor2d(x, [shape.batch, shape.layers[0]]));
    const ys = data.ys.map((y) => tf.cast(tf.oneHot(tf.tensor1d(y, 'int32'), nout), 'float32'));
    const opt = tf.train.adam(LR, 0.9, 0.999, 1e-8);
    let i = 0;
    return {
      name: `tfjs-${backend} core ops`,
      params: () => {
        useBackend(tf, backend);
        return Float32Array.from(vars.flatMap((w, j) => Array.from((j % 2 === 0 ? tf.transpose(w) : w).dataSync())));
      },
      step: (k = i++ % K) => {
        useBackend(tf, backend);
        return tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const h = tf.fused.matMul({ a: xs[k], b: W1, bias: b1, activation: 'relu' });
            const z = tf.fused.matMul({ a: h, b: W2, bias: b2 });
            return tf.losses.softmaxCrossEntropy(ys[k], z);
          }, vars);
          opt.applyGradients(grads);
          return value.dataSync()[0];
        });
      },
      dispose: () => {
        useBackend(tf, backend);
        opt.dispose();
        [...vars, ...xs, ...ys].forEach((t) => t.dispose());
      },
    };
  };
}

/**
 * tf.LayersModel.fit (only with @tensorflow/tfjs-layers installed): one fit() call runs the K
 * batches as one epoch, so a "step" here is K steps; the caller divides by K.
 */
function tfFitContender(tf, tfl, backend) {
  const make = (shape, data, params0) => {
    useBackend(tf, backend);
    const [nin, nh, nout] = shape.layers;
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: nh, activation: 'relu', inputShape: [nin] }), tfl.layers.dense({ units: nout, activation: 'softmax' })],
    });
    model.setWeights(tfWeights(tf, shape.layers, params0));
    model.compile({ optimizer: tf.train.adam(LR, 0.9, 0.999, 1e-8), loss: 'categoricalCrossentropy' });
    const xAll = tf.concat(data.xs.map((x) => tf.tensor2d(x, [shape.batch, nin])));
    const yAll = tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(data.ys.flatMap((y) => Array.from(y))), 'int32'), nout), 'float32');
    return {
      name: `tfjs-${backend} model.fit`,
      stepsPerCall: K,
      params: () => {
        useBackend(tf, backend);
        return Float32Array.from(model.getWeights().flatMap((w, j) => Array.from((j % 2 === 0 ? tf.transpose(w) : w).dataSync())));
      },
      stepAsync: async () => {
        useBackend(tf, backend);
        const h = await model.fit(xAll, yAll, { batchSize: shape.batch, epochs: 1, shuffle: false, verbose: 0 });
        return h.history.loss[0];
      },
      dispose: () => {
        useBackend(tf, backend);
        model.dispose();
        xAll.dispose();
        yAll.dispose();
      },
    };
  };
  return Object.assign(make, { fit: true, label: `tfjs-${backend} model.fit` });
}

/**
 * The 128-bit float32 mul+add ceiling without FMA (bench/native/peak.c), the yardstick for the
 * GFLOP/s column; null without gcc.
 */
function measurePeak() {
  const wide = readFileSync('/proc/cpuinfo', 'utf8').includes(' avx512vl');
  const flags = wide ? ['-O3', '-mavx512vl', '-ffp-contract=off'] : ['-O3', '-msse4.2', '-ffp-contract=off'];
  try {
    const out = join(root, 'bench', 'native', 'peak.out');
    execFileSync('gcc', [...flags, join(root, 'bench', 'native', 'peak.c'), '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    // Best of three spaced runs: on a shared box any one of them may be slowed by a neighbour.
    const runs = [];
    for (let r = 0; r < 3; r++) {
      runs.push(JSON.parse(execFileSync(out, { encoding: 'utf8' })).gflops);
      if (r < 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
    return { gflops: Math.max(...runs), runs, flags: flags.join(' '), registers: wide ? 32 : 16 };
  } catch {
    return null;
  }
}

function findTorch() {
  for (const py of [...new Set(['python3', '/usr/bin/python3'])]) {
    try {
      const v = execFileSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      return { python: py, version: v };
    } catch {
      // try the next interpreter
    }
  }
  return null;
}

function runTorch(py, args) {
  return JSON.parse(execFileSync(py, [join(root, 'bench', 'torch_mlp.py'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
}

const CHECK_STEPS = 4;

/** Losses of batches 0…CHECK_STEPS with an Adam step after each but the last; relative error vs simdescent SIMD. */
async function checkContenders(makers, shape, data, params0, torch) {
  const losses = {};
  for (const mk of makers) {
    const c = mk(shape, data, params0);
    const ls = [];
    if (c.stepAsync) {
      // fit() trains on all K batches per call: compare its epoch loss with simdescent's mean over the same K steps.
      ls.push(await c.stepAsync());
    } else {
      for (let s = 0; s < CHECK_STEPS; s++) ls.push(c.step(s));
      // the loss after the last update: evaluate batch CHECK_STEPS by one more step's returned loss
      ls.push(c.step(CHECK_STEPS));
    }
    losses[c.name] = ls;
    c.dispose();
  }
  if (torch) {
    const dir = join(root, '.tmp', 'bench-torch-check');
    mkdirSync(dir, { recursive: true });
    const name = shapeName(shape).replace(/[^0-9a-z]/gi, '_');
    writeFileSync(join(dir, `${name}.params.bin`), params0);
    writeFileSync(join(dir, `${name}.x.bin`), Buffer.concat(data.xs.slice(0, CHECK_STEPS + 1).map((x) => Buffer.from(x.buffer))));
    writeFileSync(join(dir, `${name}.y.bin`), Buffer.concat(data.ys.slice(0, CHECK_STEPS + 1).map((y) => Buffer.from(y.buffer))));
    writeFileSync(join(dir, 'check.json'), JSON.stringify({ cases: [{ name, layers: shape.layers, batch: shape.batch, steps: CHECK_STEPS, lr: LR }] }));
    const res = runTorch(torch.python, ['--check', dir]);
    torch.blas = res.blas;
    torch.blasThreads = res.blasThreads;
    // "1 thread" must hold for the BLAS too (bench/torch_mlp.py pins it; a BLAS that ignores that is refused).
    if (res.blasThreads != null && res.blasThreads !== 1) throw new Error(`bench: PyTorch's BLAS runs ${res.blasThreads} threads, not 1`);
    losses[`PyTorch ${torch.version} (1 thread)`] = res.check[name];
  }
  const ref = losses['simdescent SIMD'];
  const report = {};
  for (const [name, ls] of Object.entries(losses)) {
    if (name === 'simdescent SIMD') continue;
    let rel;
    if (name.includes('model.fit')) {
      // not comparable step by step: skip the numeric gate, report the epoch loss
      report[name] = `epoch loss ${ls[0].toFixed(5)}`;
      continue;
    }
    rel = Math.max(...ls.map((l, i) => Math.abs(l - ref[i]) / Math.abs(ref[i])));
    if (!(rel <= 1e-4)) throw new Error(`bench check failed: ${name} on ${shapeName(shape)}: losses ${ls.join(', ')} vs simdescent ${ref.join(', ')}`);
    report[name] = `max relative loss difference ${rel.toExponential(2)}`;
  }
  return { losses: ref, contenders: report };
}

export async function runTraining({ rounds = 4, maxTime = 0.4, quick = false } = {}) {
  const meta = machine();
  const { init } = await loadSimdescent();
  const simd = await init({ simd: true });
  const scalar = await init({ simd: false });
  const { tf, layers: tfl, wasmSimd } = await loadTf();
  const torch = findTorch();
  const peak = measurePeak();
  if (peak) console.log(`128-bit mul+add peak (no FMA): ${peak.gflops.toFixed(1)} GFLOP/s`);
  const notes = [];
  if (!tfl) notes.push('tf.LayersModel.fit not measured: @tensorflow/tfjs-layers is not installed (not a dependency of this project), so TensorFlow.js appears through its core-ops loop only');
  if (!torch) notes.push('PyTorch skipped: `python3 -c "import torch"` fails here (Debian: apt-get install python3-torch)');
  notes.forEach((n) => console.log(`note: ${n}`));
  const makers = [
    sdContender(simd, 'simdescent SIMD'),
    sdContender(scalar, 'simdescent scalar'),
    plainContender,
    tfCoreContender(tf, 'wasm'),
    tfCoreContender(tf, 'cpu'),
    ...(tfl ? [tfFitContender(tf, tfl, 'wasm'), tfFitContender(tf, tfl, 'cpu')] : []),
  ];
  const checks = {};
  const results = [];
  for (const shape of SHAPES) {
    const name = shapeName(shape);
    const data = syntheticBatches(shape, 7);
    const seedModel = simd.mlp({ layers: shape.layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 1 });
    const params0 = seedModel.buffer.params.slice();
    seedModel.dispose();
    // model.fit is exercised only where @tensorflow/tfjs-layers is installed: a failure drops it with a note
    // instead of sinking the whole suite.
    for (const mk of makers.filter((m) => m.fit)) {
      try {
        const c = mk(shape, data, params0);
        await c.stepAsync();
        c.dispose();
      } catch (e) {
        notes.push(`${mk.label} dropped on ${name}: ${e.message}`);
        makers.splice(makers.indexOf(mk), 1);
      }
    }
    checks[name] = await checkContenders(makers, shape, data, params0, torch);
    console.log(`check ${name}:`, checks[name].contenders);
    const inst = makers.map((mk) => mk(shape, data, params0));
    const torchRounds = [];
    const pooled = {};
    for (let r = 0; r < rounds; r++) {
      // One benny suite per round (rotated inside interleaved), then PyTorch in its own process.
      const timed = await interleaved(
        `${name} #${r + 1}`,
        inst.map((c) => ({ name: c.name, fn: c.stepAsync ?? (() => c.step()) })),
        { rounds: 1, maxTime, log: false },
      );
      for (const [n, t] of Object.entries(timed)) (pooled[n] ??= []).push(t.secondsPerCall);
      if (torch) {
        const tr = runTorch(torch.python, ['--seconds', String(quick ? 0.3 : maxTime * 2), '--shape', `${shape.layers.join(',')}:${shape.batch}`]);
        torchRounds.push(tr.results[0].secondsPerStep);
      }
      // Rotate the contender order for the next round.
      inst.push(inst.shift());
    }
    for (const c of inst) c.dispose();
    const flops = flopsPerSample(shape.layers);
    const row = (contender, secPerCall, steps = 1, roundValues) => {
      const sec = secPerCall / steps;
      return { shape: name, layers: shape.layers, batch: shape.batch, contender, secondsPerStep: sec, samplesPerSecond: shape.batch / sec, gflops: (flops * shape.batch) / sec / 1e9, roundSecondsPerStep: roundValues.map((v) => v / steps) };
    };
    for (const [n, xs] of Object.entries(pooled)) {
      const steps = n.includes('model.fit') ? K : 1;
      results.push(row(n, median(xs), steps, xs));
    }
    if (torch) results.push(row(`PyTorch ${torch.version} (1 thread)`, median(torchRounds), 1, torchRounds));
    const sd = results.find((r) => r.shape === name && r.contender === 'simdescent SIMD');
    for (const r of results.filter((q) => q.shape === name)) {
      r.simdSpeedup = r.secondsPerStep / sd.secondsPerStep;
      if (peak) r.fractionOfPeak = r.gflops / peak.gflops;
      console.log(`${name}: ${r.contender.padEnd(28)} ${fmtTime(r.secondsPerStep).padStart(10)}/step ${Math.round(r.samplesPerSecond).toLocaleString('en-US').padStart(10)} samples/s ${r.gflops.toFixed(2).padStart(6)} GFLOP/s  SIMD ×${r.simdSpeedup.toFixed(1)}`);
    }
  }
  const data = {
    suite: 'training',
    meta: { ...meta, loadAverageEnd: os.loadavg().map((x) => +x.toFixed(2)) },
    config: {
      shapes: SHAPES,
      activation: 'relu',
      loss: 'softmaxCrossEntropy',
      optimizer: { name: 'adam', lr: LR },
      batchesCycled: K,
      rounds,
      maxTimePerCaseSeconds: maxTime,
      flopsPerSample: Object.fromEntries(SHAPES.map((s) => [shapeName(s), flopsPerSample(s.layers)])),
      flopsNote: 'multiply-adds × 2 for the forward, weight-gradient and input-gradient (layers after the first) products; element-wise work not counted',
      tfjs: { wasmSimd, wasmThreads: false, layers: tfl ? meta.versions['@tensorflow/tfjs-layers'] : null, coreOps: 'tf.fused.matMul (bias, relu) + tf.losses.softmaxCrossEntropy inside tf.variableGrads, tf.train.adam applyGradients, in tf.tidy' },
      peak128: peak,
      torch: torch ? { python: torch.python, version: torch.version, threads: 1, blas: torch.blas ?? null, blasThreads: torch.blasThreads ?? null } : null,
      method: 'per round: one benny suite with every JS contender (rotated order each round), then PyTorch in a child process; median over rounds of each round\'s median',
    },
    notes,
    checks,
    results,
  };
  data.markdown = trainingMarkdown(data);
  writeResult('training', data);
  return data;
}

function trainingMarkdown(d) {
  const x = (r) => (r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(1)}×`);
  const x2 = (r) => (r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);
  const out = [
    '`npm run bench:training` → `bench/training.bench.mjs` (+ `bench/torch_mlp.py`), results in `bench/results/training.json`.',
    'One training step = forward + backward + Adam (lr 1e-3) on a batch of synthetic data (8 distinct batches cycled),',
    'ReLU hidden layer, softmax cross-entropy. simdescent runs `model.lossAndGrad(x, y, n)` + `opt.step()` through the',
    'public API (x copied into WASM each step); the plain-JS MLP uses `Float32Array`s and straightforward loops;',
    `TensorFlow.js runs a core-ops loop (${d.config.tfjs.coreOps}), wasm backend single-threaded with SIMD ${d.config.tfjs.wasmSimd ? 'on' : 'off'}.`,
    d.config.torch
      ? `PyTorch ${d.config.torch.version} (Debian's python3-torch), \`torch.set_num_threads(1)\`, nn.Sequential + CrossEntropyLoss + optim.Adam; ` +
        `its matrix products go through the system BLAS, here ${(d.config.torch.blas ?? ['unknown']).find((b) => /openblas-r|libblas/.test(b)) ?? d.config.torch.blas?.[0]} ` +
        ((d.config.torch.blas ?? []).some((b) => b.includes('openblas'))
          ? `(OpenBLAS held to one thread with OPENBLAS_NUM_THREADS=1${d.config.torch.blasThreads === 1 ? ', which it reported' : ''}: Debian's python3-torch pulls in the pthreads OpenBLAS, which otherwise runs a thread per core whatever torch.set_num_threads says; Debian's default without OpenBLAS is the netlib reference BLAS, with which PyTorch took about 8× longer per step on the large shape in a quick check).`
          : '(**the reference BLAS: PyTorch is far slower with it than with OpenBLAS or MKL; install libopenblas0-serial for a fair baseline**).')
      : '',
    `${d.config.method.charAt(0).toUpperCase() + d.config.method.slice(1)} (${d.config.rounds} rounds).`,
    `GFLOP/s counts ${d.config.flopsNote} (${Object.entries(d.config.flopsPerSample).map(([k, v]) => `${k.split('/')[0]}: ${v.toLocaleString('en-US')} FLOPs per sample`).join(', ')}).`,
    '',
    `Machine: ${d.meta.cpu}, ${d.meta.cores} cores; Node ${d.meta.node}; commit ${d.meta.commit}${d.meta.uncommittedSources ? ' (plus uncommitted changes in src/ or assembly/)' : ''}, ${d.meta.date.slice(0, 16).replace('T', ' ')} UTC; load average ${d.meta.loadAverage[0]} at the start, ${d.meta.loadAverageEnd[0]} at the end (2 cores).`,
    '',
    'Checked before timing (same initial params and batches, losses of 5 consecutive steps): ' +
      Object.entries(d.checks)
        .map(([s, c]) => `${s}: ${Object.entries(c.contenders).map(([n, v]) => `${n} ${v}`).join('; ')}`)
        .join('. ') +
      '.',
    '',
    ...d.notes.map((n) => `Note: ${n}.`),
    '',
  ];
  for (const s of Object.keys(d.config.flopsPerSample)) {
    const pk = d.config.peak128;
    out.push(`### ${s}`, '', `| contender | time per step | samples/s | GFLOP/s |${pk ? ' of 128-bit peak |' : ''} simdescent SIMD speed-up |`, `| --- | ---: | ---: | ---: |${pk ? ' ---: |' : ''} ---: |`);
    for (const r of d.results.filter((q) => q.shape === s)) {
      out.push(
        `| ${r.contender} | ${fmtTime(r.secondsPerStep)} | ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} | ${r.gflops.toFixed(2)} |` +
          `${pk ? ` ${(r.fractionOfPeak * 100).toFixed(0)}% |` : ''} ${r.contender === 'simdescent SIMD' ? '—' : x(r.simdSpeedup)} |`,
      );
    }
    out.push('');
  }
  // Targets of issue 4.
  const sp = (s, pred) => d.results.find((r) => r.shape === s && pred(r.contender));
  const shapes = Object.keys(d.config.flopsPerSample);
  const rows = [];
  for (const s of shapes) {
    const tw = [sp(s, (c) => c === 'tfjs-wasm core ops'), sp(s, (c) => c === 'tfjs-wasm model.fit')].filter(Boolean).sort((a, b) => a.secondsPerStep - b.secondsPerStep)[0];
    rows.push(`| ≥ 8× tfjs-wasm (its faster path) at ${s} | ${x2(tw.simdSpeedup)} (vs ${tw.contender}) | ${tw.simdSpeedup >= 8 ? 'met' : '**not met**'} |`);
  }
  const pt = (s) => sp(s, (c) => c.startsWith('PyTorch'));
  const want = { [shapes[0]]: 2, [shapes[1]]: 1 };
  for (const s of shapes) {
    const r = pt(s);
    rows.push(`| ≥ ${want[s]}× PyTorch CPU (1 thread) at ${s} | ${r ? x2(r.simdSpeedup) : 'not measured (no torch)'} | ${r ? (r.simdSpeedup >= want[s] ? 'met' : '**not met**') : '—'} |`);
  }
  const big = sp(shapes[1], (c) => c === 'simdescent SIMD');
  const pk = d.config.peak128;
  rows.push(
    `| large shape near the 128-bit multiply-add peak | ${big.gflops.toFixed(1)} GFLOP/s${pk ? ` = ${(big.fractionOfPeak * 100).toFixed(0)}% of ${pk.gflops.toFixed(1)}` : ''} | see below |`,
  );
  out.push('### Targets (issue 4; measured, not asserted)', '', '| target | measured | |', '| --- | --- | --- |', ...rows, '');
  out.push(
    pk
      ? `The peak is measured, not quoted: \`bench/native/peak.c\` (\`gcc ${pk.flags}\`) runs 24 independent chains of 128-bit \`mulps\`/\`addps\` ` +
          `(no FMA: WebAssembly SIMD has none outside relaxed-simd) and reached ${pk.gflops.toFixed(1)} GFLOP/s on this core (best of 3×7 runs). ` +
          'V8 gives WebAssembly SIMD code 16 xmm registers at most, and a training step is more than its matrix products (activations, softmax, Adam, the copy of x ' +
          'are all in the time), so that figure is a ceiling, not a target.'
      : 'No 128-bit peak was measured (gcc absent).',
  );
  return out;
}
