// A run handed to PyTorch and back. exportTorch turns a fit() checkpoint into the three files
// of a PyTorch continuation: model.safetensors (parameters under torch.nn.Sequential names and
// the optimizer state as optimizer.state_dict() names it, written by saveSafetensors, plus the
// run's position and settings as JSON in the metadata), data.json (the CSV, its preprocessing
// and simdescent's train/validation/test rows) and train.py (src/interop/torch-script.ts, which
// rebuilds the model, optimizer, schedule and batch order and trains in one process or DDP).
// importTorch takes the file train.py writes and makes the checkpoint fit() resumes from:
// parameters and optimizer state bit for bit, history, shuffle RNG, schedule and guard state.
import type { Core } from '../core/core.js';
import { createMlp } from '../models/mlp.js';
import { createOptimizer } from '../optimizers/registry.js';
import { scheduleSpec } from '../schedules/registry.js';
import type { ScheduleName } from '../schedules/types.js';
import type { Model } from '../models/model.js';
import type { MlpOptions } from '../models/mlp.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { decodeState } from '../optimizers/state.js';
import { Random } from '../random.js';
import type { PreprocessorJSON } from '../data/preprocess.js';
import { checkDataset, type Dataset } from '../data/dataset.js';
import { show } from '../options.js';
import type { Checkpoint, EpochEntry, History, IterationEntry } from '../train/types.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors, torchNames } from './safetensors.js';
import { TRAIN_PY } from './torch-script.js';

export const TORCH_FORMAT = 'simdescent-torch/1';

/** How train.py rebuilds the data: the CSV, the run's preprocessing and simdescent's split. */
export interface TorchData {
  /** The CSV file (as the run named it; train.py --data overrides). */
  csv: string;
  delimiter: string;
  /** The columns' names (the header's, or `column 1`, … for a file without one). */
  names: string[];
  /** Data rows: the file's last `rows` records (train.py checks it has them). */
  rows: number;
  /** Names of the class ids in the last column (scikit-learn's layout: a count line with the names). */
  idNames?: string[];
  /** The run's fitted preprocessor (src/data/preprocess.ts, format 'simdescent-preprocessor/1'). */
  preprocessor: PreprocessorJSON;
  /** Row numbers (0-based, data rows) of each part, in simdescent's order. */
  split: { train: number[]; validation?: number[]; test?: number[] };
}

/**
 * The data itself, for a run that has no CSV behind it (a page's data, a built-in dataset):
 * the parts fit trained and validated on (`train` in fit's own row order), written to
 * data.safetensors as `<part>.x` [count, features] and `<part>.y` (class ids as exact floats).
 */
export interface TorchDatasets {
  train: Dataset;
  validation?: Dataset;
  test?: Dataset;
}

export interface TorchExportOptions {
  /** Where the run stands (fit's onCheckpoint, or a run directory's checkpoint.sdck). */
  checkpoint: Checkpoint;
  /** The CSV and how to read it, or the datasets themselves. */
  data: TorchData | TorchDatasets;
  batchSize: number | 'full';
  scheduleUnit?: 'iteration' | 'epoch';
  shuffle?: boolean;
  historyEvery?: number;
  /** fit's earlyStopping and divergence settings, so the continuation stops where fit would. */
  earlyStopping?: { patience: number; minDelta?: number; monitor?: 'valLoss' | 'loss' | 'valAccuracy'; restoreBest?: boolean };
  divergence?: { factor?: number; smoothing?: number } | false;
}

export interface TorchFiles {
  'model.safetensors': Uint8Array;
  'data.json': Uint8Array;
  'train.py': Uint8Array;
  /** With TorchDatasets: the rows themselves. */
  'data.safetensors'?: Uint8Array;
}

const PARTS = ['train', 'validation', 'test'] as const;
const isDatasets = (d: TorchData | TorchDatasets): d is TorchDatasets => !!d && typeof d === 'object' && 'train' in d;
/** Rows per part, whichever form the data takes. */
function partRows(d: TorchData | TorchDatasets, part: (typeof PARTS)[number]): number {
  if (isDatasets(d)) return d[part]?.count ?? 0;
  return d.split?.[part]?.length ?? 0;
}

/** What train.py reports back in its output's metadata (simdescent.result). */
interface TorchResult {
  epoch: number;
  steps: number;
  optimizerSteps: number;
  rng: number[];
  tracker: Record<string, unknown>;
  epochs: EpochEntry[];
  iterations: IterationEntry[];
  stopReason: History['stopReason'];
  lr: number;
  plateau?: Record<string, unknown>;
  restoredEpoch?: number;
  worldSize?: number;
}

