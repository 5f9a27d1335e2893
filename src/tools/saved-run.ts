// A trained run, reloaded: the model (model.safetensors), the preprocessor that maps a table's
// rows to its inputs (preprocessor.json) and the run's settings (run.json), so new rows can be
// predicted and labelled rows scored without retraining. `simdescent predict` and `evaluate`
// are this module on the command line; a library user calls loadRun(engine, dir).
import { parseTable, type Table } from '../data/table.js';
import { Preprocessor, type Transformed } from '../data/preprocess.js';
import type { MlpOptions } from '../models/mlp.js';
import type { Model } from '../models/model.js';
import { loadSafetensors } from '../interop/safetensors.js';
import { show } from '../options.js';

export const RUN_FILES = { run: 'run.json', preprocessor: 'preprocessor.json', model: 'model.safetensors' } as const;

/** A run's files as data: run.json and preprocessor.json parsed, model.safetensors as bytes. */
export interface RunFiles {
  run: unknown;
  preprocessor: unknown;
  model: Uint8Array;
}

export interface RowPrediction {
  /** The id column's value, when the preprocessor has one and the table holds it. */
  id?: string;
  /** Classification: the predicted class name and each class's probability (in `classes` order). */
  label?: string;
  probabilities?: number[];
  /** Regression: the predicted value in the target's units. */
  value?: number;
}

export interface Scores {
  count: number;
  /** The model's loss on these rows (regression: mean squared error in the target's units). */
  loss: number;
  accuracy?: number;
  /** Regression: coefficient of determination and mean absolute error (target's units). */
  r2?: number;
  mae?: number;
  /** Classification: confusion[actual][predicted] counts, rows and columns in `classes` order. */
  confusion?: number[][];
  classes?: string[];
}

/** What a model factory must offer (an Engine does). */
export interface MlpFactory {
  mlp(options: MlpOptions): Model;
}

export class SavedRun {
  /** @internal use loadRun */
  constructor(
    readonly model: Model,
    readonly preprocessor: Preprocessor,
    /** run.json as saved. */
    readonly config: Record<string, unknown>,
  ) {}

  /** Predicts every row of a table (or CSV text); a label column, if there, is not read. */
  predict(data: Table | string): { rows: RowPrediction[]; classes?: string[]; notices: string[] } {
    const t = this.rows(data, 'ignore');
    const out = this.model.predict(t.x, t.count);
    const classes = this.preprocessor.classes;
    const rows: RowPrediction[] = [];
    for (let i = 0; i < t.count; i++) {
      const r: RowPrediction = {};
      if (t.rowIds) r.id = t.rowIds[i];
      if (classes) {
        const p = probabilities(out, i, this.model.outputs, classes.length);
        r.probabilities = p;
        r.label = classes[argmax(p)];
      } else r.value = this.preprocessor.targetValue(out[i]);
      rows.push(r);
    }
    const notices = t.filled ? [...t.notices, `${t.filled} missing number${t.filled === 1 ? '' : 's'} filled with the training median`] : t.notices;
    return { rows, ...(classes ? { classes } : {}), notices };
  }

  /** Loss, accuracy and confusion matrix (classes) or R²/MAE (regression) on labelled rows. */
  evaluate(data: Table | string): Scores & { notices: string[] } {
    const t = this.rows(data, 'required');
    return { ...score(this.model, this.preprocessor, t), notices: t.notices };
  }

  dispose(): void {
    this.model.dispose();
  }

  private rows(data: Table | string, labels: 'ignore' | 'required'): Transformed {
    const table = typeof data === 'string' ? parseTable(data) : data;
    return this.preprocessor.transform(table, { labels });
  }
}

/** Scores of `model` on rows the preprocessor transformed (with labels). */
export function score(model: Model, pre: Preprocessor, t: Transformed): Scores {
  const classes = pre.classes;
  const n = t.count;
  const pred = model.predict(t.x, n);
  if (classes) {
    const k = classes.length;
    const confusion = classes.map(() => new Array<number>(k).fill(0));
    let correct = 0;
    const y = t.y as Int32Array;
    for (let i = 0; i < n; i++) {
      const p = argmax(probabilities(pred, i, model.outputs, k));
      confusion[y[i]][p]++;
      if (p === y[i]) correct++;
    }
    const e = model.evaluate(t.x, targets(model, y, n), n);
    return { count: n, loss: e.loss, accuracy: correct / n, confusion, classes };
  }
  // Regression: every figure in the target's units.
  const y = t.y as Float32Array;
  let se = 0, ae = 0, mean = 0;
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) mean += truth[i] = pre.targetValue(y[i]);
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = pre.targetValue(pred[i]) - truth[i];
    se += d * d;
    ae += Math.abs(d);
    ss += (truth[i] - mean) * (truth[i] - mean);
  }
  return { count: n, loss: se / n, r2: ss > 0 ? 1 - se / ss : 0, mae: ae / n };
}

