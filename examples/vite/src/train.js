// The run both the page and the Node check perform: a small MLP learns XOR-quadrants from
// seeded synthetic points (arithmetic only, so every JavaScript engine makes the same data),
// full-batch Adam, fixed seeds. Same bits in, same bits out — on any engine with the same build.

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

/** Train and report: the first and last loss, accuracy and the final params (as u32 bit patterns). */
export function train(sd, { steps = 150 } = {}) {
  const data = quadrants();
  const model = sd.mlp({ layers: [2, 16, 16, 2], activation: 'tanh', loss: 'softmaxCrossEntropy', seed: 7 });
  const opt = sd.optimizer('adam', { buffer: model.buffer, lr: 0.02 });
  const losses = [];
  for (let t = 0; t < steps; t++) {
    losses.push(model.lossAndGrad(data.x, data.y, data.count));
    opt.step();
  }
  const { loss, accuracy } = model.evaluate(data.x, data.y, data.count);
  const params = model.buffer.params;
  const bits = Array.from(new Uint32Array(params.buffer, params.byteOffset, params.length));
  opt.dispose();
  model.dispose();
  return { simd: sd.simd, firstLoss: losses[0], loss, accuracy, bits };
}