/**
 * The schedules train.py has in closed form (src/interop/torch-script.ts lr_at, plateau as
 * ReduceLROnPlateau) and the options each reads: a schedule or option it does not know would
 * silently give another lr, so export refuses it.
 */
const TORCH_SCHEDULES: Record<string, string[]> = {
  constant: ['lr'],
  step: ['lr', 'stepSize', 'gamma'],
  multiStep: ['lr', 'milestones', 'gamma'],
  exponential: ['lr', 'gamma'],
  inverseTime: ['lr', 'decayRate', 'decaySteps'],
  polynomial: ['lr', 'totalIters', 'power'],
  linear: ['lr', 'startFactor', 'endFactor', 'totalIters'],
  cosine: ['lr', 'tMax', 'lrMin'],
  cosineWarmRestarts: ['lr', 't0', 'tMult', 'lrMin'],
  warmup: ['lr', 'warmupSteps', 'startFactor', 'schedule'],
  sequential: ['lr', 'schedules', 'milestones'],
  plateau: ['lr', 'mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'lrMin', 'eps'],
};

function checkSchedule(s: unknown, where = 'schedule'): void {
  if (s === undefined || s === null) return;
  const j = s as { name?: string; schedule?: string; options?: Record<string, unknown> };
  const name = j.name ?? j.schedule ?? '';
  const known = TORCH_SCHEDULES[name];
  if (!known) throw new Error(`exportTorch: ${where} '${name}' has no PyTorch counterpart in train.py yet; supported: ${Object.keys(TORCH_SCHEDULES).join(', ')}`);
  // Options train.py does not read are fine at their defaults (the Keras/Optax extras of
  // src/schedules/: exponent 1, hold false, mMul 1, …), which leave the lr unchanged.
  const spec = scheduleSpec(name as ScheduleName);
  for (const [k, v] of Object.entries(j.options ?? {})) {
    if (v !== undefined && !known.includes(k) && v !== spec[k]?.default) throw new Error(`exportTorch: ${where} '${name}' option '${k}' is not supported by train.py yet`);
  }
  if (name === 'warmup') checkSchedule(j.options?.schedule, `${where} of warmup`);
  if (name === 'sequential') (j.options?.schedules as unknown[]).forEach((c, i) => checkSchedule(c, `schedule ${i} of sequential`));
}

/** The run settings train.py needs, stored as JSON in model.safetensors' metadata. */
function runSettings(o: TorchExportOptions, opt: Optimizer): Record<string, unknown> {
  const c = o.checkpoint;
  const trainRows = partRows(o.data, 'train');
  const bs = o.batchSize === 'full' ? trainRows : o.batchSize;
  const hasVal = partRows(o.data, 'validation') > 0;
  const es = o.earlyStopping;
  const monitor = es?.monitor ?? (hasVal ? 'valLoss' : 'loss');
  const guard = o.divergence === false ? false : { factor: o.divergence?.factor ?? 4, smoothing: o.divergence?.smoothing ?? 0.05 };
  const saved = decodeState(c.optimizerState);
  return {
    format: TORCH_FORMAT,
    ...position(c),
    optimizer: { name: opt.name, options: opt.options, stateKeys: saved.states },
    schedule: c.schedule ?? null,
    scheduleUnit: o.scheduleUnit ?? 'iteration',
    batchSize: o.batchSize,
    trainRows,
    iters: Math.ceil(trainRows / bs),
    shuffle: o.shuffle ?? true,
    historyEvery: o.historyEvery ?? 1,
    optimizerSteps: saved.stepCount,
    lr: opt.lr,
    epochLossSum: c.epochLossSum,
    epochRows: c.epochRows,
    tracker: jsonNumbers(c.tracker),
    monitor,
    divergence: guard,
    earlyStopping: es ?? null,
    keepBest: (es !== undefined && es.restoreBest !== false) || guard !== false,
  };
}

/** Where a run stands: what train.py's output must name to continue this run and no other. */
function position(c: Checkpoint): { model: unknown; epoch: number; batch: number; steps: number; rng: number[] } {
  const m = c.model as { layers: number[]; activation: string; loss: string };
  return { model: { layers: m.layers, activation: m.activation, loss: m.loss }, epoch: c.epoch, batch: c.batch, steps: c.history.steps, rng: c.rngState };
}

/** The model and optimizer a checkpoint holds, on a fresh buffer of `core`. */
function restore(core: Core, c: Checkpoint, where: string): { model: Model; opt: Optimizer } {
  if (!c || c.format !== 'simdescent-checkpoint/1') throw new TypeError(`${where}: checkpoint must be a fit() checkpoint, got ${show(c)}`);
  const m = c.model as Record<string, unknown>;
  if (m?.kind !== 'mlp') throw new TypeError(`${where}: only MLP runs can move to PyTorch (model kind ${show(m?.kind)})`);
  const saved = decodeState(c.optimizerState);
  if (saved.groups !== undefined) throw new Error(`${where}: optimizers with parameter groups cannot move to PyTorch yet`);
  const model = createMlp(core, mlpOptions(c));
  let opt: Optimizer | undefined;
  try {
    opt = createOptimizer(core, c.optimizerName, { ...saved.options, buffer: model.buffer });
    opt.loadState(c.optimizerState);
  } catch (e) {
    opt?.dispose();
    model.dispose();
    throw e;
  }
  return { model, opt };
}

/** sd.mlp options from a checkpoint's model JSON (its toJSON() adds kind: 'mlp'). */
function mlpOptions(c: Checkpoint): MlpOptions {
  const { kind: _k, ...mlp } = c.model as Record<string, unknown>;
  void _k;
  return mlp as unknown as MlpOptions;
}

/** data.json and data.safetensors for datasets given as such. */
function inlineData(d: TorchDatasets, c: Checkpoint): { json: Record<string, unknown>; bytes: Uint8Array } {
  const layers = (c.model as { layers: number[] }).layers;
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  let task: 'classification' | 'regression' | undefined;
  for (const part of PARTS) {
    const ds = d[part];
    if (ds === undefined) continue;
    const shape = checkDataset(ds, `exportTorch: data.${part}`);
    if (ds.features !== layers[0]) throw new RangeError(`exportTorch: data.${part} has ${ds.features} features but the model takes ${layers[0]}`);
    const t = shape.classification ? 'classification' : 'regression';
    if (task && t !== task) throw new TypeError(`exportTorch: data.${part} has ${t} targets, data.train ${task} ones`);
    task = t;
    tensors[`${part}.x`] = { shape: [ds.count, ds.features], data: ds.x };
    tensors[`${part}.y`] = shape.classification ? { shape: [ds.count], data: Float32Array.from(ds.y) } : { shape: [ds.count, shape.targetWidth], data: ds.y as Float32Array };
  }
  return { json: { inline: 'data.safetensors', task }, bytes: encodeSafetensors(tensors, { format: 'pt' }) };
}

function checkData(d: TorchData, c: Checkpoint): void {
  if (!d || typeof d !== 'object') throw new TypeError(`exportTorch: data must describe the CSV (TorchData) or hold the datasets ({ train, validation?, test? }), got ${show(d)}`);
  if (typeof d.csv !== 'string' || !d.csv) throw new TypeError(`exportTorch: data.csv must name the CSV file, got ${show(d.csv)}`);
  const ok = (a: unknown) => Array.isArray(a) && a.every((i) => Number.isInteger(i) && i >= 0 && i < d.rows);
  if (!ok(d.split?.train) || !d.split.train.length) throw new RangeError('exportTorch: data.split.train must list row numbers in [0, rows)');
  for (const k of ['validation', 'test'] as const) {
    if (d.split[k] !== undefined && !ok(d.split[k])) throw new RangeError(`exportTorch: data.split.${k} must list row numbers in [0, rows)`);
  }
  const layers = (c.model as { layers: number[] }).layers;
  const inputs = d.preprocessor?.inputs?.length;
  if (inputs !== layers[0]) throw new RangeError(`exportTorch: the preprocessor makes ${show(inputs)} inputs but the model takes ${layers[0]}`);
}

/** The files of a PyTorch continuation of the run at `checkpoint` (see TorchFiles). */
export function exportTorch(core: Core, o: TorchExportOptions): TorchFiles {
  if (!o || typeof o !== 'object') throw new TypeError(`exportTorch: options must be an object, got ${show(o)}`);
  if (o.checkpoint?.averaging) throw new Error('exportTorch: runs with swa / ema / lookahead / snapshots cannot move to PyTorch yet');
  checkSchedule(o.checkpoint?.schedule);
  const { model, opt } = restore(core, o.checkpoint, 'exportTorch');
  try {
    let inline: ReturnType<typeof inlineData> | undefined;
    if (isDatasets(o.data)) inline = inlineData(o.data, o.checkpoint);
    else checkData(o.data, o.checkpoint);
    let bytes = saveSafetensors(model, opt, {
      'simdescent.format': TORCH_FORMAT,
      'simdescent.run': JSON.stringify(runSettings(o, opt)),
    });
    const best = o.checkpoint.bestParams;
    if (best) {
      // The best params so far (early stopping's restoreBest, the divergence guard) as
      // "best.<name>", so train.py restores them where fit would.
      if (best.length !== model.buffer.size) throw new RangeError(`exportTorch: checkpoint.bestParams has ${best.length} values, the model ${model.buffer.size}`);
      const f = decodeSafetensors(bytes);
      for (const t of torchNames(model)) f.tensors[`best.${t.name}`] = { dtype: 'F32', shape: t.shape, data: best.slice(t.offset, t.offset + t.length) };
      bytes = encodeSafetensors(f.tensors, f.metadata);
    }
    const enc = new TextEncoder();
    return {
      'model.safetensors': bytes,
      'data.json': enc.encode(JSON.stringify(inline ? inline.json : o.data) + '\n'),
      'train.py': enc.encode(TRAIN_PY),
      ...(inline ? { 'data.safetensors': inline.bytes } : {}),
    };
  } finally {
    opt.dispose();
    model.dispose();
  }
}

/**
 * The checkpoint that continues `checkpoint` (the run exportTorch was given) from the
 * safetensors file train.py wrote: its parameters and optimizer state bit for bit, and the
 * epochs, steps, shuffle RNG, schedule and guard state PyTorch reached. Throws, changing
 * nothing, when the file is not train.py's, or is another model's (names or shapes differ).
 */
export function importTorch(core: Core, bytes: Uint8Array, o: { checkpoint: Checkpoint }): Checkpoint {
  const file = decodeSafetensors(bytes);
  const meta = file.metadata ?? {};
  if (meta['simdescent.format'] !== TORCH_FORMAT || meta['simdescent.result'] === undefined) {
    throw new Error(`importTorch: not a file written by simdescent's train.py (metadata simdescent.format is ${show(meta['simdescent.format'])}${meta['simdescent.format'] === TORCH_FORMAT ? ' but it has no result: is it export-torch\'s model.safetensors?' : ''})`);
  }
  let run: Record<string, any>, res: TorchResult;
  try {
    run = JSON.parse(meta['simdescent.run']);
    res = JSON.parse(meta['simdescent.result']);
  } catch {
    throw new Error('importTorch: the file\'s simdescent metadata is not valid JSON');
  }
  const c = o?.checkpoint;
  const { model, opt } = restore(core, c, 'importTorch');
  try {
    for (const [k, v] of Object.entries(position(c))) {
      if (JSON.stringify(v) !== JSON.stringify(run[k])) throw new Error(`importTorch: the file continues another run (its ${k} ${JSON.stringify(run[k])} differs from this run's ${JSON.stringify(v)})`);
    }
    if (run.optimizer?.name !== opt.name) throw new Error(`importTorch: the file holds optimizer '${run.optimizer?.name}' state, this run uses '${opt.name}'`);
    checkResult(res, run, c);
    // Parameters and state through the same names and shape checks as loadSafetensors; the
    // best-params copies train.py keeps ("best.<name>") are taken out first.
    const best: Record<string, { shape: number[]; data: Float32Array }> = {};
    const main: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, t] of Object.entries(file.tensors)) (k.startsWith('best.') ? best : main)[k.startsWith('best.') ? k.slice(5) : k] = t;
    let bestParams: Float32Array | undefined = c.bestParams ? Float32Array.from(c.bestParams) : undefined;
    if (Object.keys(best).length) {
      const probe = createMlp(core, mlpOptions(c));
      try {
        loadSafetensors(probe, encodeSafetensors(best));
        bestParams = Float32Array.from(probe.buffer.params);
      } catch (e) {
        throw new Error(`importTorch: best params: ${(e as Error).message}`);
      } finally {
        probe.dispose();
      }
    }
    opt.lr = res.lr;
    loadSafetensors(model, encodeSafetensors(main, { 'simdescent.step': String(res.optimizerSteps) }), opt);
    if (decodeState(opt.saveState()).stepCount !== res.optimizerSteps) {
      throw new Error(`importTorch: the file's step tensors disagree with its metadata (${res.optimizerSteps} steps)`);
    }
    const history: History = structuredClone(c.history);
    history.epochs.push(...res.epochs.map((e) => fromJsonNumbers(e as unknown as Record<string, unknown>) as unknown as EpochEntry));
    history.iterations.push(...res.iterations.map((e) => fromJsonNumbers(e as unknown as Record<string, unknown>) as unknown as IterationEntry));
    history.steps = res.steps;
    history.stopReason = res.stopReason;
    if (Number.isInteger(res.restoredEpoch)) history.restoredEpoch = res.restoredEpoch;
    let schedule = c.schedule;
    if (res.plateau && schedule && typeof schedule === 'object') schedule = { ...(schedule as object), state: res.plateau };
    const { averaging: _a, ...base } = c;
    void _a;
    return {
      ...base,
      optimizerState: opt.saveState(),
      schedule,
      rngState: res.rng,
      epoch: res.epoch,
      batch: 0,
      epochLossSum: 0,
      epochRows: 0,
      history,
      tracker: fromJsonNumbers(res.tracker),
      bestParams,
    };
  } finally {
    opt.dispose();
    model.dispose();
  }
}