/** Class labels as one-hot rows where the loss wants n·outputs targets (mse, multi-output BCE). */
export function targets(model: { loss: string; outputs: number }, y: Int32Array, n: number): Int32Array | Float32Array {
  if (model.loss === 'softmaxCrossEntropy' || model.outputs === 1) return y;
  const t = new Float32Array(n * model.outputs);
  for (let i = 0; i < n; i++) t[i * model.outputs + y[i]] = 1;
  return t;
}

/** Row i's class probabilities: softmax outputs as they are; one sigmoid output p as [1 − p, p]; several sigmoids normalised. */
function probabilities(out: Float32Array, i: number, outputs: number, k: number): number[] {
  if (outputs === 1 && k === 2) {
    const p = out[i];
    return [1 - p, p];
  }
  const row = Array.from(out.subarray(i * outputs, i * outputs + k));
  const sum = row.reduce((a, b) => a + b, 0);
  return sum > 0 && Math.abs(sum - 1) > 1e-4 ? row.map((v) => v / sum) : row;
}

function argmax(p: number[]): number {
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
  return best;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/**
 * Reloads a run saved by `simdescent train` (or by a program writing the same three files):
 * a directory path (Node) or the files' contents. Every file is checked; nothing half-loads.
 */
export async function loadRun(sd: MlpFactory, source: string | RunFiles): Promise<SavedRun> {
  let files: RunFiles;
  if (typeof source === 'string') {
    if (!isNode) throw new TypeError('loadRun: a directory path needs Node; pass { run, preprocessor, model } elsewhere');
    files = await readRunDir(source);
  } else if (source !== null && typeof source === 'object' && source.model instanceof Uint8Array) files = source;
  else throw new TypeError(`loadRun: expected a run directory or { run, preprocessor, model: Uint8Array }, got ${show(source)}`);
  const run = files.run as Record<string, any>;
  if (run === null || typeof run !== 'object' || run.format !== 'simdescent-run/1') throw new RangeError(`loadRun: ${RUN_FILES.run} is not a simdescent run file (format ${show(run?.format)})`);
  const m = run.model;
  if (m === null || typeof m !== 'object' || !Array.isArray(m.layers)) throw new RangeError(`loadRun: ${RUN_FILES.run} has no model description`);
  const pre = Preprocessor.fromJSON(files.preprocessor);
  const layers = m.layers as number[];
  if (layers[0] !== pre.features) throw new RangeError(`loadRun: the model takes ${layers[0]} inputs, the preprocessor makes ${pre.features}`);
  const last = layers[layers.length - 1];
  if (last !== pre.outputs && !(pre.outputs === 2 && last === 1)) throw new RangeError(`loadRun: the model has ${last} outputs, the preprocessor's task needs ${pre.outputs}`);
  const model = sd.mlp({ layers, activation: m.activation, loss: m.loss, seed: m.seed });
  try {
    loadSafetensors(model, files.model);
  } catch (err) {
    model.dispose();
    throw new RangeError(`loadRun: ${RUN_FILES.model}: ${(err as Error).message}`);
  }
  return new SavedRun(model, pre, run);
}

async function readRunDir(dir: string): Promise<RunFiles> {
  const fsModule = ['node:fs', 'promises'].join('/'); // not constant-foldable, as in src/data/csv.ts
  const pathModule = ['node', 'path'].join(':');
  const { readFile, stat } = await import(/* @vite-ignore */ fsModule);
  const { join } = await import(/* @vite-ignore */ pathModule);
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new RangeError(`loadRun: ${dir} is not a directory`);
  const read = async (name: string): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch (err: any) {
      throw new RangeError(`loadRun: ${dir} is not a trained run: ${name} ${err?.code === 'ENOENT' ? 'is missing' : `cannot be read (${err?.message})`}${name === RUN_FILES.preprocessor ? ' (predict and evaluate need a run trained on a CSV file)' : ''}`);
    }
  };
  const json = async (name: string): Promise<unknown> => {
    const bytes = await read(name);
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new RangeError(`loadRun: ${join(dir, name)} is not valid JSON`);
    }
  };
  const run = await json(RUN_FILES.run);
  const preprocessor = await json(RUN_FILES.preprocessor);
  const model = await read(RUN_FILES.model);
  return { run, preprocessor, model };
}
