// exportTorch / importTorch in the library (no PyTorch needed): the exported files, train.py
// a whole Python script, a train.py-shaped result imported bit for bit,
// and every bad input refused with a message naming it, changing nothing.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/interop/safetensors.js';
import { TORCH_FORMAT, type TorchData, type TorchFiles } from '../../src/interop/torch.js';
import { TRAIN_PY } from '../../src/interop/torch-script.js';
import { decodeState } from '../../src/optimizers/state.js';
import { Random } from '../../src/random.js';
import type { Checkpoint } from '../../src/train/types.js';
import { bitsEqual, bothEngines, throwsWith } from '../_helpers.js';

const T = suite('interop/torch');
let sd: Engine;
let ck: Checkpoint;
const rows = 40;
const data: TorchData = {
  csv: '/data/points.csv',
  delimiter: ',',
  names: ['u', 'v', 'y'],
  rows,
  preprocessor: {
    format: 'simdescent-preprocessor/1',
    label: 'y',
    task: 'classification',
    classes: ['a', 'b'],
    standardize: true,
    columns: [
      { name: 'u', kind: 'numeric', mean: 0, std: 1, median: 0, indicator: false },
      { name: 'v', kind: 'numeric', mean: 0, std: 1, median: 0, indicator: false },
    ],
    inputs: ['u', 'v'],
    fitted: { rows: 32, filled: 0 },
  },
  split: { train: Array.from({ length: 32 }, (_, i) => i), validation: Array.from({ length: 8 }, (_, i) => 32 + i) },
};

T.before(async () => {
  [sd] = await bothEngines();
  const x = new Float32Array(rows * 2).map((_, i) => Math.sin(i * 1.7));
  const y = Int32Array.from({ length: rows }, (_, i) => (x[2 * i] > 0 ? 1 : 0));
  const train = { x: x.slice(0, 64), y: y.slice(0, 32), count: 32, features: 2, classes: 2 };
  const model = sd.mlp({ layers: [2, 5, 2], seed: 3 });
  await sd.fit(model, train, {
    optimizer: { name: 'adam', lr: 0.01 },
    schedule: { name: 'cosine', options: { lr: 0.01, tMax: 4 } },
    epochs: 2,
    batchSize: 10,
    seed: 7,
    onCheckpoint: (c: Checkpoint) => {
      ck = c;
    },
  });
  model.dispose();
});

T('train.py is the whole script, free of template-literal escapes', () => {
  assert.ok(TRAIN_PY.startsWith('#!/usr/bin/env python3\n'));
  assert.ok(TRAIN_PY.includes("if __name__ == '__main__':\n    main()"), 'ends with its entry point');
  assert.ok(TRAIN_PY.includes("text.startswith('\\ufeff')"), 'backslashes kept as written (String.raw)');
});

T('export: PyTorch names, the optimizer state and the run position in the metadata', () => {
  const files = sd.exportTorch({ checkpoint: ck, data, batchSize: 10 });
  assert.equal(Object.keys(files).sort(), ['data.json', 'model.safetensors', 'train.py']);
  const f = decodeSafetensors(files['model.safetensors']);
  assert.equal(Object.keys(f.tensors).filter((k) => !k.startsWith('state.') && !k.startsWith('best.')), ['0.weight', '0.bias', '2.weight', '2.bias']);
  // The divergence guard's best params, for train.py to restore where fit would.
  assert.ok(bitsEqual(f.tensors['best.2.bias'].data, ck.bestParams!.subarray(ck.bestParams!.length - 2)));
  assert.equal(f.tensors['0.weight'].shape, [5, 2]);
  for (const k of ['exp_avg', 'exp_avg_sq', 'step']) assert.ok(f.tensors[`state.3.${k}`], `state.3.${k}`);
  assert.is(f.tensors['state.0.step'].data[0], 8);
  const run = JSON.parse(f.metadata!['simdescent.run']);
  assert.is(f.metadata!['simdescent.format'], TORCH_FORMAT);
  assert.is(run.epoch, 2);
  assert.is(run.steps, 8);
  assert.is(run.iters, 4);
  assert.equal(run.rng, ck.rngState);
  // The checkpoint's schedule as it is, defaults of the Keras/Optax options included.
  assert.equal(run.schedule, ck.schedule);
  assert.equal({ ...run.schedule.options, exponent: undefined, hold: undefined }, { lr: 0.01, tMax: 4, lrMin: 0, exponent: undefined, hold: undefined });
  const saved = decodeState(ck.optimizerState);
  assert.ok(bitsEqual(f.tensors['state.0.exp_avg'].data, saved.arrays[1].subarray(0, 10)));
  assert.equal(JSON.parse(new TextDecoder().decode(files['data.json'])), data);
});

