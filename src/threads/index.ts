// Data-parallel training on shared WASM memory: init({ workers }) makes an engine on the
// threads build, fit shards its batches (shard.ts) over a worker pool (pool.ts).
import { coreOf, type CoreLike } from '../core/core.js';
import { threadContext } from './context.js';
import { hardwareConcurrency, noticeOnce } from './available.js';
import type { Plan } from '../core/plan.js';
import type { Pool } from './pool.js';

export { threadsUnavailable, hardwareConcurrency, noticeOnce } from './available.js';
export { threadContext, poolFor, stopWorkers } from './context.js';
import { poolFor } from './context.js';
import { WorkerStartError } from './pool.js';
export { Sharder, shardable, SHARD_ROWS, SHARD_MIN_BATCH, SUM_BLOCK } from './shard.js';
export { Plan } from '../core/plan.js';
export { WorkerStartError, type Pool } from './pool.js';

/** How many agents (the calling thread included) a run on this engine uses. */
export async function agentsFor(core: CoreLike, requested: number | 'auto' | undefined, who: string): Promise<number> {
  const ctx = threadContext(core);
  const n = requested === undefined ? ctx?.workers ?? 1 : requested === 'auto' ? await hardwareConcurrency() : requested;
  if (n <= 1) return 1;
  if (!ctx) {
    noticeOnce(`simdescent: ${who}: workers > 1 needs an engine made with init({ workers }) (the threads build on shared memory); using one worker`);
    return 1;
  }
  return n;
}

/**
 * Runs a plan: on the pool's agents when there are several, else task by task right here.
 * `meanwhile` (work on other memory) overlaps the job when there are workers, else follows it.
 */
export async function runPlan(core: CoreLike, plan: Plan, agents: number, pool?: Pool, meanwhile?: () => void): Promise<void> {
  if (agents > 1 && pool) await pool.run(plan, agents, meanwhile);
  else {
    plan.runSerial(coreOf(core).kernels);
    meanwhile?.();
  }
}

/**
 * The agents and pool for a run that asked for `requested` workers. Where workers cannot be
 * created at all (a page whose Content-Security-Policy refuses blob: workers, say) the run
 * goes on with one agent after a one-time notice; a worker that starts and then crashes is an
 * error.
 */
export async function teamFor(core: CoreLike, requested: number | 'auto' | undefined, who: string): Promise<{ agents: number; pool?: Pool }> {
  const agents = await agentsFor(core, requested, who);
  if (agents <= 1) return { agents: 1 };
  try {
    return { agents, pool: await poolFor(core, agents - 1) };
  } catch (e) {
    if (!(e instanceof WorkerStartError)) throw e;
    noticeOnce(`${e.message}; ${who} uses one worker`);
    return { agents: 1 };
  }
}
