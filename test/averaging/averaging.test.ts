// SWA, EMA and snapshot ensembles: the WASM passes equal a float32 reference of the same
// formula bit for bit on both builds; snapshot ensembles average predictions.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { datasets, type Engine } from '../../src/index.js';
import { SnapshotEnsemble } from '../../src/averaging/index.js';
import { bitsEqual, bothEngines, close, throwsWith } from '../_helpers.js';

const A = suite('averaging');
const N = 37; // SIMD body and a tail
const f = Math.fround;
let engines: Engine[];
A.before(async () => {
  engines = await bothEngines();
});

const paramsAt = (t: number) => Float32Array.from({ length: N }, (_, i) => Math.sin(i * 0.7 + t) * (1 + t / 3));

A('SWA: running mean, avg + w·(p − avg) with w = 1/(n+1) in f32; the first update copies', () => {
  for (const sd of engines) {
    const buf = sd.buffer(N);
    const swa = sd.swa(buf);
    const ref = new Float32Array(N);
    for (let t = 0; t < 7; t++) {
      buf.params.set(paramsAt(t));
      swa.update();
      if (t === 0) ref.set(buf.params);
      else {
        const w = f(1 / (t + 1));
        for (let i = 0; i < N; i++) ref[i] = f(ref[i] + f(w * f(buf.params[i] - ref[i])));
      }
    }
    assert.ok(bitsEqual(swa.params, ref), `simd=${sd.simd}`);
    assert.is(swa.updates, 7);
    // Close to the exact mean of the 7 points.
    const mean = Array.from({ length: N }, (_, i) => [0, 1, 2, 3, 4, 5, 6].reduce((a, t) => a + paramsAt(t)[i], 0) / 7);
    close(swa.params, mean, { atol: 1e-6, rtol: 1e-5, what: 'swa mean' });
    // with(): evaluates with the average, then puts the live params back.
    const live = Float32Array.from(buf.params);
    const seen = swa.with(() => Float32Array.from(buf.params));
    assert.ok(bitsEqual(seen, ref));
    assert.ok(bitsEqual(buf.params, live));
    swa.apply();
    assert.ok(bitsEqual(buf.params, ref));
    swa.dispose();
    throwsWith(() => swa.update(), Error, 'swa: used after dispose()');
    buf.dispose();
  }
});

A('EMA: lerp(ema, p, 1 − decay) from a copy of the params; timm warmup decays', () => {
  for (const sd of engines) {
    for (const warmup of [false, true]) {
      const buf = sd.buffer(N);
      buf.params.set(paramsAt(0));
      const ema = sd.ema(buf, { decay: 0.9, warmup });
      const ref = Float32Array.from(buf.params);
      const decays: number[] = [];
      for (let u = 1; u <= 6; u++) {
        buf.params.set(paramsAt(u));
        const d = warmup ? (u === 1 ? 0 : Math.min(0.9, 1 - (1 + (u - 1)) ** (-2 / 3))) : 0.9;
        decays.push(ema.currentDecay);
        ema.update();
        const w = f(1 - d);
        for (let i = 0; i < N; i++) ref[i] = f(ref[i] + f(w * f(buf.params[i] - ref[i])));
        assert.is(decays[u - 1], d);
      }
      assert.ok(bitsEqual(ema.params, ref), `simd=${sd.simd} warmup=${warmup}`);
      if (warmup) {
        assert.is(decays[0], 0);
        close(decays[1], 1 - 2 ** (-2 / 3), { atol: 1e-15 });
      }
      ema.dispose();
      buf.dispose();
    }
  }
});

A('EMA and SWA errors', () => {
  const sd = engines[0];
  const buf = sd.buffer(4);
  throwsWith(() => sd.ema(buf, { decay: 1.5 }), RangeError, 'decay', '[0, 1]');
  throwsWith(() => sd.ema(buf, { decey: 0.9 } as any), TypeError, "unknown option 'decey'");
  throwsWith(() => sd.swa({} as any), TypeError, 'swa: buffer must be made by sd.buffer()');
  throwsWith(() => sd.swa(buf).apply(), Error, 'swa: nothing averaged yet');
  const other = engines[1].buffer(4);
  throwsWith(() => sd.ema(other), TypeError, 'ema: buffer belongs to another engine');
  other.dispose();
  buf.dispose();
  throwsWith(() => sd.swa(buf), Error, 'swa: buffer was disposed');
});

A('snapshot ensemble: mean of the snapshots’ probabilities; identical snapshots = the model', () => {
  const sd = engines[0];
  const data = datasets.blobs({ count: 120, features: 4, classes: 3, seed: 3 });
  const model = sd.mlp({ layers: [4, 8, 3], seed: 2 });
  const ens = new SnapshotEnsemble(model);
  throwsWith(() => ens.predict(data.x, data.count), Error, 'no snapshot taken yet');
  ens.take();
  ens.take();
  const acc = model.evaluate(data.x, data.y, data.count).accuracy!;
  assert.is(ens.accuracy(data), acc);
  const p1 = model.predict(data.x, data.count);
  for (let i = 0; i < model.buffer.size; i++) model.buffer.params[i] *= -0.5;
  ens.take();
  const p2 = model.predict(data.x, data.count);
  const mean = ens.predict(data.x, data.count);
  close(mean, Array.from(p1, (v, i) => (2 * v + p2[i]) / 3), { atol: 1e-7, what: 'ensemble probabilities' });
  assert.ok(bitsEqual(model.predict(data.x, data.count), p2), 'live params restored');
  model.dispose();
});

A.run();
