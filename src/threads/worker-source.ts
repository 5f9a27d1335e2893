// The worker's code, as text: run with `eval: true` by Node's worker_threads and from a Blob
// URL by browsers, so no bundler has to find a separate worker file. Each worker instantiates
// the threads build on the engine's shared memory, then loops: wait for the control block's
// generation word to change (a short spin — batches follow each other closely — then
// Atomics.wait), run its part of the job in WASM (team_work), wait again. No message is
// exchanged per batch. Control block layout: assembly/threads/team.ts.

import { TASK_WORDS } from '../core/plan.js';

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
  const c = new Int32Array(memory.buffer, ctrl, 80);
  let seen = Atomics.load(c, 0);
  // Spin for the next job only after taking part in one: a worker left out of a job (fewer
  // agents than workers) would take a core from an agent that has work.
  let spin = false;
  post('ready');
  for (;;) {
    const spinUntil = spin ? performance.now() + c[10] / 1000 : 0;
    while (Atomics.load(c, 0) === seen && performance.now() < spinUntil);
    Atomics.wait(c, 0, seen);
    const gen = Atomics.load(c, 0);
    if (gen === seen) continue;
    seen = gen;
    if (c[4] === 2) break;
    spin = id < c[2];
    if (!spin) continue;
    try {
      if (c[5] === id) {
        c[5] = 0;
        throw new Error('injected fault (test hook)');
      }
      team(ctrl, id, 1);
    } catch (e) {
      // Tell the other agents at once (they are spinning or blocked at a barrier), then fail.
      Atomics.store(c, 6, id + 1);
      Atomics.notify(c, 1);
      const n = c[9];
      if (c[8]) {
        const phases = new Int32Array(memory.buffer, c[8], n * 4);
        for (let p = 0; p < n; p++) Atomics.notify(phases, p * 4 + 2);
      }
      // The calling thread may be waiting for a task to finish (word 15).
      if (c[15]) Atomics.notify(new Int32Array(memory.buffer, c[7]), (c[15] - 1) * ${TASK_WORDS} + 10);
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
