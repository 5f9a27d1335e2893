// A pool of workers on one engine's shared memory. The calling thread is agent 0 and
// computes its share of every job itself; workers 1…n−1 block in Atomics.wait on the
// control block and wake when the generation word changes. Control block (i32 words at
// `ctrl`, 16-byte aligned, 256 bytes):
//   0 generation · 1 done count · 2 agents taking part · 3 slots in the job · 4 command
//   (1 run, 2 quit) · 5 fault injection (worker id; test hook) · 8–15 slot tables ·
//   16–23 slot rows · 24 the gradient scale (f32) · bytes 128–191: slot results (f64)
import type { Memory } from '../memory.js';
import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE } from './worker-source.js';

export const MAX_SLOTS = 8;
const GEN = 0;
const DONE = 1;
const AGENTS = 2;
const SLOTS = 3;
const CMD = 4;
const FAULT = 5;
const RUN = 1;
const QUIT = 2;
/** The calling thread re-checks for dead workers at least this often while it waits (ms). */
const POLL_MS = 200;
/** A worker that has not started after this long fails the run (ms). */
const START_MS = 30000;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

interface Handle {
  post(m: unknown): void;
  terminate(): Promise<unknown> | void;
}

export class Pool {
  readonly ctrl: number;
  private readonly c: Int32Array;
  private readonly f: Float32Array;
  readonly results: Float64Array;
  private workers: Handle[] = [];
  private failure: Error | undefined;
  private dead = false;

  constructor(private readonly mem: Memory, private readonly module: WebAssembly.Module) {
    this.ctrl = mem.alloc(256);
    // The control block never moves; views on the current buffer stay valid after growth.
    const buf = mem.memory.buffer;
    this.c = new Int32Array(buf, this.ctrl, 48);
    this.f = new Float32Array(buf, this.ctrl, 48);
    this.results = new Float64Array(buf, this.ctrl + 128, MAX_SLOTS);
  }

  /** Worker threads running (the calling thread not counted). */
  get size(): number {
    return this.workers.length;
  }

  get broken(): Error | undefined {
    return this.failure;
  }

  /** Start workers until there are `threads` of them; resolves when all are waiting. */
  async ensure(threads: number): Promise<void> {
    if (this.failure) throw this.failure;
    const starting: Promise<void>[] = [];
    for (let id = this.workers.length + this.pending + 1; id <= threads; id++) starting.push(this.spawn(id));
    await Promise.all(starting);
  }

  /** Workers being started (not yet in `workers`). */
  private pending = 0;

  private async spawn(id: number): Promise<void> {
    this.pending++;
    let ready!: () => void;
    let failed!: (e: Error) => void;
    const started = new Promise<void>((res, rej) => {
      ready = res;
      failed = rej;
    });
    const onMessage = (m: unknown) => {
      if (m === 'ready') ready();
    };
    const onError = (why: string) => {
      const err = new Error(`simdescent: worker ${id} crashed: ${why}`);
      this.fail(err);
      failed(err);
    };
    const init = { module: this.module, memory: this.mem.memory, ctrl: this.ctrl, id };
    let handle: Handle;
    if (isNode) {
      const wt: any = await import(/* @vite-ignore */ ['node:', 'worker_threads'].join(''));
      const w = new wt.Worker(NODE_WORKER_SOURCE, { eval: true });
      w.on('message', onMessage);
      w.on('error', (e: Error) => onError(e?.message ?? String(e)));
      w.on('exit', (code: number) => {
        if (!this.dead) onError(`exited with code ${code}`);
      });
      w.unref(); // idle workers do not keep the process alive (after on('message'), which refs)
      handle = { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
    } else {
      const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
      const w = new Worker(url);
      URL.revokeObjectURL(url);
      w.onmessage = (e) => onMessage(e.data);
      w.onerror = (e) => {
        e.preventDefault?.();
        onError(e.message || 'error');
      };
      handle = { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
    }
    this.workers.push(handle);
    this.pending--;
    handle.post(init);
    const timer = setTimeout(() => onError(`did not start within ${START_MS / 1000} s`), START_MS);
    try {
      await started;
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(err: Error): void {
    if (this.failure || this.dead) return;
    this.failure = err;
    Atomics.notify(this.c, DONE); // wake the waiting caller
  }

  /**
   * Run slots 0…count−1 (slot i: the layer table tables[i] over rows[i] rows) on `agents`
   * agents: slot i goes to agent i mod agents; the caller computes agent 0's slots itself
   * with `run0`. Results land in `results`. Jobs from concurrent callers run one at a time.
   */
  run(tables: readonly number[], rows: readonly number[], count: number, agents: number, scale: number, run0: (slot: number) => number): Promise<void> {
    const job = this.queue.then(() => this.runNow(tables, rows, count, agents, scale, run0));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private queue: Promise<void> = Promise.resolve();

  private async runNow(tables: readonly number[], rows: readonly number[], count: number, agents: number, scale: number, run0: (slot: number) => number): Promise<void> {
    if (this.failure) throw this.failure;
    if (count > MAX_SLOTS) throw new RangeError(`pool: at most ${MAX_SLOTS} slots per job, got ${count}`);
    if (agents - 1 > this.workers.length) throw new RangeError(`pool: ${agents} agents need ${agents - 1} workers, have ${this.workers.length}`);
    const c = this.c;
    for (let i = 0; i < count; i++) {
      c[8 + i] = tables[i];
      c[16 + i] = rows[i];
    }
    c[AGENTS] = agents;
    c[SLOTS] = count;
    c[CMD] = RUN;
    this.f[24] = scale;
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    // A pending Atomics.waitAsync does not keep Node's event loop alive (the workers are
    // unref'd): a timer does, for the length of the job.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      for (let i = 0; i < count; i += agents) this.results[i] = run0(i);
      await this.waitDone(agents - 1);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async waitDone(expected: number): Promise<void> {
    const c = this.c;
    const waitAsync = (Atomics as any).waitAsync as undefined | ((a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: any });
    for (;;) {
      if (this.failure) throw this.failure;
      const done = Atomics.load(c, DONE);
      if (done >= expected) return;
      if (waitAsync) {
        const r = waitAsync(c, DONE, done, POLL_MS);
        if (r.async) await r.value;
      } else {
        await new Promise((res) => setTimeout(res, 0));
      }
    }
  }

  /** Test hook: the worker with this id throws at its next job. */
  injectFault(id: number): void {
    this.c[FAULT] = id;
  }

  /** Stop every worker; resolves once they have exited (so none still writes to memory). */
  async terminate(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    this.c[CMD] = QUIT;
    Atomics.add(this.c, GEN, 1);
    Atomics.notify(this.c, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
    this.mem.release(this.ctrl);
  }
}
