// Digits training off the main thread: its own engine (and WASM memory), the dataset, the
// current model. Messages in: init, train, stop, lrFinder, predict. Out: ready, batch, epoch,
// done, lrFinder, prediction, error.
import * as lib from 'simdescent';
import type { Engine, Model } from 'simdescent';

export interface TrainConfig {
  optimizer: { name: string } & Record<string, unknown>;
  schedule: { name: string; options: Record<string, unknown> } | null;
  epochs: number;
  batchSize: number;
  hidden: number[];
  activation: string;
  seed: number;
}

let sd: Engine;
let data: Awaited<ReturnType<typeof lib.datasets.digits>>;
let model: Model | undefined;
let abort: AbortController | undefined;
const post = (msg: unknown) => (self as unknown as Worker).postMessage(msg);
const breathe = () => new Promise<void>((r) => setTimeout(r, 0));

function makeSchedule(s: TrainConfig['schedule']) {
  return s ? lib.schedule(s.name as any, s.options) : undefined;
}

function newModel(c: TrainConfig): Model {
  model?.dispose();
  model = sd.mlp({ layers: [data.features, ...c.hidden, data.classes ?? 10], activation: c.activation as any, loss: 'softmaxCrossEntropy', seed: c.seed });
  return model;
}

async function train(c: TrainConfig): Promise<void> {
  abort = new AbortController();
  const m = newModel(c);
  const sched = makeSchedule(c.schedule);
  let batches = 0;
  const onBatchEnd = async (info: { step: number; epoch: number; loss: number; lr: number }) => {
    post({ type: 'batch', step: info.step, epoch: info.epoch, loss: info.loss, lr: info.lr });
    // Let a "stop" message in now and then.
    if (++batches % 8 === 0) await breathe();
  };
  const onEpochEnd = async (e: any) => {
    post({ type: 'epoch', entry: { epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, valAccuracy: e.valAccuracy, lr: e.lr, ms: e.ms } });
    await breathe();
  };
  const history = await sd.fit(m, data, {
    optimizer: c.optimizer,
    schedule: sched,
    scheduleUnit: 'iteration',
    epochs: c.epochs,
    batchSize: c.batchSize,
    shuffle: true,
    seed: c.seed,
    validation: 0.2,
    signal: abort.signal,
    onBatchEnd: (info: any) => onBatchEnd({ step: info.step, epoch: info.epoch - 1 + info.batch / info.batches, loss: info.loss, lr: info.lr }),
    onEpochEnd,
  });
  const stopReason = history.stopReason;
  post({ type: 'done', stopReason, workers: history.workers ?? 1 });
}

async function lrFinder(c: TrainConfig): Promise<void> {
  const m = newModel(c);
  const { lr: _ignored, ...optimizer } = c.optimizer;
  const o = { start: 1e-6, end: 10, steps: 120, seed: c.seed };
  const found = await sd.lrFinder(m, data, { ...o, optimizer });
  // The finder trained the model: start the next run from a fresh one.
  model?.dispose();
  model = undefined;
  post({ type: 'lrFinder', lrs: found.lrs, losses: found.losses, smoothed: found.smoothed, suggestions: found.suggestions });
}

self.onmessage = async (e: MessageEvent) => {
  const msg = e.data;
  try {
    switch (msg.type) {
      case 'init': {
        // Threads where the page is cross-origin isolated (fit shards batches of ≥128 rows);
        // elsewhere init prints one notice and uses this thread alone.
        sd = await lib.init(msg.simd === false ? { simd: false } : { workers: 'auto', fma: msg.fma === true });
        data = await lib.datasets.digits();
        const shared = typeof SharedArrayBuffer === 'function' && (sd as any).kernels.memory.buffer instanceof SharedArrayBuffer;
        post({ type: 'ready', simd: sd.simd, core: sd.core, count: data.count, threads: shared ? navigator.hardwareConcurrency : 1 });
        break;
      }
      case 'train':
        await train(msg.config);
        break;
      case 'stop':
        abort?.abort();
        break;
      case 'lrFinder':
        await lrFinder(msg.config);
        break;
      case 'predict': {
        if (!model) {
          post({ type: 'prediction', probs: null });
          break;
        }
        post({ type: 'prediction', probs: Array.from(model.predict(msg.x, 1)) });
        break;
      }
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
