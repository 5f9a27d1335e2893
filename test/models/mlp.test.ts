// sd.mlp(): gradients against float64 finite differences for every activation × loss, the
// PyTorch training fixture, parameter layout, seeded init, predictions, evaluation, the
// staging API, bad input and dispose — on the SIMD and the scalar build.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import type { Mlp } from '../../src/models/mlp.js';
import { bitsEqual, bothEngines, close, throwsWith } from '../_helpers.js';
import { forward, meanLoss, numericGrad, type Net } from './_reference.js';
import { noise, replayDigits, targets } from './_inputs.js';

const M = suite('models/mlp');

let engines: Engine[];
let sd: Engine;
let scalar: Engine;
M.before(async () => {
  engines = await bothEngines();
  [sd, scalar] = engines;
});

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'] as const;
const LOSSES = ['softmaxCrossEntropy', 'mse', 'sigmoidBinaryCrossEntropy'] as const;
const label = (e: Engine) => (e.simd ? 'simd' : 'scalar');

const mlp = (e: Engine, o: any) => e.mlp(o) as Mlp;

// ---- gradients ----

M('lossAndGrad matches float64 central differences for every activation × loss (both builds)', () => {
  // Widths 5, 11, 9, 3 and 7 rows exercise every register-block tail (rows and columns).
  const shapes = [[5, 11, 9, 3], [6, 4]];
  const worst = { loss: 0, grad: 0 };
  for (const e of engines) {
    for (const layers of shapes) {
      for (const activation of ACTIVATIONS) {
        for (const loss of LOSSES) {
          const net: Net = { layers, activation, loss };
          const model = mlp(e, { ...net, seed: 7 });
          const n = 7;
          const m = layers[layers.length - 1];
          const x = noise(n * layers[0], 11).map((v) => 2 * v);
          const y = targets(loss, n, m, 13);
          const got = model.lossAndGrad(x, y, n);
          const params = model.buffer.params;
          const want = meanLoss(net, params, x, y, n);
          const fd = numericGrad(net, params, x, y, n);
          const what = `${label(e)} ${layers.join('-')} ${activation} ${loss}`;
          close(got, want, { rtol: 1e-6, what: `${what} loss` });
          close(model.buffer.grads, fd, { rtol: 1e-4, atol: 1e-6, what: `${what} grad` });
          worst.loss = Math.max(worst.loss, Math.abs(got - want) / Math.abs(want));
          for (let i = 0; i < fd.length; i++) worst.grad = Math.max(worst.grad, Math.abs(model.buffer.grads[i] - fd[i]));
          model.dispose();
        }
      }
    }
  }
  assert.ok(worst.grad > 0, 'float32 gradients cannot equal float64 differences exactly');
});

M('sigmoidBinaryCrossEntropy with one output takes Int32 labels as 0/1 targets', () => {
  for (const e of engines) {
    const net: Net = { layers: [4, 6, 1], activation: 'tanh', loss: 'sigmoidBinaryCrossEntropy' };
    const model = mlp(e, { ...net, seed: 2 });
    const n = 9;
    const x = noise(n * 4, 5);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const asFloat = Float32Array.from(labels);
    const a = model.lossAndGrad(x, labels, n);
    const ga = model.buffer.grads.slice();
    const b = model.lossAndGrad(x, asFloat, n);
    assert.is(a, b);
    assert.ok(bitsEqual(ga, model.buffer.grads));
    close(a, meanLoss(net, model.buffer.params, x, asFloat, n), { rtol: 1e-6 });
    close(model.buffer.grads, numericGrad(net, model.buffer.params, x, asFloat, n), { rtol: 1e-4, atol: 1e-6 });
    model.dispose();
  }
});