T('export with the datasets themselves: data.safetensors holds the rows, data.json points to it', () => {
  const x = new Float32Array(32 * 2).map((_, i) => i / 7);
  const train = { x, y: Int32Array.from({ length: 32 }, (_, i) => i % 2), count: 32, features: 2, classes: 2 };
  const files = sd.exportTorch({ checkpoint: ck, data: { train }, batchSize: 10 });
  assert.equal(JSON.parse(new TextDecoder().decode(files['data.json'])), { inline: 'data.safetensors', task: 'classification' });
  const d = decodeSafetensors(files['data.safetensors']!);
  assert.equal(Object.keys(d.tensors), ['train.x', 'train.y']);
  assert.equal(d.tensors['train.x'].shape, [32, 2]);
  assert.ok(bitsEqual(d.tensors['train.x'].data, x));
  assert.equal(Array.from(d.tensors['train.y'].data), Array.from(train.y));
  throwsWith(() => sd.exportTorch({ checkpoint: ck, data: { train: { ...train, features: 1, x: x.subarray(0, 32) } }, batchSize: 10 }), RangeError, 'data.train has 1 features but the model takes 2');
  throwsWith(() => sd.exportTorch({ checkpoint: ck, data: { train: { ...train, count: 3 } }, batchSize: 10 }), RangeError, 'exportTorch: data.train: x has length 64');
});

/** What train.py writes: the exported tensors changed, plus simdescent.result. */
function fakeResult(files: TorchFiles, epochs: number, rng: number[]): Uint8Array {
  const f = decodeSafetensors(files['model.safetensors']);
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, t] of Object.entries(f.tensors)) tensors[k] = { shape: t.shape, data: t.data.map((v, i) => (k.endsWith('.step') ? v + 4 * epochs : v * 0.5 + i * 1e-3)) };
  const result = {
    epoch: 2 + epochs, steps: 8 + 4 * epochs, optimizerSteps: 8 + 4 * epochs, rng,
    tracker: { ...ck.tracker, best: 0.25, bestEpoch: 3 }, stopReason: 'completed', lr: 0.004,
    epochs: Array.from({ length: epochs }, (_, e) => ({ epoch: 3 + e, loss: 0.5, lr: 0.004, ms: 1, samplesPerSec: 1 })),
    iterations: [],
  };
  return encodeSafetensors(tensors, { ...f.metadata, 'simdescent.result': JSON.stringify(result) });
}

T('import: params and state bit for bit, the position, history and shuffle state', () => {
  const files = sd.exportTorch({ checkpoint: ck, data, batchSize: 10 });
  const bytes = fakeResult(files, 1, advance(ck.rngState, 32, 1));
  const next = sd.importTorch(bytes, { checkpoint: ck });
  const back = decodeSafetensors(bytes);
  const s = decodeState(next.optimizerState);
  assert.is(next.epoch, 3);
  assert.is(next.batch, 0);
  assert.is(s.stepCount, 12);
  assert.is(next.history.steps, 12);
  assert.is(next.history.epochs.length, 3);
  assert.equal(next.rngState, advance(ck.rngState, 32, 1));
  assert.is((next.tracker as any).bestEpoch, 3);
  let at = 0;
  for (const name of ['0.weight', '0.bias', '2.weight', '2.bias']) {
    const t = back.tensors[name].data;
    assert.ok(bitsEqual(s.arrays[0].subarray(at, at + t.length), t), name);
    at += t.length;
  }
  ['0.weight', '0.bias', '2.weight', '2.bias'].reduce((off, name, i) => {
    const m = back.tensors[`state.${i}.exp_avg`].data;
    const v = back.tensors[`state.${i}.exp_avg_sq`].data;
    assert.ok(bitsEqual(s.arrays[1].subarray(off, off + m.length), m), `state.${i}.exp_avg`);
    assert.ok(bitsEqual(s.arrays[2].subarray(off, off + v.length), v), `state.${i}.exp_avg_sq`);
    return off + m.length;
  }, 0);
});

