// Shared by the MLP suites (test/models/mlp.test.ts, test/core-choice.test.ts): seeded noise and
// targets for each loss, made without the library's RNG, and the PyTorch digits replay.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import type { Mlp } from '../../src/models/mlp.js';
import { close, fixture } from '../_helpers.js';
import type { Net } from './_reference.js';

/** Deterministic pseudo-random values in [-1, 1) without touching the library's RNG. */
export function noise(len: number, seed: number): Float32Array {
  const out = new Float32Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

export function targets(loss: Net['loss'], n: number, m: number, seed: number): Int32Array | Float32Array {
  const u = noise(n * m, seed);
  if (loss === 'softmaxCrossEntropy') return Int32Array.from({ length: n }, (_, i) => Math.floor((u[i] + 1) * 0.5 * m) % m);
  if (loss === 'mse') return u.map((v) => 2 * v);
  return u.map((v) => (v > 0 ? 1 : 0.25 * (v + 1))); // hard and soft targets in [0, 1]
}

const digitsDir = fileURLToPath(new URL('../../data/digits/', import.meta.url));

/**
 * Replay the PyTorch 1.13.1 fixture train-digits-adam on an engine: losses within 1e-4
 * relative and params within 1e-4 absolute at every recorded step (asserted); returns the
 * worst errors seen.
 */
export function replayDigits(e: Engine, what: string): { lossErr: number; paramErr: number } {
  const fx = fixture('train-digits-adam');
  const images = readFileSync(`${digitsDir}digits-images.u8`);
  const labels = readFileSync(`${digitsDir}digits-labels.u8`);
  const [inputs] = fx.model.layers;
  const model = e.mlp({ ...fx.model, seed: 0 }) as Mlp;
  assert.is(model.buffer.size, fx.paramCount);
  model.buffer.params.set(fx.params0);
  const opt = e.optimizer(fx.optimizer, { buffer: model.buffer, ...fx.options });
  const bs = fx.batchSize;
  const x = new Float32Array(bs * inputs);
  const y = new Int32Array(bs);
  let lossErr = 0;
  let paramErr = 0;
  const checkParams = (want: number[], at: string) => {
    close(model.buffer.params, want, { atol: 1e-4, what: `${what} ${at}` });
    const p = model.buffer.params;
    for (let i = 0; i < want.length; i++) paramErr = Math.max(paramErr, Math.abs(p[i] - want[i]));
  };
  for (let s = 0; s < fx.steps; s++) {
    fx.batches[s].forEach((idx: number, j: number) => {
      for (let k = 0; k < inputs; k++) x[j * inputs + k] = Math.fround(images[idx * inputs + k]) / 16;
      y[j] = labels[idx];
    });
    const loss = model.lossAndGrad(x, y, bs);
    close(loss, fx.losses[s], { rtol: 1e-4, what: `${what} loss[${s}]` });
    lossErr = Math.max(lossErr, Math.abs(loss - fx.losses[s]) / Math.abs(fx.losses[s]));
    opt.lr = fx.lrs[s];
    opt.step();
    const at = fx.paramsAt[String(s + 1)];
    if (at) checkParams(at, `paramsAt[${s + 1}]`);
  }
  checkParams(fx.paramsFinal, 'paramsFinal');
  opt.dispose();
  model.dispose();
  return { lossErr, paramErr };
}
