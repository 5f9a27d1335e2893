// The worker's code, as text: run with `eval: true` by Node's worker_threads and from a Blob
// URL by browsers, so no bundler has to find a separate worker file. Each worker instantiates
// the threads build on the engine's shared memory, then loops: block on the control block's
// generation word (Atomics.wait), run its slots of the job, count itself done, notify.
// No message is exchanged per batch. Layout of the control block (i32 words): see pool.ts.

const BODY = `
onMessage((init) => {
  // A failure becomes an uncaught exception (the 'error' event on the worker object in Node
  // and in browsers, where a rejected promise alone would go unnoticed).
  start(init).catch((e) => setTimeout(() => { throw e; }));
});
async function start(init) {
  const { module, memory, ctrl, id } = init;
  const imports = { env: { memory, abort(m, f, line, col) { throw new Error('simdescent core aborted at ' + line + ':' + col); } } };
  const instance = await WebAssembly.instantiate(module, imports);
  const run = instance.exports.mlp_run_f32;
  const c = new Int32Array(memory.buffer, ctrl, 48);
  const f = new Float32Array(memory.buffer, ctrl, 48);
  const results = new Float64Array(memory.buffer, ctrl + 128, 8);
  let seen = Atomics.load(c, 0);
  post('ready');
  for (;;) {
    Atomics.wait(c, 0, seen);
    const gen = Atomics.load(c, 0);
    if (gen === seen) continue;
    seen = gen;
    if (c[4] === 2) break;
    const agents = c[2];
    if (id >= agents) continue;
    if (c[5] === id) {
      c[5] = 0;
      throw new Error('injected fault (test hook)');
    }
    const slots = c[3];
    const scale = f[24];
    for (let i = id; i < slots; i += agents) results[i] = run(c[8 + i], c[16 + i], 0, scale);
    Atomics.add(c, 1, 1);
    Atomics.notify(c, 1);
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
