// The run the threads page and the Node reference both perform: an MLP on seeded synthetic
// data (arithmetic only, so every engine makes the same rows), batches of 256 so fit shards
// them over the workers.
export function data(count = 2048, features = 8, classes = 4) {
  const x = new Float32Array(count * features);
  const y = new Int32Array(count);
  let s = 2024;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
  for (let i = 0; i < count; i++) {
    let score = 0;
    for (let j = 0; j < features; j++) {
      const v = next();
      x[i * features + j] = v;
      score += j % 2 ? v : -v;
    }
    y[i] = Math.min(classes - 1, Math.floor((score + 2) * (classes / 4)) < 0 ? 0 : Math.floor((score + 2) * (classes / 4)));
  }
  return { x, y, count, features, classes };
}

export async function run(sd) {
  const model = sd.mlp({ layers: [8, 64, 64, 4], activation: 'relu', seed: 5 });
  const history = await sd.fit(model, data(), { optimizer: { name: 'adam', lr: 0.01 }, epochs: 3, batchSize: 256, shuffle: true, seed: 2 });
  const p = model.buffer.params;
  const result = { losses: history.epochs.map((e) => e.loss), bits: Array.from(new Uint32Array(p.buffer, p.byteOffset, p.length)) };
  model.dispose();
  return result;
}

/**
 * A first layer wide enough (96 → 256) that sharded batches cut its weight gradient into
 * row-block tasks, which wait for their shard's pass — on the page's main thread by going
 * back to the event loop (src/threads/shard.ts).
 */
export async function runWide(sd) {
  const model = sd.mlp({ layers: [96, 256, 4], activation: 'relu', seed: 6 });
  const history = await sd.fit(model, data(1024, 96, 4), { optimizer: { name: 'adam', lr: 0.005 }, epochs: 2, batchSize: 256, shuffle: true, seed: 3 });
  const p = model.buffer.params;
  const result = { losses: history.epochs.map((e) => e.loss), bits: Array.from(new Uint32Array(p.buffer, p.byteOffset, p.length)) };
  model.dispose();
  return result;
}
