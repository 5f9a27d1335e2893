// What fit() does for the averaging options (swa, ema, snapshots, lookahead), kept here so the
// trainer only calls hooks at its step and epoch boundaries:
// - step(): the optimizer step (through Lookahead when asked), preceded by the cycle-boundary
//   check (SWA/snapshots take the params just before the first step of a new SGDR cycle: the
//   end of the previous cycle, at its lowest lr) and followed by the EMA update and SWA's
//   every-k-steps update.
// - epochEnd(): a cycle ending exactly at the epoch boundary, SWA's per-epoch update, then
//   the averaged models' validation metrics into the epoch's history entry.
import type { Engine } from '../engine.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Lookahead } from '../optimizers/lookahead.js';
import { evaluateDataset } from '../train/evaluate.js';
import type { EpochEntry, History } from '../train/types.js';
import { Ema } from './ema.js';
import { SnapshotEnsemble } from './snapshots.js';
import { Swa } from './swa.js';

export interface AveragingOptions {
  swa?: { start: number; every?: 'cycle' | 'epoch' | number };
  ema?: { decay: number; warmup: boolean };
  snapshots?: boolean;
  lookahead?: { k: number; alpha: number };
}

interface CycleSchedule {
  cycleAt?(t: number): { index: number };
}

export class FitAveraging {
  private swa?: Swa;
  private ema?: Ema;
  private la?: Lookahead;
  private snaps?: SnapshotEnsemble;
  private swaEvery: 'cycle' | 'epoch' | number = 'epoch';
  private swaStart = 1;
  private lastCycle: number | undefined;
  private needCycles: boolean;

  /** Throws (allocating nothing) when the options need a schedule with cycles and there is none. */
  constructor(engine: Engine, private readonly model: Model, private readonly opt: Optimizer, private readonly sched: CycleSchedule | undefined, o: AveragingOptions) {
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
      if (o.swa) this.swa = new Swa(engine, model.buffer);
      if (o.ema) this.ema = new Ema(engine, model.buffer, o.ema);
      if (o.lookahead) this.la = new Lookahead(engine, opt, o.lookahead);
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
  epochEnd(entry: EpochEntry, epoch: number, tNext: number, val: Dataset | undefined, batch: number): void {
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
