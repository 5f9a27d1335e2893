// sd.mlp(): a multilayer perceptron whose whole forward + loss + backward pass is one call
// into WASM (assembly/model/mlp.ts), driven by a layer table this file writes into linear
// memory. Parameters follow PyTorch's layout: per layer W [out, in] row-major, then b [out].
//
// Targets (y):
//   softmaxCrossEntropy        Int32Array of n labels in [0, outputs)
//   mse                        Float32Array of n·outputs targets
//   sigmoidBinaryCrossEntropy  Float32Array of n·outputs targets in [0, 1], or — when outputs
//                              is 1 — an Int32Array of n labels in {0, 1}
// Staged targets (stage(n).y) are an Int32Array for softmaxCrossEntropy and a Float32Array
// of n·outputs for the other two losses.
//
// Scratch (staged x and y, every layer's activations, two delta buffers) is sized for the
// largest n seen so far and grows only when a bigger n arrives: no allocation per call.
import { ParamBuffer } from '../buffer.js';
import type { Core } from '../core/core.js';
import type { Memory } from '../memory.js';
import type { Plan } from '../core/plan.js';
import {
  MLP_ACTIVATION, MLP_CORRECT, MLP_DELTA_A, MLP_DELTA_B, MLP_FLAGS, MLP_HEADER_WORDS as HEADER_WORDS, MLP_L_A_IN, MLP_L_A_OUT, MLP_L_A_STRIDE,
  MLP_L_GW, MLP_L_IN, MLP_L_OUT, MLP_L_OUT_PAD, MLP_L_PANELS, MLP_L_W, MLP_LAYER_WORDS as LAYER_WORDS, MLP_LAYERS, MLP_LOSS,
  MLP_MODE_GRAD as MODE_GRAD, MLP_MODE_LOSS as MODE_LOSS, MLP_MODE_PREDICT as MODE_PREDICT, MLP_X, MLP_Y,
} from '../core/layout.js';
import { parseOptions, show, type SpecFor } from '../options.js';
import { Random } from '../random.js';
import type { Kernels } from '../wasm.js';
import type { LossName, Model, ParamGroup, Targets } from './model.js';

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

export interface MlpOptions {
  /**
   * Widths from input to output, at least two: [in, hidden…, out]. With no hidden layer the
   * model is linear regression (mse), logistic regression (sigmoidBinaryCrossEntropy) or
   * softmax regression (softmaxCrossEntropy).
   */
  layers: number[];
  /** Applied to every hidden layer (default 'relu'); the last layer is linear. */
  activation?: Activation;
  /** Default 'softmaxCrossEntropy'. */
  loss?: LossName;
  /** Seed of the PyTorch-style init U(−1/√in, 1/√in) (default 0). */
  seed?: number;
}


const ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid'] as const;
const LOSSES = ['softmaxCrossEntropy', 'mse', 'sigmoidBinaryCrossEntropy'] as const;
const MAX_WIDTH = 1 << 24;
/** predict/evaluate work through at most this many rows per pass (or the scratch already staged). */
const EVAL_ROWS = 1024;

const SPEC = {
  layers: { type: 'array' as const },
  activation: { type: 'string' as const, default: 'relu', values: ACTIVATIONS },
  loss: { type: 'string' as const, default: 'softmaxCrossEntropy', values: LOSSES },
  seed: { type: 'integer' as const, default: 0 },
} satisfies SpecFor<MlpOptions>;
/** The spec sd.mlp validates with (test/types/specs.ts checks its keys against MlpOptions). */
export type MlpSpec = typeof SPEC;


export function createMlp(core: Core, options: MlpOptions): Model {
  return new Mlp(core, options);
}

const pad8 = (v: number) => Math.ceil(v / 8) * 8;
const pad4 = (v: number) => Math.ceil(v / 4) * 4;
const bytes16 = (floats: number) => Math.ceil(floats / 4) * 16;

export class Mlp implements Model {
  readonly buffer: ParamBuffer;
  readonly inputs: number;
  readonly outputs: number;
  readonly loss: LossName;
  readonly layers: readonly number[];
  readonly activation: Activation;
  readonly seed: number;
  private readonly k: Kernels;
  private readonly mem: Memory;
  private readonly lossCode: number;
  /** Layer table (i32 words) and the packed Wᵀ panels: fixed for the model's life. */
  private readonly table: number;
  private readonly packed: number;
  /** Scratch for `capacity` rows (0: none yet). */
  private scratch = 0;
  private capacity = 0;
  private xPtr = 0;
  private yPtr = 0;
  private outPtr = 0;
  private disposed = false;