M('SIMD and scalar builds agree bit for bit (same summation order, no FMA)', () => {
  const cases: Array<[number[], number]> = [[[1, 1, 2], 1], [[3, 9, 17, 5], 5], [[64, 32, 10], 33], [[13, 8, 16, 7], 4], [[31, 12, 2], 3]];
  for (const [layers, n] of cases) {
    for (const activation of ACTIVATIONS) {
      for (const loss of LOSSES) {
        const out = layers[layers.length - 1];
        if (loss === 'softmaxCrossEntropy' && out < 2) continue;
        const x = noise(n * layers[0], 3);
        const y = targets(loss, n, out, 4);
        const [a, b] = engines.map((e) => mlp(e, { layers, activation, loss, seed: 5 }));
        const la = a.lossAndGrad(x, y, n);
        const lb = b.lossAndGrad(x, y, n);
        const what = `${layers.join('-')} ${activation} ${loss}`;
        assert.is(la, lb, `${what} loss`);
        assert.ok(bitsEqual(a.buffer.grads, b.buffer.grads), `${what} grads`);
        assert.ok(bitsEqual(a.predict(x, n), b.predict(x, n)), `${what} predict`);
        a.dispose();
        b.dispose();
      }
    }
  }
});

// ---- the PyTorch training fixture ----

M('replays train-digits-adam (PyTorch 1.13.1): losses within 1e-4 relative, params within 1e-4 absolute', () => {
  const report: string[] = [];
  for (const e of engines) {
    const { lossErr, paramErr } = replayDigits(e, label(e));
    report.push(`${label(e)}: losses ${lossErr.toExponential(1)} rel, params ${paramErr.toExponential(1)} abs`);
  }
  if (process.env.MLP_REPORT) console.log(`train-digits-adam worst errors: ${report.join('; ')}`);
});

// ---- layout and init ----

M('parameters map to W [out, in] row-major then b [out], layer by layer (PyTorch Linear)', () => {
  for (const e of engines) {
    const model = mlp(e, { layers: [3, 2, 2], activation: 'linear', loss: 'mse', seed: 1 });
    assert.equal(model.groups(), [
      { name: 'layer0.weight', offset: 0, length: 6 },
      { name: 'layer0.bias', offset: 6, length: 2 },
      { name: 'layer1.weight', offset: 8, length: 4 },
      { name: 'layer1.bias', offset: 12, length: 2 },
    ]);
    assert.is(model.paramCount, 14);
    // W1 = [[1, 2, 3], [4, 5, 6]], b1 = [0.5, -1]; W2 = [[1, 0], [2, -1]], b2 = [0, 10]
    model.buffer.params.set([1, 2, 3, 4, 5, 6, 0.5, -1, 1, 0, 2, -1, 0, 10]);
    const x = new Float32Array([1, 0, 2, 0, 1, 0]);
    // row 0: h = [7.5, 15] → z = [7.5, 15 − 15 + 10] = [7.5, 10]; row 1: h = [2.5, 4] → z = [2.5, 11]
    assert.equal(Array.from(model.predict(x, 2)), [7.5, 10, 2.5, 11]);
    // mse gradient of the bias of the last layer: 2·mean(z − y) per output column over 2·2 elements
    model.lossAndGrad(x, new Float32Array([7.5, 10, 2.5, 11]), 2);
    assert.ok(model.buffer.grads.every((g) => g === 0));
    model.lossAndGrad(x, new Float32Array([6.5, 10, 2.5, 9]), 2);
    assert.equal(Array.from(model.buffer.grads.subarray(12, 14)), [0.5, 1]);
    model.dispose();
  }
});

