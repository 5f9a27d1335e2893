// init({ workers }): an engine on the threads build (shared memory), or — where threads
// cannot run — undefined after a one-time notice, so init falls back to one thread.
import { Engine } from '../engine.js';
import { loadThreadedKernels, relaxedWasmUrl } from '../wasm.js';
import { hardwareConcurrency, noticeOnce, threadsUnavailable } from './available.js';
import { attachThreads } from './context.js';

export async function threadedEngine(workers: number | 'auto', simd: boolean | undefined, relaxed = false): Promise<Engine | undefined> {
  const n = workers === 'auto' ? await hardwareConcurrency() : workers;
  if (n <= 1) return undefined;
  const why = simd === false ? 'the scalar build was requested (threads need SIMD)' : threadsUnavailable();
  if (why) {
    noticeOnce(`simdescent: threads unavailable (${why}); using one worker`);
    return undefined;
  }
  let loaded;
  try {
    loaded = await loadThreadedKernels(relaxed ? relaxedWasmUrl(true) : undefined);
  } catch (e) {
    noticeOnce(`simdescent: threads unavailable (${(e as Error).message}); using one worker`);
    return undefined;
  }
  const engine = new Engine(loaded.kernels, true);
  attachThreads(engine, { module: loaded.module, workers: n });
  return engine;
}
