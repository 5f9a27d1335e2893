// Data-parallel training on shared WASM memory: init({ workers }) makes an engine on the
// threads build, fit shards its batches (shard.ts) over a worker pool (pool.ts).
import type { Engine } from '../engine.js';
import { threadContext } from './context.js';
import { hardwareConcurrency, noticeOnce } from './available.js';

export { threadsUnavailable, hardwareConcurrency, noticeOnce } from './available.js';
export { attachThreads, threadContext, poolFor, stopWorkers } from './context.js';
export { Sharder, shardable, SHARD_ROWS, SHARD_MIN_BATCH } from './shard.js';

/** How many agents (the calling thread included) a run on this engine uses. */
export async function agentsFor(engine: Engine, requested: number | 'auto' | undefined, who: string): Promise<number> {
  const ctx = threadContext(engine);
  const n = requested === undefined ? ctx?.workers ?? 1 : requested === 'auto' ? await hardwareConcurrency() : requested;
  if (n <= 1) return 1;
  if (!ctx) {
    noticeOnce(`simdescent: ${who}: workers > 1 needs an engine made with init({ workers }) (the threads build on shared memory); using one worker`);
    return 1;
  }
  return n;
}
