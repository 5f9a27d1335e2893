// The worker pool of each core on the threads build (made by init({ workers })).
import { coreOf, type Core, type CoreLike } from '../core/core.js';
import { Pool, WorkerStartError } from './pool.js';
import { hardwareConcurrency } from './available.js';

export interface ThreadContext {
  module: WebAssembly.Module;
  /** fit's worker count when its options do not say (init's `workers`, 'auto' resolved). */
  workers: number;
  pool?: Pool;
  /** Why workers cannot start here (a CSP refusing blob: workers, say): not tried again. */
  cannotStart?: WorkerStartError;
}

const contexts = new WeakMap<Core, ThreadContext>();

/** The core's threads (undefined off the threads build), made on first use from its capability. */
export function threadContext(of: CoreLike): ThreadContext | undefined {
  const core = coreOf(of);
  let ctx = contexts.get(core);
  if (!ctx && core.threads) contexts.set(core, (ctx = { module: core.threads.module, workers: core.threads.workers }));
  return ctx;
}

/** The engine's pool with at least `threads` workers (a failed pool is replaced). */
export async function poolFor(of: CoreLike, threads: number): Promise<Pool> {
  const core = coreOf(of);
  const ctx = threadContext(core);
  if (!ctx) throw new Error('simdescent: this engine has no threads (made without init({ workers }))');
  if (ctx.cannotStart) throw ctx.cannotStart;
  if (ctx.pool?.broken) {
    await ctx.pool.terminate();
    ctx.pool = undefined;
  }
  ctx.pool ??= new Pool(core.mem, core.kernels, ctx.module, await hardwareConcurrency());
  try {
    await ctx.pool.ensure(threads);
  } catch (e) {
    await ctx.pool.terminate();
    ctx.pool = undefined;
    if (e instanceof WorkerStartError) ctx.cannotStart = e;
    throw e;
  }
  return ctx.pool;
}

/** Stop a core's workers (they are started again on demand). */
export async function stopWorkers(of: CoreLike): Promise<void> {
  const ctx = contexts.get(coreOf(of));
  if (!ctx?.pool) return;
  const pool = ctx.pool;
  ctx.pool = undefined;
  await pool.terminate();
}
