// Which engines run on shared memory (made by init({ workers })), and their worker pools.
import type { Engine } from '../engine.js';
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

const contexts = new WeakMap<Engine, ThreadContext>();

export function attachThreads(engine: Engine, ctx: ThreadContext): void {
  contexts.set(engine, ctx);
}

export function threadContext(engine: Engine): ThreadContext | undefined {
  return contexts.get(engine);
}

/** The engine's pool with at least `threads` workers (a failed pool is replaced). */
export async function poolFor(engine: Engine, threads: number): Promise<Pool> {
  const ctx = contexts.get(engine);
  if (!ctx) throw new Error('simdescent: this engine has no threads (made without init({ workers }))');
  if (ctx.cannotStart) throw ctx.cannotStart;
  if (ctx.pool?.broken) {
    await ctx.pool.terminate();
    ctx.pool = undefined;
  }
  ctx.pool ??= new Pool(engine.mem, engine.kernels, ctx.module, await hardwareConcurrency());
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

/** Stop an engine's workers (they are started again on demand). */
export async function stopWorkers(engine: Engine): Promise<void> {
  const ctx = contexts.get(engine);
  if (!ctx?.pool) return;
  const pool = ctx.pool;
  ctx.pool = undefined;
  await pool.terminate();
}
