// Sharded gradients, the same bits for any worker count. A mini-batch of at least
// SHARD_MIN_BATCH rows is cut into shards of SHARD_ROWS rows (the last may be shorter) —
// boundaries that depend on the batch alone. Shards run in rounds of up to MAX_SLOTS: slot i
// of a round has its own layer table, activations, deltas, packed Wᵀ panels and gradient
// buffer, so which agent computes it cannot matter. Each shard's gradient is already scaled by
// the whole batch's 1/N; the batch gradient is then the shards' sum taken in shard order
// (shard 0 copied, each next one added with the SIMD axpy), and the loss the shard losses
// summed in the same order. workers: 1 runs exactly this path on the calling thread.
import type { Engine } from '../engine.js';
import { Mlp } from '../models/mlp.js';
import type { Model } from '../models/model.js';
import type { Memory } from '../memory.js';
import type { Kernels } from '../wasm.js';
import { MAX_SLOTS, type Pool } from './pool.js';

export const SHARD_ROWS = 64;
/** Smaller batches run in one pass (the model's own path) for every worker count. */
export const SHARD_MIN_BATCH = 2 * SHARD_ROWS;

const HEADER = 16;
const LAYER = 16;
const MODE_GRAD = 0;

const pad4 = (v: number) => Math.ceil(v / 4) * 4;
const pad8 = (v: number) => Math.ceil(v / 8) * 8;

/** Whether fit shards batches of this size for this model. */
export function shardable(model: Model, batchSize: number): model is Mlp {
  return model instanceof Mlp && batchSize >= SHARD_MIN_BATCH;
}

export class Sharder {
  private readonly k: Kernels;
  private readonly mem: Memory;
  private readonly tables: number[] = [];
  private readonly grads: number[] = [];
  private readonly blocks: number[] = [];
  private readonly rows = new Array<number>(MAX_SLOTS).fill(0);
  private readonly results = new Float64Array(MAX_SLOTS);
  private readonly L: number;
  private readonly yRowBytes: number;

  /** The model's scratch must already hold its largest batch (model.stage(batchSize)). */
  constructor(engine: Engine, private readonly model: Mlp, private readonly agents: number, private readonly pool?: Pool) {
    this.k = engine.kernels;
    this.mem = engine.mem;
    const layers = model.layers;
    this.L = layers.length - 1;
    this.yRowBytes = model.loss === 'softmaxCrossEntropy' ? 4 : model.outputs * 4;
    try {
      for (let i = 0; i < MAX_SLOTS; i++) this.slot();
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private modelTable(): Int32Array {
    return new Int32Array(this.mem.memory.buffer, (this.model as any).table as number, HEADER + LAYER * this.L);
  }

  private alloc(bytes: number): number {
    const p = this.mem.alloc(bytes);
    this.blocks.push(p);
    return p;
  }

  /** One slot: a copy of the model's layer table pointing at the slot's own buffers. */
  private slot(): void {
    const layers = this.model.layers;
    const L = this.L;
    const words = HEADER + LAYER * L;
    const table = this.alloc(words * 4);
    let packedBytes = 0;
    for (let l = 0; l < L; l++) packedBytes += (layers[l] + 1) * pad8(layers[l + 1]) * 4;
    const packed = this.alloc(packedBytes);
    const grads = this.alloc(this.model.buffer.size * 4);
    const maxMp = Math.max(...layers.slice(1).map(pad4));
    const deltas = this.alloc(2 * SHARD_ROWS * maxMp * 4);
    const acts: number[] = [];
    for (let l = 0; l < L; l++) acts.push(this.alloc(SHARD_ROWS * pad4(layers[l + 1]) * 4));
    const src = this.modelTable();
    const t = new Int32Array(this.mem.memory.buffer, table, words);
    t.set(src);
    t[5] = deltas;
    t[6] = deltas + SHARD_ROWS * maxMp * 4;
    const gBase = this.model.buffer.gradsPtr;
    const pBase = src[HEADER + 5];
    for (let l = 0; l < L; l++) {
      const o = HEADER + LAYER * l;
      t[o + 4] = grads + (src[o + 4] - gBase);
      t[o + 5] = packed + (src[o + 5] - pBase);
      if (l > 0) t[o + 6] = acts[l - 1];
      t[o + 8] = acts[l];
    }
    this.tables.push(table);
    this.grads.push(grads);
  }

  /** Mean loss over the n staged rows; buffer.grads ← the batch gradient (see the file header). */
  async lossAndGrad(n: number): Promise<number> {
    const model = this.model;
    const src = this.modelTable();
    const x = src[3];
    const y = src[4];
    const xRow = model.inputs * 4;
    const out = model.outputs;
    const ce = model.loss === 'softmaxCrossEntropy';
    // As Mlp.run: the gradient of a mean, 1/rows for cross-entropy, 1/elements (MSE: 2/elements).
    const scale = ce ? 1 / n : (model.loss === 'mse' ? 2 : 1) / (n * out);
    const size = model.buffer.size;
    const gradsPtr = model.buffer.gradsPtr;
    const shards = Math.ceil(n / SHARD_ROWS);
    let total = 0;
    for (let r = 0; r < shards; r += MAX_SLOTS) {
      const count = Math.min(MAX_SLOTS, shards - r);
      const i32 = new Int32Array(this.mem.memory.buffer);
      for (let i = 0; i < count; i++) {
        const first = (r + i) * SHARD_ROWS;
        const w = this.tables[i] >> 2;
        i32[w + 3] = x + first * xRow;
        i32[w + HEADER + 6] = x + first * xRow;
        i32[w + 4] = y + first * this.yRowBytes;
        this.rows[i] = Math.min(SHARD_ROWS, n - first);
      }
      const agents = Math.min(this.agents, count);
      const run0 = (i: number) => this.k.mlp_run_f32(this.tables[i], this.rows[i], MODE_GRAD, scale);
      let results: Float64Array = this.results;
      if (agents > 1 && this.pool) {
        await this.pool.run(this.tables, this.rows, count, agents, scale, run0);
        results = this.pool.results;
      } else {
        for (let i = 0; i < count; i++) results[i] = run0(i);
      }
      for (let i = 0; i < count; i++) {
        total += results[i];
        if (r + i === 0) this.mem.f32().copyWithin(gradsPtr >> 2, this.grads[0] >> 2, (this.grads[0] >> 2) + size);
        else this.k.axpy_f32(gradsPtr, this.grads[i], size, 1);
      }
    }
    return total / (ce ? n : n * out);
  }

  dispose(): void {
    for (const p of this.blocks.splice(0)) this.mem.release(p);
  }
}
