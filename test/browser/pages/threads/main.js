// init({ workers: 2 }) in a browser: on a cross-origin-isolated page fit runs on shared
// memory with Web Workers; elsewhere init says why in a console.info and uses one thread.
// Either way the params must equal the single-thread run's bits.
import { init } from 'simdescent';
import { run } from './run.js';

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
  globalThis.threadsResult = { crossOriginIsolated: globalThis.crossOriginIsolated === true, shared, workersMade, notices, one, two };
  document.querySelector('#out').textContent = JSON.stringify({ shared, workersMade, notices, losses: two.losses });
} catch (err) {
  globalThis.threadsResult = { error: String(err && err.stack || err) };
}
