// init({ workers: 2 }) in a browser: on a cross-origin-isolated page fit runs on shared
// memory with Web Workers; elsewhere init says why in a console.info and uses one thread.
// Either way the params must equal the single-thread run's bits.
import { init } from 'simdescent';
import { poolFor } from 'simdescent/threads';
import { run, runWide } from './run.js';

let workersMade = 0;
const NativeWorker = globalThis.Worker;
globalThis.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    workersMade++;
  }
};
const notices = [];
const info = console.info.bind(console);
console.info = (...args) => {
  notices.push(args.join(' '));
  info(...args);
};

try {
  const one = await run(await init());
  const sd = await init({ workers: 2 });
  const shared = typeof SharedArrayBuffer === 'function' && sd.kernels.memory.buffer instanceof SharedArrayBuffer;
  const two = await run(sd);
  // Row blocks waiting for their pass: worker 1 sleeps 100 ms after claiming its first task of
  // the first batch's pass phase, so this thread needs that pass and awaits it in the event loop.
  const wideOne = await runWide(await init());
  let heldWaits = 0;
  // No pool where workers cannot start (not isolated, or a CSP refusing blob: workers).
  const pool = shared ? await poolFor(sd, 1).catch(() => undefined) : undefined;
  pool?.injectStallAt(1, 1, 100);
  const before = pool?.heldWaits ?? 0;
  const wideTwo = await runWide(sd);
  if (pool) heldWaits = pool.heldWaits - before;
  globalThis.threadsResult = { crossOriginIsolated: globalThis.crossOriginIsolated === true, shared, workersMade, notices, one, two, wideOne, wideTwo, heldWaits };
  document.querySelector('#out').textContent = JSON.stringify({ shared, workersMade, notices, losses: two.losses });
} catch (err) {
  globalThis.threadsResult = { error: String(err && err.stack || err) };
}