M('seeded init: deterministic, U(−1/√in, 1/√in) per layer for weights and biases', () => {
  const layers = [64, 32, 10];
  const a = mlp(sd, { layers, seed: 42 });
  const b = mlp(scalar, { layers, seed: 42 });
  const c = mlp(sd, { layers, seed: 43 });
  assert.ok(bitsEqual(a.buffer.params, b.buffer.params), 'same seed, same bits on both builds');
  assert.not.ok(bitsEqual(a.buffer.params, c.buffer.params), 'another seed, other values');
  for (const g of a.groups()) {
    const fanIn = layers[Number(g.name[5])];
    const bound = Math.fround(1 / Math.sqrt(fanIn));
    const v = a.buffer.params.subarray(g.offset, g.offset + g.length);
    const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    assert.ok(max <= bound, `${g.name}: |value| ${max} exceeds ${bound}`);
    if (g.length >= 32) {
      // Uniform on (−bound, bound): the extremes come near the bound, the mean near 0.
      assert.ok(max > 0.8 * bound, `${g.name}: max ${max} too far inside ${bound}`);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      assert.ok(Math.abs(mean) < (bound / Math.sqrt(3)) * (4 / Math.sqrt(v.length)), `${g.name}: mean ${mean}`);
    }
  }
  assert.equal(a.toJSON(), { kind: 'mlp', layers, activation: 'relu', loss: 'softmaxCrossEntropy', seed: 42 });
  const d = mlp(sd, { layers: [2, 3] });
  assert.equal(d.toJSON(), { kind: 'mlp', layers: [2, 3], activation: 'relu', loss: 'softmaxCrossEntropy', seed: 0 });
  for (const m of [a, b, c, d]) m.dispose();
});

// ---- predict and evaluate ----

M('predict: softmax rows sum to 1, sigmoid probabilities, raw outputs for mse; matches the reference', () => {
  for (const e of engines) {
    for (const loss of LOSSES) {
      const net: Net = { layers: [6, 10, 4], activation: 'tanh', loss };
      const model = mlp(e, { ...net, seed: 9 });
      const n = 11;
      const x = noise(n * 6, 17).map((v) => 3 * v);
      const p = model.predict(x, n);
      assert.is(p.length, n * 4);
      const z = forward(net, model.buffer.params, x, n);
      for (let i = 0; i < n; i++) {
        const row = p.subarray(i * 4, i * 4 + 4);
        const zr = z.subarray(i * 4, i * 4 + 4);
        let want = Array.from(zr);
        if (loss === 'softmaxCrossEntropy') {
          const mx = Math.max(...want);
          const ex = want.map((v) => Math.exp(v - mx));
          const s = ex.reduce((a, b) => a + b, 0);
          want = ex.map((v) => v / s);
          close(row.reduce((a, b) => a + b, 0), 1, { atol: 2e-7, what: `row ${i} sum` });
        } else if (loss === 'sigmoidBinaryCrossEntropy') {
          want = want.map((v) => 1 / (1 + Math.exp(-v)));
        }
        close(row, want, { atol: 1e-6, rtol: 1e-5, what: `${label(e)} ${loss} row ${i}` });
      }
      model.dispose();
    }
  }
});

M('softmax cross-entropy is stable for huge logits (log-softmax through the row maximum)', () => {
  for (const e of engines) {
    const model = mlp(e, { layers: [1, 3], activation: 'linear', loss: 'softmaxCrossEntropy' });
    model.buffer.params.set([1000, -1000, 0, 0, 0, 0]); // z = [1000x, −1000x, 0]
    const x = new Float32Array([1, -1]);
    const y = new Int32Array([1, 1]);
    const loss = model.lossAndGrad(x, y, 2);
    close(loss, 1000, { rtol: 1e-6 }); // −log softmax: row 0 → 2000, row 1 → 0
    assert.ok(model.buffer.grads.every(Number.isFinite));
    const p = model.predict(x, 2);
    assert.equal(Array.from(p), [1, 0, 0, 0, 1, 0]);
    model.dispose();
  }
});