T('import refuses what is not train.py output for this run, changing nothing', () => {
  const files = sd.exportTorch({ checkpoint: ck, data, batchSize: 10 });
  const before = ck.optimizerState.slice();
  throwsWith(() => sd.importTorch(files['model.safetensors'], { checkpoint: ck }), Error, "no result: is it export-torch's model.safetensors?");
  throwsWith(() => sd.importTorch(encodeSafetensors({}), { checkpoint: ck }), Error, "not a file written by simdescent's train.py");
  // Another model: a layer of other width.
  const good = fakeResult(files, 1, advance(ck.rngState, 32, 1));
  const f = decodeSafetensors(good);
  const t: Record<string, { shape: number[]; data: Float32Array }> = { ...f.tensors };
  t['2.bias'] = { shape: [3], data: new Float32Array(3) };
  throwsWith(() => sd.importTorch(encodeSafetensors(t, f.metadata), { checkpoint: ck }), Error, "tensor '2.bias' has shape [3], the model expects [2]");
  const { ['0.bias']: _gone, ...missing } = f.tensors;
  void _gone;
  throwsWith(() => sd.importTorch(encodeSafetensors(missing, f.metadata), { checkpoint: ck }), Error, "missing tensor '0.bias'");
  // A continuation of another run (another position) and a shuffle state simdescent would not reach.
  const other = { ...ck, epoch: 1 };
  throwsWith(() => sd.importTorch(good, { checkpoint: other }), Error, "continues another run (its epoch 2 differs from this run's 1)");
  throwsWith(() => sd.importTorch(fakeResult(files, 1, [1, 2, 3, 4]), { checkpoint: ck }), Error, "shuffle state [1,2,3,4] is not simdescent's after epoch 3");
  assert.equal(ck.optimizerState, before, 'the checkpoint is untouched');
});

T('import: hostile results and bytes are refused with an Error or imported whole, never half (property)', () => {
  const files = sd.exportTorch({ checkpoint: ck, data, batchSize: 10 });
  const good = fakeResult(files, 1, advance(ck.rngState, 32, 1));
  const f = decodeSafetensors(good);
  const result = JSON.parse(f.metadata!['simdescent.result']);
  const paths = ['epoch', 'steps', 'optimizerSteps', 'rng', 'tracker', 'epochs', 'iterations', 'stopReason', 'lr', 'restoredEpoch', 'plateau'];
  const before = ck.optimizerState.slice();
  fc.assert(
    fc.property(fc.constantFrom(...paths), fc.jsonValue(), fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean(), (key, value, at, byte, flip) => {
      let bytes: Uint8Array;
      if (flip) {
        bytes = good.slice();
        bytes[at] = byte;
      } else bytes = encodeSafetensors(f.tensors, { ...f.metadata, 'simdescent.result': JSON.stringify({ ...result, [key]: value }) });
      try {
        const next = sd.importTorch(bytes, { checkpoint: ck });
        // Whatever was accepted is a whole checkpoint fit can resume.
        assert.ok(Number.isInteger(next.epoch) && next.epoch >= ck.epoch);
        assert.is(decodeState(next.optimizerState).size, decodeState(ck.optimizerState).size);
        assert.ok(next.rngState.length === 4 && next.rngState.every((v) => Number.isInteger(v)), 'a shuffle state');
        assert.is(next.history.epochs.length, next.epoch);
      } catch (e) {
        assert.instance(e, Error);
        assert.ok((e as Error).message.length > 0);
      }
    }),
    { numRuns: 300, seed: 19 },
  );
  assert.equal(ck.optimizerState, before, 'the checkpoint is untouched');
});

T('export refuses runs train.py cannot continue', () => {
  throwsWith(() => sd.exportTorch({ checkpoint: { ...ck, schedule: { name: 'oneCycle', options: {} } }, data, batchSize: 10 }), Error, "schedule 'oneCycle' has no PyTorch counterpart in train.py yet");
  throwsWith(() => sd.exportTorch({ checkpoint: { ...ck, schedule: { name: 'cosine', options: { lr: 1, tMax: 2, exponent: 2 } } }, data, batchSize: 10 }), Error, "schedule 'cosine' option 'exponent' is not supported");
  throwsWith(() => sd.exportTorch({ checkpoint: ck, data: { ...data, preprocessor: { ...data.preprocessor, inputs: ['u'] } }, batchSize: 10 }), Error, 'the preprocessor makes 1 inputs but the model takes 2');
  throwsWith(() => sd.exportTorch({ checkpoint: ck, data: { ...data, split: { train: [0, 99] } }, batchSize: 10 }), Error, 'data.split.train must list row numbers in [0, rows)');
  throwsWith(() => sd.exportTorch({ checkpoint: { ...ck, model: { kind: 'cnn' } }, data, batchSize: 10 }), Error, 'only MLP runs can move to PyTorch');
});

/** The rng state after `epochs` permutations of n rows (what fit draws per epoch). */
function advance(state: number[], n: number, epochs: number): number[] {
  const r = new Random(0);
  r.state = state;
  for (let e = 0; e < epochs; e++) r.permutation(n);
  return r.state;
}

T.run();
