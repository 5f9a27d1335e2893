// Sharded gradients, the same bits for any worker count. A mini-batch of at least
// SHARD_MIN_BATCH rows is cut into shards of SHARD_ROWS rows (the last may be shorter) —
// boundaries that depend on the batch alone. The model's Wᵀ panels are packed once per batch
// (in row blocks, by whichever agents are free) and shared by every shard. Shards run in
// rounds of up to MAX_SLOTS: a shard's pass writes only its slot's activations, deltas and
// gradient buffer, so which agent computes it cannot matter. On a wide first layer the pass
// leaves layer 0's weight gradient (about half its work) to row-block tasks claimed after every
// pass of the round, each waiting for its own shard's pass if that is still running: agents
// then finish within one block of each other, not one pass (any cut gives the pass's own
// bits). Each shard's gradient is already scaled by the whole batch's 1/N; the batch gradient
// is the shards' sum taken in shard order (per element: shard 0, + shard 1, + …), computed in
// parameter blocks spread over the agents (in a batch of one round, each block starts once the
// tasks writing it are done, without a barrier), and the loss is the shard losses summed in
// the same order. With one agent the same plan runs task by task on the calling thread — for
// every engine, threads or not.
// fit stages batches alternately in the sharder's two areas, so the calling thread can gather
// the next batch while the agents work on this one (Pool.run's `meanwhile`).
import { coreOf, type CoreLike } from '../core/core.js';
import { Mlp } from '../models/mlp.js';
import type { Model } from '../models/model.js';
import type { Memory } from '../memory.js';
import { PACK_PHASE, runPhase, sumPhase, type Plan } from '../core/plan.js';
import {
  MLP_DELTA_A, MLP_DELTA_B, MLP_FLAG_PACKED as FLAG_PACKED, MLP_FLAGS, MLP_HEADER_WORDS as HEADER, MLP_L_A_IN, MLP_L_A_OUT, MLP_L_GW,
  MLP_L_IN, MLP_L_OUT, MLP_L_PANELS, MLP_L_W, MLP_LAYER_WORDS as LAYER, MLP_MODE_GRAD as MODE_GRAD, MLP_X, MLP_Y,
  MLP_MODE_GRAD_BUT_0 as MODE_GRAD_DEFER, // layer 0's weight gradient left to row-block tasks (mlp_grad0_rows_f32)
} from '../core/layout.js';

/**
 * 64 rows: a 256-row batch gives 4 passes, enough for 4 agents at once. Larger shards cost less
 * on one thread (128 rows: 4.5–8% faster with 1 worker at 784-256-10/b256, the same with 2;
 * measured interleaved in one process) but would leave agents idle during the passes beyond 2.
 */
export const SHARD_ROWS = 64;
/** Smaller batches run in one pass (the model's own path) for every worker count. */
export const SHARD_MIN_BATCH = 2 * SHARD_ROWS;
/** Shards in flight at once (each has its own gradient buffer). */
export const MAX_SLOTS = 8;
/** Rows of W packed by one task. */
const PACK_ROWS = 64;
/** Parameters summed by one task (64 KiB of each shard's gradient); fit steps the same blocks. */
export const SUM_BLOCK = 16384;
/**
 * Largest staging area (bytes) the sharder keeps two of, to gather the next batch while the
 * agents work on this one. Its own, not the model's: a callback between batches may use the
 * model's staging (evaluate, predict) without touching a batch gathered in advance.
 */
const MAX_STAGE = 16 << 20;
/** The `area` of rows staged with model.stage(). */
export const MODEL_STAGE = -1;

/**
 * Layer 0's weight gradient — half a pass's work on a wide input — is cut into this many row
 * blocks, tasks of their own claimed after the passes: whichever agent is free takes the next
 * block, so a core that runs slower than the other (a VM's cores drift) leaves the other at
 * most one block's work to wait for at the barrier, not one pass.
 */
const GRAD0_BLOCKS = 4;
/** Below this many multiply-adds per shard (Σ over a 64-row shard of layer 0's gW), no split. */
const GRAD0_MIN_MACS = 1 << 20;

const pad4 = (v: number) => Math.ceil(v / 4) * 4;
const pad8 = (v: number) => Math.ceil(v / 8) * 8;

/** Whether fit shards batches of this size for this model. */
export function shardable(model: Model, batchSize: number): model is Mlp {
  return model instanceof Mlp && batchSize >= SHARD_MIN_BATCH;
}

export class Sharder {
  private readonly mem: Memory;
  private readonly blocks: number[] = [];
  /** One layer table per shard of the largest batch; table s uses slot s mod slots. */
  private readonly tables: number[] = [];
  /** Per slot: its gradient buffer; `srcs` lists them as i32 pointers for the ordered sums. */
  private readonly grads: number[] = [];
  private srcs = 0;
  private readonly slots: number;
  private readonly L: number;
  private readonly yRowBytes: number;
  /** Two staging areas (x, then y, of maxBatch rows each) of the sharder's own, or none. */
  private areas: number[] = [];

