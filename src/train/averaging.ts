// What fit() does for the averaging options (swa, ema, snapshots, lookahead): a FitHook
// (hooks.ts, the interface a user's callbacks reach fit through) at the step and epoch boundaries:
// - step(): the optimizer step (through Lookahead when asked), preceded by the cycle-boundary
//   check (SWA/snapshots take the params just before the first step of a new SGDR cycle: the
//   end of the previous cycle, at its lowest lr) and followed by the EMA update and SWA's
//   every-k-steps update.
// - epochEnd(): a cycle ending exactly at the epoch boundary, SWA's per-epoch update, then
//   the averaged models' validation metrics into the epoch's history entry.
import type { Core } from '../core/core.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Lookahead } from '../optimizers/lookahead.js';
import { evaluateDataset } from './evaluate.js';
import type { AveragingState, EpochEntry, History } from './types.js';
import { Ema } from '../averaging/ema.js';
import { SnapshotEnsemble } from '../averaging/snapshots.js';
import { Swa } from '../averaging/swa.js';
import type { FitHook } from './hooks.js';

export interface AveragingOptions {
  swa?: { start: number; every?: 'cycle' | 'epoch' | number };
  ema?: { decay: number; warmup: boolean };
  snapshots?: boolean;
  lookahead?: { k: number; alpha: number };
}


interface CycleSchedule {
  cycleAt?(t: number): { index: number };
}

export class FitAveraging implements FitHook {
  private swa?: Swa;
  private ema?: Ema;
  private la?: Lookahead;
  private snaps?: SnapshotEnsemble;
  private swaEvery: 'cycle' | 'epoch' | number = 'epoch';
  private swaStart = 1;
  private lastCycle: number | undefined;
  private needCycles: boolean;