M('binary cross-entropy on logits is stable for huge logits (max(z, 0) − z·y + log1p(exp(−|z|)))', () => {
  for (const e of engines) {
    const model = mlp(e, { layers: [1, 1], activation: 'linear', loss: 'sigmoidBinaryCrossEntropy' });
    model.buffer.params.set([1000, 0]); // z = 1000x
    const x = new Float32Array([1, -1, 1, -1]);
    const loss = model.lossAndGrad(x, new Float32Array([0, 1, 1, 0]), 4);
    close(loss, 500, { rtol: 1e-6 }); // rows: 1000, 1000, 0, 0
    // ∂/∂w = mean((σ(z) − y)·x) = (1·1 + (−1)·(−1) + 0 + 0) / 4
    close(model.buffer.grads, [0.5, 0], { atol: 1e-7 });
    assert.equal(Array.from(model.predict(x, 4)), [1, 0, 1, 0]);
    assert.equal(model.evaluate(x, new Int32Array([1, 0, 0, 0]), 4), { loss: 250, accuracy: 0.75 });
    model.dispose();
  }
});

M('evaluate: the mean loss of lossAndGrad, accuracy from argmax / threshold 0.5, grads untouched', () => {
  for (const e of engines) {
    for (const loss of LOSSES) {
      const net: Net = { layers: [5, 7, loss === 'sigmoidBinaryCrossEntropy' ? 1 : 3], activation: 'sigmoid', loss };
      const m = net.layers[2];
      const model = mlp(e, { ...net, seed: 4 });
      const n = 40;
      const x = noise(n * 5, 23).map((v) => 4 * v);
      const y = targets(loss, n, m, 29).map((v) => (loss === 'sigmoidBinaryCrossEntropy' ? Math.round(v) : v));
      model.buffer.grads.fill(123);
      const r = model.evaluate(x, y, n);
      assert.ok(model.buffer.grads.every((g) => g === 123), 'evaluate leaves grads alone');
      close(r.loss, meanLoss(net, model.buffer.params, x, y, n), { rtol: 1e-6 });
      const z = forward(net, model.buffer.params, x, n);
      if (loss === 'mse') {
        assert.is(r.accuracy, undefined);
      } else {
        let correct = 0;
        for (let i = 0; i < n; i++) {
          if (loss === 'softmaxCrossEntropy') {
            const row = Array.from(z.subarray(i * m, i * m + m));
            if (row.indexOf(Math.max(...row)) === y[i]) correct++;
          } else if ((z[i] >= 0 ? 1 : 0) === y[i]) correct++;
        }
        assert.is(r.accuracy, correct / n);
        assert.ok(correct > 0 && correct < n, 'the case should not be trivial');
      }
      close(model.lossAndGrad(x, y, n), r.loss, { rtol: 1e-12 });
      model.dispose();
    }
  }
});

// ---- staging ----

M('stage(n): live views of the WASM staging area; staged calls equal the validated ones', () => {
  for (const e of engines) {
    for (const loss of LOSSES) {
      const model = mlp(e, { layers: [8, 5, 3], activation: 'relu', loss, seed: 6 });
      const n = 10;
      const x = noise(n * 8, 1);
      const y = targets(loss, n, 3, 2);
      const want = model.lossAndGrad(x, y, n);
      const grads = model.buffer.grads.slice();
      const evalWant = model.evaluate(x, y, n);
      model.buffer.grads.fill(0);
      const s = model.stage(n);
      assert.is(s.x.length, n * 8);
      assert.ok(loss === 'softmaxCrossEntropy' ? s.y instanceof Int32Array : s.y instanceof Float32Array);
      assert.is(s.y.length, loss === 'softmaxCrossEntropy' ? n : n * 3);
      s.x.set(x);
      s.y.set(y as any);
      assert.is(model.lossAndGradStaged(n), want);
      assert.ok(bitsEqual(model.buffer.grads, grads));
      const ev = model.evaluateStaged(n);
      close(ev.lossSum / n, evalWant.loss, { rtol: 1e-12 });
      if (evalWant.accuracy !== undefined) assert.is(ev.correct / n, evalWant.accuracy);
      else assert.is(ev.correct, 0);
      // Staged rows beyond a smaller n are ignored.
      const first = model.lossAndGrad(x.subarray(0, 3 * 8), (loss === 'softmaxCrossEntropy' ? y.subarray(0, 3) : y.subarray(0, 9)) as any, 3);
      s.x.set(x); // lossAndGrad restaged rows 0..2 only; the views stay live
      s.y.set(y as any);
      assert.is(model.lossAndGradStaged(3), first);
      throwsWith(() => model.lossAndGradStaged(n + 1), RangeError, 'lossAndGradStaged', `n = ${n + 1}`, 'stage(n)');
      throwsWith(() => model.evaluateStaged(0), RangeError, 'evaluateStaged', 'n must be a positive integer, got 0');
      model.dispose();
    }
  }
});

