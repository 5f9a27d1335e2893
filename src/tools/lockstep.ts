// Independent trainings side by side (the batch study's batch sizes, the data race's
// optimizers): in each round every lane that still trains stages its next batch, then all
// their forward/backward passes go into one threads plan — one task per lane, shared by the
// agents (src/core/plan.ts) — and each lane takes its optimizer step. A lane's pass is the very
// kernel call Model.lossAndGradStaged makes on that lane's own model, so every worker count
// gives the same bits as training the lanes one after another.
//
// A lane's `ms` is its own work: its gathers, its optimizer steps and its passes timed where
// they ran (the executor clocks each task), so a lane's seconds do not depend on how many
// lanes shared the machine with it, as far as the machine's memory bandwidth lets them be.
import { coreOf, type Core, type CoreLike } from '../core/core.js';
import { Mlp } from '../models/mlp.js';
import type { Model } from '../models/model.js';
import { Plan, runPlan, teamFor, type Pool } from '../threads/index.js';
import { now } from './common.js';

export interface Lane {
  readonly model: Model;
  /** Stages the lane's next batch into its model; returns the rows, or 0 when it is done. */
  stage(): number;
  /** After the pass: the optimizer step (timed). */
  step(): void;
  /** Then the batch's mean loss, for the lane's records and evaluations (not timed). */
  record(loss: number): void;
  /** Milliseconds of this lane's own training work so far. */
  ms: number;
}

export class Lockstep {
  private constructor(
    private readonly core: Core,
    readonly agents: number,
    private readonly pool?: Pool,
  ) {}

  /** Agents for `workers` on this engine (one, with a notice, where threads are unavailable). */
  static async make(of: CoreLike, workers: number | 'auto' | undefined, who: string): Promise<Lockstep> {
    const core = coreOf(of);
    const team = await teamFor(core, workers, who);
    return new Lockstep(core, team.agents, team.pool);
  }

  /** Trains the lanes round by round until every lane's stage() returns 0. */
  async run(lanes: Lane[]): Promise<void> {
    let active = lanes.slice();
    while (active.length) {
      const plan = new Plan();
      const staged: { lane: Lane; result: () => { loss: number; ms: number } }[] = [];
      for (const lane of active) {
        let t0 = now();
        const rows = lane.stage();
        lane.ms += now() - t0;
        if (rows === 0) continue;
        if (lane.model instanceof Mlp) staged.push({ lane, result: lane.model.planGradient(plan, 1, rows) });
        else {
          // A user's Model (not an MLP) runs right here, one after another.
          t0 = now();
          const r = { loss: lane.model.lossAndGradStaged(rows), ms: 0 };
          r.ms = now() - t0;
          staged.push({ lane, result: () => r });
        }
      }
      if (plan.passes > 0) await runPlan(this.core, plan, this.agents, this.pool);
      for (const s of staged) {
        const { loss, ms } = s.result();
        s.lane.ms += ms;
        const t0 = now();
        s.lane.step();
        s.lane.ms += now() - t0;
        s.lane.record(loss);
      }
      active = staged.map((s) => s.lane);
    }
  }
}
