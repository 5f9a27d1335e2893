// The worker's code, as text: run with `eval: true` by Node's worker_threads and from a Blob
// URL by browsers, so no bundler has to find a separate worker file. Each worker instantiates
// the threads build on the engine's shared memory, then loops: wait for the control block's
// generation word to change (a short spin — batches follow each other closely — then
// Atomics.wait), run its part of the job in WASM (team_work), wait again. No message is
// exchanged per batch. Control block layout: src/core/layout.ts (its constants are written into
// the text below, so the worker reads the words the pool and assembly/threads/team.ts do).

import * as L from '../core/layout.js';

const BODY = `
onMessage((init) => {
  // A failure becomes an uncaught exception (the 'error' event on the worker object in Node
  // and in browsers, where a rejected promise alone would go unnoticed).
  start(init).catch((e) => setTimeout(() => { throw e; }));
});
async function start(init) {
  const { module, memory, ctrl, id } = init;
  const imports = { env: { memory, now: () => performance.now(), abort(m, f, line, col) { throw new Error('simdescent core aborted at ' + line + ':' + col); } } };
  const instance = await WebAssembly.instantiate(module, imports);
  const team = instance.exports.team_work;
  const c = new Int32Array(memory.buffer, ctrl, ${L.CTRL_WORDS});
  let seen = Atomics.load(c, ${L.CTRL_GEN});
  // Spin for the next job only after taking part in one: a worker left out of a job (fewer
  // agents than workers) would take a core from an agent that has work.
  let spin = false;
  post('ready');
  for (;;) {
    const spinUntil = spin ? performance.now() + c[${L.CTRL_IDLE_SPIN_US}] / 1000 : 0;
    while (Atomics.load(c, ${L.CTRL_GEN}) === seen && performance.now() < spinUntil);
    Atomics.wait(c, ${L.CTRL_GEN}, seen);
    const gen = Atomics.load(c, ${L.CTRL_GEN});
    if (gen === seen) continue;
    seen = gen;
    if (c[${L.CTRL_CMD}] === ${L.CMD_QUIT}) break;
    spin = id < c[${L.CTRL_AGENTS}];
    if (!spin) continue;
    try {
      if (c[${L.CTRL_FAULT}] === id) {
        c[${L.CTRL_FAULT}] = 0;
        throw new Error('injected fault (test hook)');
      }
      team(ctrl, id, 1);
    } catch (e) {
      // Tell the other agents at once (they are spinning or blocked at a barrier), then fail.
      Atomics.store(c, ${L.CTRL_FAILED}, id + 1);
      Atomics.notify(c, ${L.CTRL_DONE});
      const n = c[${L.CTRL_NPHASES}];
      if (c[${L.CTRL_PHASES}]) {
        const phases = new Int32Array(memory.buffer, c[${L.CTRL_PHASES}], n * ${L.PHASE_WORDS});
        for (let p = 0; p < n; p++) Atomics.notify(phases, p * ${L.PHASE_WORDS} + ${L.PHASE_ARRIVED});
      }
      // The calling thread may be waiting for a task to finish (the awaited word).
      if (c[${L.CTRL_AWAITED}]) Atomics.notify(new Int32Array(memory.buffer, c[${L.CTRL_TASKS}]), (c[${L.CTRL_AWAITED}] - 1) * ${L.TASK_WORDS} + ${L.TASK_STATE});
      throw e;
    }
  }
  post('bye');
}
`;

export const NODE_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const onMessage = (f) => parentPort.once('message', f);
const post = (m) => parentPort.postMessage(m);
${BODY}`;

export const BROWSER_WORKER_SOURCE = `
const onMessage = (f) => { self.onmessage = (e) => { self.onmessage = null; f(e.data); }; };
const post = (m) => self.postMessage(m);
${BODY}`;