/** Checks train.py's report against what simdescent itself computes from the run. */
function checkResult(res: TorchResult, run: Record<string, any>, c: Checkpoint): void {
  if (!res || typeof res !== 'object') throw new Error('importTorch: the file has no result');
  const int = (v: unknown, lo: number) => Number.isInteger(v) && (v as number) >= lo;
  if (!int(res.epoch, c.epoch) || !int(res.steps, c.history.steps) || !int(res.optimizerSteps, 0)) {
    throw new Error(`importTorch: the file's position (epoch ${show(res.epoch)}, step ${show(res.steps)}) is not after the run's (epoch ${c.epoch}, step ${c.history.steps})`);
  }
  if (!Array.isArray(res.epochs) || res.epochs.length !== res.epoch - c.epoch || !Array.isArray(res.iterations)) {
    throw new Error('importTorch: the file\'s epoch log does not match its epoch count');
  }
  if (typeof res.lr !== 'number' || !Number.isFinite(res.lr) || res.lr < 0) throw new Error(`importTorch: lr ${show(res.lr)} is not a finite number ≥ 0`);
  const num = (v: unknown) => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';
  res.epochs.forEach((e, i) => {
    if (!e || e.epoch !== c.epoch + i + 1 || !num(e.loss) || !num(e.lr) || (e.valLoss !== undefined && !num(e.valLoss))) {
      throw new Error(`importTorch: the file's epoch log entry ${i} is not { epoch: ${c.epoch + i + 1}, loss, lr, … }`);
    }
  });
  res.iterations.forEach((it, i) => {
    if (!it || !Number.isInteger(it.step) || !num(it.loss) || !num(it.lr) || !num(it.epoch)) throw new Error(`importTorch: the file's iteration log entry ${i} is not { step, epoch, loss, lr }`);
  });
  const keys = Object.keys(c.tracker).sort().join();
  if (!res.tracker || typeof res.tracker !== 'object' || Object.keys(res.tracker).sort().join() !== keys || !Object.values(res.tracker).every(num)) {
    throw new Error(`importTorch: the file's guard state is not { ${keys} } of numbers`);
  }
  if (res.restoredEpoch !== undefined && res.restoredEpoch !== null && !(Number.isInteger(res.restoredEpoch) && res.restoredEpoch >= 0 && res.restoredEpoch <= res.epoch)) {
    throw new Error(`importTorch: restoredEpoch ${show(res.restoredEpoch)} is not an epoch of the run`);
  }
  // The shuffle RNG at the start of epoch res.epoch: one permutation per epoch from the run's.
  const rng = new Random(0);
  rng.state = c.rngState;
  const n = run.trainRows;
  if (!Number.isInteger(n) || n < 1) throw new Error(`importTorch: the file's run settings have no training row count (${show(n)})`);
  if (run.shuffle) for (let e = c.epoch; e < res.epoch; e++) rng.permutation(n);
  if (JSON.stringify(rng.state) !== JSON.stringify(res.rng)) {
    throw new Error(`importTorch: the file's shuffle state ${JSON.stringify(res.rng)} is not simdescent's after epoch ${res.epoch} (${JSON.stringify(rng.state)})`);
  }
  if (!['completed', 'earlyStopping', 'diverged'].includes(res.stopReason)) throw new Error(`importTorch: unknown stop reason ${show(res.stopReason)}`);
}

/** JSON has no NaN or ±Infinity: they travel as the strings 'NaN', 'Infinity', '-Infinity'. */
function jsonNumbers(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return out;
}

function fromJsonNumbers(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k] = v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
  return out;
}