  /** Throws (allocating nothing) when the options need a schedule with cycles and there is none. */
  constructor(core: Core, private readonly model: Model, private readonly opt: Optimizer, private readonly sched: CycleSchedule | undefined, o: AveragingOptions) {
    const cycles = typeof sched?.cycleAt === 'function';
    if (o.swa) {
      this.swaEvery = o.swa.every ?? (cycles ? 'cycle' : 'epoch');
      this.swaStart = o.swa.start;
      if (this.swaEvery === 'cycle' && !cycles) {
        throw new TypeError("fit: swa every 'cycle' needs a schedule with restarts (cosineWarmRestarts); use every: 'epoch' or a step count");
      }
    }
    if (o.snapshots && !cycles) throw new TypeError('fit: snapshots need a schedule with restarts (cosineWarmRestarts)');
    this.needCycles = (o.swa !== undefined && this.swaEvery === 'cycle') || o.snapshots === true;
    try {
      if (o.swa) this.swa = new Swa(core, model.buffer);
      if (o.ema) this.ema = new Ema(core, model.buffer, o.ema);
      if (o.lookahead) this.la = new Lookahead(core, opt, o.lookahead);
      if (o.snapshots) this.snaps = new SnapshotEnsemble(model);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** `epoch` is 0-based; t is the schedule's t for this step. */
  step(t: number, epoch: number, stepsBefore: number): void {
    if (this.needCycles) this.boundary(t, epoch);
    const took = this.la ? this.la.step() : this.opt.step();
    if (!took) return;
    this.ema?.update();
    if (this.swa && typeof this.swaEvery === 'number' && epoch + 1 >= this.swaStart && (stepsBefore + 1) % this.swaEvery === 0) this.swa.update();
  }

  /** After the epoch's training, before its history entry is pushed; tNext is the next step's t. */
  epochMetrics(entry: EpochEntry, epoch: number, tNext: number, val: Dataset | undefined, batch: number): void {
    if (this.needCycles) this.boundary(tNext, epoch);
    if (this.swa && this.swaEvery === 'epoch' && epoch + 1 >= this.swaStart) this.swa.update();
    if (!val) return;
    if (this.swa && this.swa.updates > 0) {
      const r = this.swa.with(() => evaluateDataset(this.model, val, batch));
      entry.swaValLoss = r.loss;
      if (r.accuracy !== undefined) entry.swaValAccuracy = r.accuracy;
    }
    if (this.ema) {
      const r = this.ema.with(() => evaluateDataset(this.model, val, batch));
      entry.emaValLoss = r.loss;
      if (r.accuracy !== undefined) entry.emaValAccuracy = r.accuracy;
    }
    if (this.snaps && this.snaps.snapshots.length > 0) {
      const a = this.snaps.accuracy(val);
      if (a !== undefined) entry.snapshotValAccuracy = a;
      entry.snapshots = this.snaps.snapshots.length;
    }
  }

  /** The averaged params, copied into the history when the run ends. */
  finish(history: History): void {
    const out: NonNullable<History['averages']> = {};
    if (this.swa) out.swa = { updates: this.swa.updates, params: Float32Array.from(this.swa.params) };
    if (this.ema) out.ema = { updates: this.ema.updates, params: Float32Array.from(this.ema.params) };
    if (this.la) out.lookahead = { slow: Float32Array.from(this.la.slowParams) };
    if (this.snaps) out.snapshots = this.snaps.snapshots.map((s) => Float32Array.from(s));
    history.averages = out;
  }

  dispose(): void {
    this.swa?.dispose();
    this.ema?.dispose();
    this.la?.dispose();
  }

  /** The state a checkpoint needs (JSON-safe). */
  save(): AveragingState {
    const out: AveragingState = {};
    if (this.lastCycle !== undefined) out.lastCycle = this.lastCycle;
    if (this.swa) out.swa = { updates: this.swa.updates, params: toBase64(this.swa.params) };
    if (this.ema) out.ema = { updates: this.ema.updates, params: toBase64(this.ema.params) };
    if (this.la) out.lookahead = { fastSteps: this.la.fastSteps, slow: toBase64(this.la.slowParams) };
    if (this.snaps) out.snapshots = this.snaps.snapshots.map(toBase64);
    return out;
  }

  /** Restore save()'s state; checks everything first and throws (changing nothing) on a mismatch. */
  load(state: AveragingState | undefined): void {
    const n = this.model.buffer.size;
    const what = (k: string) => `fit: the checkpoint has no ${k} state (made without ${k}?)`;
    if (!state || typeof state !== 'object') throw new Error(what('averaging'));
    const arr = (s: unknown, k: string): Float32Array => {
      const a = typeof s === 'string' ? fromBase64(s) : undefined;
      if (!a || a.length !== n) throw new Error(`fit: the checkpoint's ${k} does not hold ${n} parameters`);
      return a;
    };
    const count = (v: unknown, k: string): number => {
      if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`fit: the checkpoint's ${k} count is not a whole number`);
      return v as number;
    };
    const plan: Array<() => void> = [];
    if (this.swa) {
      if (!state.swa) throw new Error(what('swa'));
      const p = arr(state.swa.params, 'swa average');
      const u = count(state.swa.updates, 'swa update');
      plan.push(() => { this.swa!.params.set(p); this.swa!.updates = u; });
    }
    if (this.ema) {
      if (!state.ema) throw new Error(what('ema'));
      const p = arr(state.ema.params, 'ema average');
      const u = count(state.ema.updates, 'ema update');
      plan.push(() => { this.ema!.params.set(p); this.ema!.updates = u; });
    }
    if (this.la) {
      if (!state.lookahead) throw new Error(what('lookahead'));
      const p = arr(state.lookahead.slow, 'lookahead slow weights');
      const u = count(state.lookahead.fastSteps, 'lookahead step');
      plan.push(() => { this.la!.slowParams.set(p); this.la!.fastSteps = u; });
    }
    if (this.snaps) {
      if (!Array.isArray(state.snapshots)) throw new Error(what('snapshots'));
      const list = state.snapshots.map((s, i) => arr(s, `snapshot ${i}`));
      plan.push(() => { this.snaps!.snapshots.splice(0, Infinity, ...list); });
    }
    if (state.lastCycle !== undefined) count(state.lastCycle, 'cycle');
    for (const f of plan) f();
    this.lastCycle = state.lastCycle;
  }

  /** A change of SGDR cycle between the previous step and t: the params end a cycle. */
  private boundary(t: number, epoch: number): void {
    const c = this.sched!.cycleAt!(t).index;
    if (this.lastCycle === undefined) {
      this.lastCycle = c;
      return;
    }
    if (c === this.lastCycle) return;
    this.lastCycle = c;
    if (this.swa && this.swaEvery === 'cycle' && epoch + 1 >= this.swaStart) this.swa.update();
    this.snaps?.take();
  }
}

function toBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) dv.setFloat32(i * 4, a[i], true);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function fromBase64(s: string): Float32Array | undefined {
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    return undefined;
  }
  if (bin.length % 4 !== 0) return undefined;
  const dv = new DataView(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) dv.setUint8(i, bin.charCodeAt(i));
  const out = new Float32Array(bin.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}
