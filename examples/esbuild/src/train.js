// The runs both the page and the Node check perform: a small MLP learns XOR-quadrants from
// seeded synthetic points (arithmetic only, so every JavaScript engine makes the same data),
// once with a hand-written full-batch Adam loop and once with sd.fit (shuffled mini-batches,
// a cosine schedule, validation). Same bits in, same bits out — on any engine with the same build.
import { schedule } from 'simdescent';

/** 256 points in [-1, 1)², label 1 where x·y > 0, from a 32-bit LCG (no Math.random). */
export function quadrants(count = 256, seed = 12345) {
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
  for (let i = 0; i < count; i++) {
    const a = next();
    const b = next();
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = a * b > 0 ? 1 : 0;
  }
  return { x, y, count };
}

const bitsOf = (params) => Array.from(new Uint32Array(params.buffer, params.byteOffset, params.length));

/** Train and report: first and last loss, accuracy and the final params (as u32 bit patterns). */
export async function train(sd, { steps = 150 } = {}) {
  const data = quadrants();
  const model = sd.mlp({ layers: [2, 16, 16, 2], activation: 'tanh', loss: 'softmaxCrossEntropy', seed: 7 });
  const opt = sd.optimizer('adam', { buffer: model.buffer, lr: 0.02 });
  const losses = [];
  for (let t = 0; t < steps; t++) {
    losses.push(model.lossAndGrad(data.x, data.y, data.count));
    opt.step();
  }
  const { loss, accuracy } = model.evaluate(data.x, data.y, data.count);
  const bits = bitsOf(model.buffer.params);
  opt.dispose();
  model.dispose();

  const fitted = sd.mlp({ layers: [2, 16, 16, 2], activation: 'tanh', loss: 'softmaxCrossEntropy', seed: 8 });
  const history = await sd.fit(fitted, { ...data, features: 2, classes: 2 }, {
    optimizer: { name: 'adam', lr: 0.02 },
    schedule: schedule('cosine', { lr: 0.02, tMax: 15 }),
    epochs: 15,
    batchSize: 32,
    shuffle: true,
    seed: 3,
    validation: 0.25,
  });
  const fit = {
    losses: history.epochs.map((e) => e.loss),
    valAccuracy: history.epochs[history.epochs.length - 1].valAccuracy,
    bits: bitsOf(fitted.buffer.params),
  };
  fitted.dispose();
  return { simd: sd.simd, firstLoss: losses[0], loss, accuracy, bits, fit };
}
