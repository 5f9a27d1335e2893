// Stand-ins for library pieces still being written (fit):
// each is used only while the library's own throws "not available yet", so the playground
// picks the real one up as soon as it lands. Deliberately minimal.
import { Random, type Engine, type Model, type Optimizer } from 'simdescent';

export const notYet = (err: unknown) => err instanceof Error && /not available yet/.test(err.message);

export interface Dataset {
  x: Float32Array;
  y: Int32Array;
  count: number;
  features: number;
  classes: number;
}

export interface Sched {
  lrAt(t: number): number;
}

export interface MiniFitOptions {
  optimizer: Optimizer;
  schedule?: Sched;
  epochs: number;
  batchSize: number;
  seed: number;
  validation: number;
  signal: AbortSignal;
  onBatchEnd(info: { step: number; epoch: number; loss: number; lr: number }): void | Promise<void>;
  onEpochEnd(entry: { epoch: number; loss: number; valLoss: number; valAccuracy: number; lr: number; ms: number }): void | Promise<void>;
}

/** Shuffled mini-batches, iteration-unit schedule (t = epoch + i/iters), hold-out validation. */
export async function miniFit(sd: Engine, model: Model, data: Dataset, o: MiniFitOptions): Promise<{ stopReason: string }> {
  const rng = new Random(o.seed);
  const order = Array.from({ length: data.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nVal = Math.round(data.count * o.validation);
  const val = order.slice(0, nVal);
  const train = order.slice(nVal);
  const F = data.features;
  const take = (idx: number[]) => {
    const x = new Float32Array(idx.length * F);
    const y = new Int32Array(idx.length);
    idx.forEach((r, k) => {
      x.set(data.x.subarray(r * F, r * F + F), k * F);
      y[k] = data.y[r];
    });
    return { x, y };
  };
  const v = take(val);
  const iters = Math.ceil(train.length / o.batchSize);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const t0 = performance.now();
    for (let i = train.length - 1; i > 0; i--) {
      const j = Math.floor(rng.float() * (i + 1));
      [train[i], train[j]] = [train[j], train[i]];
    }
    let sum = 0;
    for (let b = 0; b < iters; b++) {
      if (o.signal.aborted) return { stopReason: 'aborted' };
      const rows = train.slice(b * o.batchSize, (b + 1) * o.batchSize);
      const { x, y } = take(rows);
      if (o.schedule) o.optimizer.lr = o.schedule.lrAt(epoch + b / iters);
      const loss = model.lossAndGrad(x, y, rows.length);
      o.optimizer.step();
      sum += loss * rows.length;
      await o.onBatchEnd({ step: step++, epoch: epoch + b / iters, loss, lr: o.optimizer.lr });
    }
    const ev = model.evaluate(v.x, v.y, val.length);
    await o.onEpochEnd({ epoch: epoch + 1, loss: sum / train.length, valLoss: ev.loss, valAccuracy: ev.accuracy ?? NaN, lr: o.optimizer.lr, ms: performance.now() - t0 });
  }
  return { stopReason: 'completed' };
}