  /**
   * The model's scratch must already hold its largest batch (model.stage(maxBatch)).
   * `twoAreas`: keep two staging areas of the sharder's own (fit's gather-ahead); callers that
   * stage with model.stage() pass false.
   */
  constructor(core: CoreLike, private readonly model: Mlp, private readonly maxBatch: number, twoAreas = true) {
    this.mem = coreOf(core).mem;
    this.L = model.layers.length - 1;
    this.yRowBytes = model.loss === 'softmaxCrossEntropy' ? 4 : model.outputs * 4;
    const shards = Math.ceil(maxBatch / SHARD_ROWS);
    this.slots = Math.min(MAX_SLOTS, shards);
    try {
      const slotBuffers = Array.from({ length: this.slots }, () => this.slotBuffers());
      this.srcs = this.alloc(this.slots * 4);
      new Int32Array(this.mem.memory.buffer, this.srcs, this.slots).set(this.grads);
      for (let s = 0; s < shards; s++) this.tables.push(this.table(slotBuffers[s % this.slots]));
      const stageBytes = maxBatch * (model.inputs * 4 + this.yRowBytes);
      if (twoAreas && stageBytes <= MAX_STAGE) this.areas = [this.alloc(stageBytes), this.alloc(stageBytes)];
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private modelTable(): Int32Array {
    return new Int32Array(this.mem.memory.buffer, this.model.tablePtr, HEADER + LAYER * this.L);
  }

  private alloc(bytes: number): number {
    const p = this.mem.alloc(bytes);
    this.blocks.push(p);
    return p;
  }

  /** A slot's buffers: gradient, two delta buffers, each layer's activations (SHARD_ROWS rows). */
  private slotBuffers(): { grads: number; deltas: number; deltaBytes: number; acts: number[] } {
    const layers = this.model.layers;
    const grads = this.alloc(this.model.buffer.size * 4);
    this.grads.push(grads);
    const deltaBytes = SHARD_ROWS * Math.max(...layers.slice(1).map(pad4)) * 4;
    const deltas = this.alloc(2 * deltaBytes);
    const acts: number[] = [];
    for (let l = 0; l < this.L; l++) acts.push(this.alloc(SHARD_ROWS * pad4(layers[l + 1]) * 4));
    return { grads, deltas, deltaBytes, acts };
  }

  /** A copy of the model's layer table pointing at a slot's buffers and the shared panels. */
  private table(slot: { grads: number; deltas: number; deltaBytes: number; acts: number[] }): number {
    const words = HEADER + LAYER * this.L;
    const table = this.alloc(words * 4);
    const src = this.modelTable();
    const t = new Int32Array(this.mem.memory.buffer, table, words);
    t.set(src);
    t[MLP_DELTA_A] = slot.deltas;
    t[MLP_DELTA_B] = slot.deltas + slot.deltaBytes;
    t[MLP_FLAGS] = FLAG_PACKED;
    const gBase = this.model.buffer.gradsPtr;
    for (let l = 0; l < this.L; l++) {
      const o = HEADER + LAYER * l;
      t[o + MLP_L_GW] = slot.grads + (src[o + MLP_L_GW] - gBase);
      if (l > 0) t[o + MLP_L_A_IN] = slot.acts[l - 1];
      t[o + MLP_L_A_OUT] = slot.acts[l];
    }
    return table;
  }

  /** Whether batches are staged in the sharder's two areas (else in the model's staging). */
  get doubleBuffered(): boolean {
    return this.areas.length === 2;
  }

  /**
   * Views of n rows of staging area 0 or 1, or of the model's own staging (MODEL_STAGE, and
   * every area when not doubleBuffered).
   */
  stage(area: number, n: number): { x: Float32Array; y: Int32Array | Float32Array } {
    if (!this.doubleBuffered || area === MODEL_STAGE) return this.model.stage(n);
    if (n > this.maxBatch) throw new RangeError(`shards: a batch of ${n} rows exceeds the ${this.maxBatch} this sharder was made for`);
    const buf = this.mem.memory.buffer;
    const inputs = this.model.inputs;
    const at = this.areas[area & 1];
    const yAt = at + this.maxBatch * inputs * 4;
    const x = new Float32Array(buf, at, n * inputs);
    const y = this.model.loss === 'softmaxCrossEntropy' ? new Int32Array(buf, yAt, n) : new Float32Array(buf, yAt, (n * this.yRowBytes) >> 2);
    return { x, y };
  }

  /**
   * Adds the gradient of n rows staged in `area` (see stage(); by default the model's own
   * staging, where model.stage() put them) to `plan` (see the file header);
   * after the plan has run, buffer.grads holds the batch gradient and the returned function
   * gives the mean loss.
   */
  plan(plan: Plan, n: number, area = MODEL_STAGE): () => number {
    if (n > this.maxBatch) throw new RangeError(`shards: a batch of ${n} rows exceeds the ${this.maxBatch} this sharder was made for`);
    const model = this.model;
    const src = this.modelTable();
    const own = this.doubleBuffered && area !== MODEL_STAGE ? this.areas[area & 1] : 0;
    const x = own ? own : src[MLP_X];
    const y = own ? own + this.maxBatch * model.inputs * 4 : src[MLP_Y];
    const xRow = model.inputs * 4;
    const out = model.outputs;
    const ce = model.loss === 'softmaxCrossEntropy';
    // As Mlp.run: the gradient of a mean, 1/rows for cross-entropy, 1/elements (MSE: 2/elements).
    const scale = ce ? 1 / n : (model.loss === 'mse' ? 2 : 1) / (n * out);
    // Pack Wᵀ (+ b) once, PACK_ROWS rows of W per task (panels are 8 columns: blocks stay whole).
    for (let l = 0; l < this.L; l++) {
      const o = HEADER + LAYER * l;
      const K = src[o + MLP_L_IN], M = src[o + MLP_L_OUT], w = src[o + MLP_L_W], wt = src[o + MLP_L_PANELS];
      const panel = (K + 1) * 32;
      for (let j = 0; j < M; j += PACK_ROWS) {
        plan.pack(PACK_PHASE, wt + (j >> 3) * panel, w + j * K * 4, w + (M * K + j) * 4, Math.min(PACK_ROWS, M - j), K);
      }
    }
    const shards = Math.ceil(n / SHARD_ROWS);
    const size = model.buffer.size;
    const gradsPtr = model.buffer.gradsPtr;
    const passes: number[] = [];
    const i32 = new Int32Array(this.mem.memory.buffer);
    // Layer 0's gW rows in blocks of a multiple of 4 (the product's register block stays whole).
    const M0 = src[HEADER + MLP_L_OUT], K0 = src[HEADER + MLP_L_IN];
    const split = M0 * K0 * SHARD_ROWS >= GRAD0_MIN_MACS;
    const rowBlock = Math.ceil(M0 / GRAD0_BLOCKS / 4) * 4;
    for (let round = 0; round * this.slots < shards; round++) {
      const phase = runPhase(round);
      const from = round * this.slots, to = Math.min(shards, from + this.slots);
      const mine: number[] = [];
      for (let s = from; s < to; s++) {
        const first = s * SHARD_ROWS;
        const w = this.tables[s] >> 2;
        i32[w + MLP_X] = x + first * xRow;
        i32[w + HEADER + MLP_L_A_IN] = x + first * xRow;
        i32[w + MLP_Y] = y + first * this.yRowBytes;
        mine.push(plan.run(phase, this.tables[s], Math.min(SHARD_ROWS, n - first), split ? MODE_GRAD_DEFER : MODE_GRAD, scale));
      }
      passes.push(...mine);
      // Claimed after every pass of the round, shard by shard: a block's pass is done or running.
      // blockEnd[j]: tasks in the phase once the last shard's block starting at row j is in.
      const blockEnd = new Map<number, number>();
      if (split) {
        for (const p of mine) {
          for (let j = 0; j < M0; j += rowBlock) {
            plan.grad0(phase, p, j, Math.min(rowBlock, M0 - j));
            blockEnd.set(j, plan.size(phase));
          }
        }
      }
      const count = to - from;
      const all = plan.size(phase);
      for (let b = 0; b < size; b += SUM_BLOCK) {
        const len = Math.min(SUM_BLOCK, size - b);
        if (shards > this.slots) {
          // Several rounds reuse the slots: the round's sums go after a barrier.
          plan.sum(sumPhase(round), gradsPtr, this.srcs, count, b, len, round > 0);
          continue;
        }
        // One round: each sum joins the passes' phase and waits for the tasks that write its
        // elements — for a block of layer 0's weights, every task up to the last shard's row
        // block holding its last row (all claimed before it); otherwise every task.
        const lastRow = Math.floor((b + len - 1) / K0);
        const after = split && b + len <= M0 * K0 ? blockEnd.get(lastRow - (lastRow % rowBlock))! : all;
        plan.sum(phase, gradsPtr, this.srcs, count, b, len, false, after);
      }
    }
    return () => {
      let total = 0;
      for (const i of passes) total += plan.results[i];
      return total / (ce ? n : n * out);
    };
  }

  dispose(): void {
    for (const p of this.blocks.splice(0)) this.mem.release(p);
  }
}