M('scratch grows only for a bigger n: no allocation per call, results unchanged across growth', () => {
  const model = mlp(sd, { layers: [16, 12, 4], seed: 3 });
  const x = noise(64 * 16, 8);
  const y = targets('softmaxCrossEntropy', 64, 4, 9) as Int32Array;
  const small = model.lossAndGrad(x.subarray(0, 5 * 16), y.subarray(0, 5), 5);
  const g5 = model.buffer.grads.slice();
  const bytes5 = sd.memoryBytes;
  for (let i = 0; i < 20; i++) model.lossAndGrad(x.subarray(0, 5 * 16), y.subarray(0, 5), 5);
  model.lossAndGrad(x.subarray(0, 2 * 16), y.subarray(0, 2), 2);
  model.predict(x.subarray(0, 4 * 16), 4);
  assert.is(sd.memoryBytes, bytes5, 'same or smaller n: no allocation');
  model.lossAndGrad(x, y, 64);
  assert.ok(sd.memoryBytes > bytes5, 'a bigger n grows the scratch');
  const bytes64 = sd.memoryBytes;
  assert.is(model.lossAndGrad(x.subarray(0, 5 * 16), y.subarray(0, 5), 5), small);
  assert.ok(bitsEqual(model.buffer.grads, g5));
  assert.is(sd.memoryBytes, bytes64);
  model.dispose();
});

M('predict/evaluate on many rows work in passes of bounded scratch, with the same results', () => {
  for (const e of engines) {
    const net: Net = { layers: [3, 5, 4], activation: 'relu', loss: 'softmaxCrossEntropy' };
    const model = mlp(e, { ...net, seed: 8 });
    const n = 2500;
    const x = noise(n * 3, 31);
    const y = targets(net.loss, n, 4, 37) as Int32Array;
    model.evaluate(x.subarray(0, 1024 * 3), y.subarray(0, 1024), 1024);
    const bytes = e.memoryBytes;
    const r = model.evaluate(x, y, n);
    const p = model.predict(x, n);
    assert.is(e.memoryBytes, bytes, 'no scratch beyond 1024 rows');
    close(r.loss, meanLoss(net, model.buffer.params, x, y, n), { rtol: 1e-6 });
    const tail = model.predict(x.subarray(2000 * 3), 500);
    assert.ok(bitsEqual(p.subarray(2000 * 4), tail), 'rows in a later pass equal a direct call');
    const bad = x.slice();
    bad[2100 * 3 + 1] = NaN;
    throwsWith(() => model.evaluate(bad, y, n), RangeError, 'mlp.evaluate: x must be finite, got x[6301] = NaN (row 2100)');
    model.dispose();
  }
});

M('arguments that are views of WASM memory survive the scratch growing', () => {
  for (const e of engines) {
    const a = mlp(e, { layers: [4, 3, 2], seed: 1 });
    const b = mlp(e, { layers: [4, 3, 2], seed: 1 });
    const n = 3000; // big enough that b's scratch must grow memory
    const s = a.stage(n);
    s.x.set(noise(n * 4, 3));
    (s.y as Int32Array).set(targets('softmaxCrossEntropy', n, 2, 4));
    const want = a.lossAndGradStaged(n);
    assert.is(b.lossAndGrad(s.x, s.y, n), want);
    assert.ok(bitsEqual(a.buffer.grads, b.buffer.grads));
    a.dispose();
    b.dispose();
  }
});