  /** @internal use sd.mlp(options) */
  constructor(core: Core, options: MlpOptions) {
    const o = parseOptions('mlp', SPEC, options);
    if (o.layers === undefined) throw new TypeError('mlp: layers is required, e.g. layers: [64, 32, 10]');
    const layers: number[] = o.layers;
    if (layers.length < 2) throw new RangeError(`mlp: layers needs at least two widths (inputs and outputs), got ${show(layers)}`);
    layers.forEach((w, i) => {
      if (typeof w !== 'number') throw new TypeError(`mlp: layers[${i}] must be a number, got ${show(w)}`);
      if (!Number.isInteger(w) || w < 1 || w > MAX_WIDTH) {
        throw new RangeError(`mlp: layers[${i}] must be an integer in [1, ${MAX_WIDTH}], got ${w}`);
      }
    });
    const out = layers[layers.length - 1];
    if (o.loss === 'softmaxCrossEntropy' && out < 2) {
      throw new RangeError(`mlp: softmaxCrossEntropy needs at least 2 outputs, got layers ending in ${out} (use sigmoidBinaryCrossEntropy for one output)`);
    }
    this.layers = Object.freeze(layers.slice());
    this.inputs = layers[0];
    this.outputs = out;
    this.activation = o.activation;
    this.loss = o.loss;
    this.seed = o.seed;
    this.lossCode = LOSSES.indexOf(o.loss);
    this.k = core.kernels;
    this.mem = core.mem;

    let count = 0;
    let packedFloats = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      count += layers[l + 1] * layers[l] + layers[l + 1];
      packedFloats += (layers[l] + 1) * pad8(layers[l + 1]);
    }
    this.buffer = new ParamBuffer(this.mem, count);
    let table = 0;
    let packed = 0;
    try {
      table = this.mem.alloc((HEADER_WORDS + LAYER_WORDS * (layers.length - 1)) * 4);
      packed = this.mem.alloc(packedFloats * 4);
    } catch (e) {
      if (table) this.mem.release(table);
      this.buffer.dispose();
      throw e;
    }
    this.table = table;
    this.packed = packed;
    this.init(new Random(this.seed));
  }

  /** PyTorch's nn.Linear default: weight then bias of each layer, U(−1/√in, 1/√in), in flat order. */
  private init(rng: Random): void {
    const p = this.buffer.params;
    let at = 0;
    for (let l = 0; l + 1 < this.layers.length; l++) {
      const fanIn = this.layers[l];
      const bound = 1 / Math.sqrt(fanIn);
      const end = at + this.layers[l + 1] * (fanIn + 1);
      for (; at < end; at++) p[at] = rng.uniform(-bound, bound);
    }
  }

  /** Number of parameters (= buffer.size). */
  get paramCount(): number {
    return this.buffer.size;
  }

  /** Where each tensor lives in the flat buffer, in PyTorch's state_dict order. */
  groups(): ParamGroup[] {
    this.alive('groups');
    const out: ParamGroup[] = [];
    let at = 0;
    for (let l = 0; l + 1 < this.layers.length; l++) {
      const w = this.layers[l + 1] * this.layers[l];
      out.push({ name: `layer${l}.weight`, offset: at, length: w });
      out.push({ name: `layer${l}.bias`, offset: at + w, length: this.layers[l + 1] });
      at += w + this.layers[l + 1];
    }
    return out;
  }

  lossAndGrad(x: Float32Array, y: Targets, n: number): number {
    this.alive('lossAndGrad');
    this.check('lossAndGrad', x, y, n);
    this.load('lossAndGrad', x, y, 0, n);
    return this.run(n, MODE_GRAD) / this.lossDivisor(n);
  }

  predict(x: Float32Array, n: number): Float32Array {
    this.alive('predict');
    this.check('predict', x, undefined, n);
    const m = this.outputs;
    const stride = pad4(m);
    const out = new Float32Array(n * m);
    const step = this.chunk(n);
    for (let at = 0; at < n; at += step) {
      const rows = Math.min(step, n - at);
      this.load('predict', x, undefined, at, rows);
      this.k.mlp_run_f32(this.table, rows, MODE_PREDICT, 0);
      const f32 = this.mem.f32();
      const base = this.outPtr >> 2;
      if (stride === m) out.set(f32.subarray(base, base + rows * m), at * m);
      else for (let i = 0; i < rows; i++) out.set(f32.subarray(base + i * stride, base + i * stride + m), (at + i) * m);
    }
    return out;
  }

  evaluate(x: Float32Array, y: Targets, n: number): { loss: number; accuracy?: number } {
    this.alive('evaluate');
    this.check('evaluate', x, y, n);
    let lossSum = 0;
    let correct = 0;
    const step = this.chunk(n);
    for (let at = 0; at < n; at += step) {
      const rows = Math.min(step, n - at);
      this.load('evaluate', x, y, at, rows);
      const r = this.evaluateStaged(rows);
      lossSum += r.lossSum;
      correct += r.correct;
    }
    const res: { loss: number; accuracy?: number } = { loss: lossSum / n };
    if (this.loss !== 'mse') res.accuracy = correct / n;
    return res;
  }

  /** Live views of the staged input [n, inputs] and targets (see the file header for their types). */
  stage(n: number): { x: Float32Array; y: Targets } {
    this.alive('stage');
    this.checkN('stage', n);
    this.ensure(n);
    const buf = this.mem.memory.buffer;
    const x = new Float32Array(buf, this.xPtr, n * this.inputs);
    const y = this.loss === 'softmaxCrossEntropy' ? new Int32Array(buf, this.yPtr, n) : new Float32Array(buf, this.yPtr, n * this.outputs);
    return { x, y };
  }

  /** Mean loss of the n staged rows; overwrites buffer.grads. No validation of the staged values. */
  lossAndGradStaged(n: number): number {
    this.staged('lossAndGradStaged', n);
    return this.run(n, MODE_GRAD) / this.lossDivisor(n);
  }

  /**
   * Σ over the n staged rows of each row's loss (a row's loss is its mean over outputs for
   * mse and sigmoidBinaryCrossEntropy, so lossSum / n is the mean loss in every case) and the
   * number of correct rows (0 for mse). Grads untouched.
   */
  evaluateStaged(n: number): { lossSum: number; correct: number } {
    this.staged('evaluateStaged', n);
    const total = this.run(n, MODE_LOSS);
    const lossSum = this.loss === 'softmaxCrossEntropy' ? total : total / this.outputs;
    const correct = new Int32Array(this.mem.memory.buffer, this.table + MLP_CORRECT * 4, 1)[0];
    return { lossSum, correct };
  }

  toJSON(): Record<string, unknown> {
    return { kind: 'mlp', layers: this.layers.slice(), activation: this.activation, loss: this.loss, seed: this.seed };
  }

  /** Frees the parameters and every scratch block; idempotent. Other methods throw afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.scratch) this.mem.release(this.scratch);
    this.mem.release(this.packed);
    this.mem.release(this.table);
    this.buffer.dispose();
  }

  // ---- internals ----

  /** @internal The layer table's address (the threads' shard tables copy it). */
  get tablePtr(): number {
    return this.table;
  }

  /**
   * @internal Adds lossAndGradStaged(n) to a threads plan as one task (src/core/plan.ts): the
   * same kernel call on the same buffers, so the same bits whichever agent runs it. The
   * returned function gives the mean loss and the pass's wall time (ms) once the plan has run.
   */
  planGradient(plan: Plan, phase: number, n: number): () => { loss: number; ms: number } {
    this.staged('lossAndGradStaged', n);
    const scale = this.loss === 'softmaxCrossEntropy' ? 1 / n : (this.loss === 'mse' ? 2 : 1) / (n * this.outputs);
    const i = plan.run(phase, this.table, n, MODE_GRAD, scale);
    return () => ({ loss: plan.results[i] / this.lossDivisor(n), ms: plan.times[i] });
  }

  private run(n: number, mode: number): number {
    // The gradient of a mean: 1/rows for cross-entropy, 1/elements (and MSE's factor 2) otherwise.
    const scale = mode !== MODE_GRAD ? 0 : this.loss === 'softmaxCrossEntropy' ? 1 / n : (this.loss === 'mse' ? 2 : 1) / (n * this.outputs);
    return this.k.mlp_run_f32(this.table, n, mode, scale);
  }

  private lossDivisor(n: number): number {
    return this.loss === 'softmaxCrossEntropy' ? n : n * this.outputs;
  }

  private alive(what: string): void {
    if (this.disposed || this.buffer.isDisposed) throw new Error(`mlp.${what}: the model was disposed`);
  }

  private checkN(what: string, n: unknown): asserts n is number {
    if (typeof n !== 'number') throw new TypeError(`mlp.${what}: n must be a number, got ${show(n)}`);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`mlp.${what}: n must be a positive integer, got ${n}`);
  }

  private staged(what: string, n: number): void {
    this.alive(what);
    this.checkN(what, n);
    if (n > this.capacity) throw new RangeError(`mlp.${what}: n = ${n} exceeds the ${this.capacity} rows staged; call stage(n) first`);
  }

  /**
   * Rows per pass of predict/evaluate: the whole call when it fits the scratch already staged
   * or EVAL_ROWS, else EVAL_ROWS at a time, so a large evaluation does not grow the scratch
   * without bound.
   */
  private chunk(n: number): number {
    return n <= Math.max(this.capacity, EVAL_ROWS) ? n : Math.max(this.capacity, EVAL_ROWS);
  }

  /** Validate x (and y) for n rows. Nothing changes when it throws. */
  private check(what: string, x: unknown, y: unknown, n: unknown): void {
    this.checkN(what, n);
    if (!(x instanceof Float32Array)) throw new TypeError(`mlp.${what}: x must be a Float32Array, got ${describe(x)}`);
    if (x.length !== n * this.inputs) {
      throw new RangeError(`mlp.${what}: x has length ${x.length}, expected n·inputs = ${n}·${this.inputs} = ${n * this.inputs}`);
    }
    if (y !== undefined) this.checkTargets(what, y, n);
  }

  /**
   * Copy rows [at, at + rows) of checked x (and y) into the staging area; a non-finite x is a
   * RangeError (found by one SIMD pass over the staged copy), before any kernel runs.
   */
  private load(what: string, x: Float32Array, y: unknown, at: number, rows: number): void {
    const k = this.inputs;
    const m = this.outputs;
    if (rows > this.capacity) {
      // Growing the scratch may grow memory and detach views into it (e.g. another model's
      // stage(n).x): copy such arguments out first.
      const buf = this.mem.memory.buffer;
      if (x.buffer === buf) x = x.slice();
      if (ArrayBuffer.isView(y) && y.buffer === buf) y = (y as Float32Array).slice();
    }
    this.ensure(rows);
    const f32 = this.mem.f32();
    f32.set(x.subarray(at * k, (at + rows) * k), this.xPtr >> 2);
    if (!this.k.all_finite_f32(this.xPtr, rows * k)) {
      const i = x.findIndex((v) => !Number.isFinite(v));
      throw new RangeError(`mlp.${what}: x must be finite, got x[${i}] = ${x[i]} (row ${Math.floor(i / k)})`);
    }
    if (y === undefined) return;
    if (y instanceof Int32Array) {
      // Labels: softmax cross-entropy stages them as they are; BCE (one output) as 0/1 floats.
      const part = y.subarray(at, at + rows);
      if (this.loss === 'softmaxCrossEntropy') new Int32Array(this.mem.memory.buffer, this.yPtr, rows).set(part);
      else f32.set(part, this.yPtr >> 2);
    } else {
      f32.set((y as Float32Array).subarray(at * m, (at + rows) * m), this.yPtr >> 2);
    }
  }

  /** Throws on targets that do not fit the loss and n. */
  private checkTargets(what: string, y: unknown, n: number): void {
    const m = this.outputs;
    if (this.loss === 'softmaxCrossEntropy' || (this.loss === 'sigmoidBinaryCrossEntropy' && m === 1 && y instanceof Int32Array)) {
      const classes = this.loss === 'softmaxCrossEntropy' ? m : 2;
      if (!(y instanceof Int32Array)) throw new TypeError(`mlp.${what}: y must be an Int32Array of class labels for ${this.loss}, got ${describe(y)}`);
      if (y.length !== n) throw new RangeError(`mlp.${what}: y has length ${y.length}, expected n = ${n} labels`);
      for (let i = 0; i < n; i++) {
        const v = y[i];
        if (v < 0 || v >= classes) throw new RangeError(`mlp.${what}: labels must be in [0, ${classes}), got y[${i}] = ${v}`);
      }
      return;
    }
    if (!(y instanceof Float32Array)) {
      const also = this.loss === 'sigmoidBinaryCrossEntropy' && m === 1 ? ' (or an Int32Array of n labels in {0, 1})' : '';
      throw new TypeError(`mlp.${what}: y must be a Float32Array of n·outputs targets for ${this.loss}${also}, got ${describe(y)}`);
    }
    if (y.length !== n * m) throw new RangeError(`mlp.${what}: y has length ${y.length}, expected n·outputs = ${n}·${m} = ${n * m}`);
    const bce = this.loss === 'sigmoidBinaryCrossEntropy';
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) throw new RangeError(`mlp.${what}: y must be finite, got y[${i}] = ${v}`);
      if (bce && !(v >= 0 && v <= 1)) throw new RangeError(`mlp.${what}: targets must be in [0, 1] for sigmoidBinaryCrossEntropy, got y[${i}] = ${v}`);
    }
  }

  /** Scratch for at least n rows: one block, carved into x, y, activations and two delta buffers. */
  private ensure(n: number): void {
    if (n <= this.capacity) return;
    const L = this.layers.length - 1;
    const maxMp = Math.max(...this.layers.slice(1).map(pad4));
    const xBytes = bytes16(n * this.inputs);
    const yBytes = bytes16(n * Math.max(1, this.outputs));
    const actBytes = this.layers.slice(1).map((w) => n * pad4(w) * 4);
    const deltaBytes = n * maxMp * 4;
    const total = xBytes + yBytes + actBytes.reduce((a, b) => a + b, 0) + 2 * deltaBytes;
    let ptr: number;
    try {
      ptr = this.mem.alloc(total);
    } catch (e) {
      // Nothing has changed: the old scratch is still in place.
      throw new RangeError(`mlp: a batch of ${n} rows needs ${total} bytes of WebAssembly scratch: ${(e as Error).message}`);
    }
    if (this.scratch) this.mem.release(this.scratch);
    this.scratch = ptr;
    this.capacity = n;
    let at = ptr;
    this.xPtr = at;
    at += xBytes;
    this.yPtr = at;
    at += yBytes;
    const t = new Int32Array(this.mem.memory.buffer, this.table, HEADER_WORDS + LAYER_WORDS * L);
    t[MLP_LAYERS] = L;
    t[MLP_ACTIVATION] = ACTIVATIONS.indexOf(this.activation);
    t[MLP_LOSS] = this.lossCode;
    t[MLP_X] = this.xPtr;
    t[MLP_Y] = this.yPtr;
    let w = this.buffer.paramsPtr;
    let g = this.buffer.gradsPtr;
    let pk = this.packed;
    let ain = this.xPtr;
    let astride = this.inputs * 4;
    for (let l = 0; l < L; l++) {
      const K = this.layers[l];
      const M = this.layers[l + 1];
      const o = HEADER_WORDS + LAYER_WORDS * l;
      t[o + MLP_L_IN] = K;
      t[o + MLP_L_OUT] = M;
      t[o + MLP_L_OUT_PAD] = pad4(M);
      t[o + MLP_L_W] = w;
      t[o + MLP_L_GW] = g;
      t[o + MLP_L_PANELS] = pk;
      t[o + MLP_L_A_IN] = ain;
      t[o + MLP_L_A_STRIDE] = astride;
      t[o + MLP_L_A_OUT] = at;
      w += (M * K + M) * 4;
      g += (M * K + M) * 4;
      pk += (K + 1) * pad8(M) * 4;
      ain = at;
      astride = pad4(M) * 4;
      at += actBytes[l];
    }
    this.outPtr = ain;
    t[MLP_DELTA_A] = at;
    t[MLP_DELTA_B] = at + deltaBytes;
    t[MLP_FLAGS] = 0; // this table packs its own Wᵀ panels
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return (v as object).constructor.name;
  if (Array.isArray(v)) return 'an Array';
  return typeof v === 'object' ? show(v) : `${typeof v} ${show(v)}`;
}
