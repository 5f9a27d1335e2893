// fit's sharded step (src/train/step.ts owns the interface; the facade hands this to fit).
// Batches of SHARD_MIN_BATCH rows or more are sharded for every worker count (the same bits
// for 1, 2, 4… workers); with more than one, the core's workers share the shards.
import type { Core } from '../core/core.js';
import { Plan } from '../core/plan.js';
import { gatherRows } from '../data/index.js';
import type { Mlp } from '../models/mlp.js';
import type { Model } from '../models/model.js';
import type { Pool } from './pool.js';
import type { Batch, FusableStep, GradientStep, ParallelSteps, ParallelTeam } from '../train/step.js';
import { runPlan, teamFor } from './index.js';
import { shardable, Sharder, SUM_BLOCK } from './shard.js';

export const FIT_PARALLEL: ParallelSteps = {
  async team(core: Core, model: Model, batchSize: number, workers: number | 'auto' | undefined): Promise<ParallelTeam | undefined> {
    if (!shardable(model, batchSize)) return undefined;
    const team = await teamFor(core, workers, 'fit');
    return {
      agents: team.agents,
      step: (plain) => new ShardedStep(core, model, batchSize, team.agents, team.pool, plain),
    };
  },
};

class ShardedStep implements GradientStep {
  fused = false;
  private readonly sharder: Sharder;
  /** The batch already gathered into its staging area (while the previous one ran). */
  private prefetched: { order: Uint32Array; batch: number } | undefined;

  constructor(
    private readonly core: Core,
    private readonly model: Model,
    batchSize: number,
    private readonly agents: number,
    private readonly pool: Pool | undefined,
    private readonly plain: GradientStep,
  ) {
    this.sharder = new Sharder(core, model as Mlp, batchSize);
  }

  gradient(b: Batch, next: Batch | undefined, fuse: FusableStep | undefined): number | Promise<number> {
    this.fused = false;
    if (!shardable(this.model, b.end - b.start)) return this.plain.gradient(b, next, undefined);
    return this.sharded(b, next, fuse);
  }

  private async sharded(b: Batch, next: Batch | undefined, fuse: FusableStep | undefined): Promise<number> {
    // Sharded batches alternate between two staging areas: while the agents work on this
    // one, the calling thread gathers the next batch's rows into the other.
    const sh = this.sharder;
    const size = b.end - b.start;
    const area = sh.doubleBuffered ? b.batch & 1 : 0;
    const pre = this.prefetched;
    if (!pre || pre.batch !== b.batch || pre.order !== b.order) {
      const st = sh.stage(area, size);
      gatherRows(b.train, b.order, b.start, b.end, st.x, st.y);
    }
    this.prefetched = undefined;
    const plan = new Plan();
    const mean = sh.plan(plan, size, area);
    // Without accumulation or a hook that takes the step, the optimizer step joins the job:
    // each 16384-parameter block is stepped by the task that sums it (element-wise rules; the
    // same bits as step()).
    const stepped = fuse ? (fuse.before(), fuse.opt.planStep(plan, plan.nextPhase - 1, SUM_BLOCK)) : undefined;
    const prefetch =
      sh.doubleBuffered && next && shardable(this.model, next.end - next.start)
        ? () => {
            const st = sh.stage(next.batch & 1, next.end - next.start);
            gatherRows(next.train, next.order, next.start, next.end, st.x, st.y);
            this.prefetched = { order: next.order, batch: next.batch };
          }
        : undefined;
    try {
      await runPlan(this.core, plan, this.agents, this.pool, prefetch);
    } catch (e) {
      stepped?.(plan.stepState === 'done'); // completed by the calling thread, or not begun
      throw e;
    }
    stepped?.(true);
    this.fused = !!stepped;
    return mean();
  }

  dispose(): void {
    this.sharder.dispose();
  }
}