// ---- bad input ----

M('bad options: TypeError / RangeError naming the option', () => {
  throwsWith(() => sd.mlp(undefined as any), TypeError, 'mlp: layers is required');
  throwsWith(() => sd.mlp({} as any), TypeError, 'mlp: layers is required');
  throwsWith(() => sd.mlp({ layers: [4] }), RangeError, 'mlp: layers needs at least two widths', '[4]');
  throwsWith(() => sd.mlp({ layers: '4,2' as any }), TypeError, 'mlp: layers must be an array, got "4,2"');
  throwsWith(() => sd.mlp({ layers: [4, '2' as any] }), TypeError, 'mlp: layers[1] must be a number, got "2"');
  throwsWith(() => sd.mlp({ layers: [4, 0, 2] }), RangeError, 'mlp: layers[1] must be an integer in [1, ', 'got 0');
  throwsWith(() => sd.mlp({ layers: [4, 2.5] }), RangeError, 'mlp: layers[1]', 'got 2.5');
  throwsWith(() => sd.mlp({ layers: [4, 2], activation: 'gelu' as any }), RangeError, "mlp: activation must be one of 'linear', 'relu', 'tanh', 'sigmoid', got \"gelu\"");
  throwsWith(() => sd.mlp({ layers: [4, 2], loss: 'crossEntropy' as any }), RangeError, 'mlp: loss must be one of', '"crossEntropy"');
  throwsWith(() => sd.mlp({ layers: [4, 2], seed: 1.5 }), RangeError, 'mlp: seed must be an integer, got 1.5');
  throwsWith(() => sd.mlp({ layers: [4, 2], activaton: 'relu' } as any), TypeError, "mlp: unknown option 'activaton' (did you mean 'activation'?)");
  throwsWith(() => sd.mlp({ layers: [4, 1] }), RangeError, 'softmaxCrossEntropy needs at least 2 outputs', 'sigmoidBinaryCrossEntropy');
});

M('bad arguments: TypeError / RangeError naming the argument; nothing written', () => {
  for (const e of engines) {
    const model = mlp(e, { layers: [3, 4, 2], seed: 1 });
    const bce = mlp(e, { layers: [3, 1], loss: 'sigmoidBinaryCrossEntropy', seed: 1 });
    const reg = mlp(e, { layers: [3, 2], loss: 'mse', seed: 1 });
    const x = noise(6, 1);
    const y = new Int32Array([0, 1]);
    const params = model.buffer.params.slice();
    model.buffer.grads.fill(7);
    const untouched = () => {
      assert.ok(model.buffer.grads.every((g) => g === 7), 'grads untouched');
      assert.ok(bitsEqual(model.buffer.params, params), 'params untouched');
    };
    const cases: Array<[() => unknown, Function, ...string[]]> = [
      [() => model.lossAndGrad(x, y, 0), RangeError, 'mlp.lossAndGrad: n must be a positive integer, got 0'],
      [() => model.lossAndGrad(x, y, 1.5), RangeError, 'n must be a positive integer, got 1.5'],
      [() => model.lossAndGrad(x, y, '2' as any), TypeError, 'n must be a number, got "2"'],
      [() => model.lossAndGrad(Array.from(x) as any, y, 2), TypeError, 'x must be a Float32Array, got an Array'],
      [() => model.lossAndGrad(new Float64Array(6) as any, y, 2), TypeError, 'x must be a Float32Array, got Float64Array'],
      [() => model.lossAndGrad(x.subarray(0, 5), y, 2), RangeError, 'x has length 5, expected n·inputs = 2·3 = 6'],
      [() => model.lossAndGrad(x, new Float32Array(2) as any, 2), TypeError, 'y must be an Int32Array of class labels for softmaxCrossEntropy, got Float32Array'],
      [() => model.lossAndGrad(x, new Int32Array(3), 2), RangeError, 'y has length 3, expected n = 2 labels'],
      [() => model.lossAndGrad(x, new Int32Array([0, 2]), 2), RangeError, 'labels must be in [0, 2), got y[1] = 2'],
      [() => model.lossAndGrad(x, new Int32Array([-1, 0]), 2), RangeError, 'labels must be in [0, 2), got y[0] = -1'],
      [() => model.lossAndGrad(Float32Array.from([0, 1, 2, 3, NaN, 5]), y, 2), RangeError, 'x must be finite, got x[4] = NaN (row 1)'],
      [() => model.lossAndGrad(Float32Array.from([Infinity, 1, 2, 3, 4, 5]), y, 2), RangeError, 'x[0] = Infinity'],
      [() => model.evaluate(x, new Int32Array([5, 0]), 2), RangeError, 'mlp.evaluate: labels must be in [0, 2), got y[0] = 5'],
      [() => model.predict(x, 3), RangeError, 'mlp.predict: x has length 6, expected n·inputs = 3·3 = 9'],
      [() => model.predict(x, -1), RangeError, 'mlp.predict: n must be a positive integer, got -1'],
      [() => model.stage(0), RangeError, 'mlp.stage: n must be a positive integer, got 0'],
      [() => reg.lossAndGrad(x, new Int32Array(4) as any, 2), TypeError, 'y must be a Float32Array of n·outputs targets for mse, got Int32Array'],
      [() => reg.lossAndGrad(x, new Float32Array(2), 2), RangeError, 'y has length 2, expected n·outputs = 2·2 = 4'],
      [() => reg.lossAndGrad(x, Float32Array.from([0, 1, NaN, 0]), 2), RangeError, 'y must be finite, got y[2] = NaN'],
      [() => bce.lossAndGrad(x, Float32Array.from([0, 1.5]), 2), RangeError, 'targets must be in [0, 1] for sigmoidBinaryCrossEntropy, got y[1] = 1.5'],
      [() => bce.lossAndGrad(x, new Int32Array([0, 2]), 2), RangeError, 'labels must be in [0, 2), got y[1] = 2'],
      [() => bce.lossAndGrad(x, [0, 1] as any, 2), TypeError, 'or an Int32Array of n labels in {0, 1}', 'got an Array'],
    ];
    for (const [fn, type, ...msg] of cases) {
      throwsWith(fn, type, ...msg);
      untouched();
    }
    // A batch too large for 4 GiB of WebAssembly memory: a RangeError up front, model unchanged.
    const wide = mlp(e, { layers: [1 << 16, 2] });
    throwsWith(() => wide.stage(1 << 15), RangeError, 'mlp: a batch of 32768 rows needs', 'bytes of WebAssembly scratch', '4 GiB');
    const sx = wide.stage(2).x;
    assert.is(sx.length, 2 << 16);
    wide.dispose();
    model.dispose();
    bce.dispose();
    reg.dispose();
  }
});

M('dispose: idempotent, frees every block, later calls throw', () => {
  const before = sd.memoryBytes;
  const model = mlp(sd, { layers: [10, 20, 3], seed: 1 });
  model.lossAndGrad(noise(40, 2), new Int32Array([0, 1, 2, 0]), 4);
  model.dispose();
  model.dispose();
  assert.is(sd.memoryBytes, before, 'all memory returned');
  throwsWith(() => model.lossAndGrad(noise(40, 2), new Int32Array(4), 4), Error, 'mlp.lossAndGrad: the model was disposed');
  throwsWith(() => model.predict(noise(40, 2), 4), Error, 'mlp.predict: the model was disposed');
  throwsWith(() => model.stage(4), Error, 'mlp.stage: the model was disposed');
  throwsWith(() => model.lossAndGradStaged(4), Error, 'mlp.lossAndGradStaged: the model was disposed');
  throwsWith(() => model.buffer.params, Error, 'used after dispose');
});

M.run();
