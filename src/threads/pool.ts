// A pool of workers on one engine's shared memory. A job is a Plan (plan.ts) written into
// linear memory; the calling thread is agent 0 and every agent — it and workers 1…n−1 — runs
// the same executor in WASM (assembly/threads/team.ts), claiming tasks phase by phase. Workers
// spin briefly for the next job, then block in Atomics.wait on the generation word; no message
// crosses threads per batch. The control block layout is documented in team.ts.
import type { Memory } from '../memory.js';
import type { Kernels } from '../wasm.js';
import { TASK_WORDS, OP_GRAD0, OP_RUN, OP_STEP, OP_SUM, runTask, type Plan } from '../core/plan.js';
import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE } from './worker-source.js';

import {
  CMD_QUIT as QUIT, CMD_RUN as RUN, CTRL_AGENTS as AGENTS, CTRL_AWAITED as AWAITED, CTRL_CMD as CMD, CTRL_DONE as DONE,
  CTRL_FAILED as FAILED, CTRL_FAULT as FAULT, CTRL_FAULT_AT as FAULT_AT, CTRL_GEN as GEN, CTRL_HELD as HELD,
  CTRL_IDLE_SPIN_US as IDLE_SPIN_US, CTRL_NPHASES as NPHASES, CTRL_PHASES as PHASES, CTRL_PROGRESS as PROGRESS, CTRL_SPIN as SPIN,
  CTRL_STALL_AT as STALL_AT, CTRL_STALL_MS as STALL_MS, CTRL_TASKS as TASKS, CTRL_WORDS, MAX_AGENTS, PHASE_ARRIVED, PHASE_CLAIM, PHASE_END,
  PHASE_WORDS, TASK_AGENT, TASK_ARGS, TASK_DEP_END, TASK_DEP_FIRST, TASK_FLAG, TASK_OP, TASK_RESULT_BYTE, TASK_STATE, TASK_STEP_ARGS,
  TASK_STEP_KERNEL, TASK_TIME_BYTE,
} from '../core/layout.js';

/** Agents a job may have (the control block holds one progress word per agent). */
export { MAX_AGENTS };
const CTRL_BYTES = CTRL_WORDS * 4;
/** The calling thread re-checks for dead workers at least this often while it waits (ms). */
const POLL_MS = 200;
/** A worker that has not started after this long fails the run (ms). */
const START_MS = 30000;
/** Barrier spins (atomic loads) before an agent blocks or, on the calling thread, awaits. */
const SPINS = 1 << 20;
/** How long the calling thread spins for the last workers before it awaits them (ms). */
const DONE_SPIN_MS = 4;
/** How long an idle worker spins for the next job before it sleeps (µs). */
const IDLE_SPIN = 2000;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
const now = () => performance.now();

interface Handle {
  post(m: unknown): void;
  terminate(): Promise<unknown> | void;
}

export class Pool {
  readonly ctrl: number;
  private readonly c: Int32Array;
  private workers: Handle[] = [];
  private failure: Error | undefined;
  private dead = false;
  private area = 0;
  private areaBytes = 0;

  /**
   * @param cores the machine's logical cores: with more agents than cores, agents block at
   *   once instead of spinning (a spinning agent would take a core from one with work).
   */
  constructor(private readonly mem: Memory, private readonly k: Kernels, private readonly module: WebAssembly.Module, private readonly cores: number) {
    this.ctrl = mem.alloc(CTRL_BYTES);
    // The control block never moves, and views of a shared buffer stay valid after growth.
    this.c = new Int32Array(mem.memory.buffer, this.ctrl, CTRL_BYTES >> 2);
    this.c.fill(0);
  }

  /** Worker threads running (the calling thread not counted). */
  get size(): number {
    return this.workers.length;
  }

  /** Why the pool cannot run jobs any more (a worker failed, or it was terminated). */
  get broken(): Error | undefined {
    return this.failure ?? (this.dead ? new Error('simdescent: the worker pool was stopped') : undefined);
  }

  /** Start workers until there are `threads` of them; resolves when all are waiting. */
  async ensure(threads: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (threads + 1 > MAX_AGENTS) throw new RangeError(`workers: at most ${MAX_AGENTS}, got ${threads + 1}`);
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
    let isReady = false;
    const onMessage = (m: unknown) => {
      if (m === 'ready') {
        isReady = true;
        ready();
      }
    };
    const onError = (why: string) => {
      // Before 'ready' the worker never ran: the runtime refused it (a CSP without
      // worker-src blob: fires this error event) — the caller falls back to fewer workers.
      const err = isReady ? new Error(`simdescent: worker ${id} crashed: ${why}`) : new WorkerStartError(`simdescent: could not start worker ${id}: ${why}`);
      this.fail(err);
      failed(err);
    };
    const init = { module: this.module, memory: this.mem.memory, ctrl: this.ctrl, id };
    let handle: Handle;
    try {
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
        let w: Worker;
        try {
          w = new Worker(url);
        } finally {
          URL.revokeObjectURL(url);
        }
        w.onmessage = (e) => onMessage(e.data);
        w.onerror = (e) => {
          e.preventDefault?.();
          onError(e.message || 'the page refused it (a Content-Security-Policy without worker-src blob: does)');
        };
        handle = { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
      }
    } catch (e) {
      // The worker could not even be made (a Content-Security-Policy without worker-src blob:,
      // say): not a crash mid-run — the caller falls back to fewer workers.
      this.pending--;
      throw new WorkerStartError(`simdescent: could not start worker ${id}: ${(e as Error)?.message ?? e}`);
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
    // Wake every agent and the waiting caller: they see the failed flag and stop.
    if (Atomics.load(this.c, FAILED) === 0) Atomics.store(this.c, FAILED, MAX_AGENTS + 1);
    this.wakeAll();
  }

  private wakeAll(): void {
    Atomics.notify(this.c, DONE);
    const phases = this.c[PHASES];
    const n = this.c[NPHASES];
    if (phases) {
      const words = new Int32Array(this.mem.memory.buffer, phases, n * PHASE_WORDS);
      for (let p = 0; p < n; p++) Atomics.notify(words, p * PHASE_WORDS + PHASE_ARRIVED);
    }
    const awaited = this.c[AWAITED];
    if (awaited) Atomics.notify(new Int32Array(this.mem.memory.buffer, this.c[TASKS]), (awaited - 1) * TASK_WORDS + TASK_STATE);
  }

  /**
   * Runs `plan` on `agents` agents (the calling thread and agents − 1 workers); fills
   * plan.results. Jobs from concurrent callers run one at a time, in call order.
   * `meanwhile` runs on the calling thread once the workers have the job, before it joins
   * them (fit gathers the next batch there); it must not touch the job's memory.
   */
  run(plan: Plan, agents: number, meanwhile?: () => void): Promise<void> {
    const job = this.queue.then(() => this.runNow(plan, agents, meanwhile));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private queue: Promise<void> = Promise.resolve();

  private async runNow(plan: Plan, agents: number, meanwhile?: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    if (agents - 1 > this.workers.length) throw new RangeError(`pool: ${agents} agents need ${agents - 1} workers, have ${this.workers.length}`);
    const phases = plan.ordered;
    const tasks = phases.reduce((s, p) => s + p.length, 0);
    this.reserve(phases.length * PHASE_WORDS * 4 + tasks * TASK_WORDS * 4);
    const buf = this.mem.memory.buffer;
    const taskArea = this.area + phases.length * PHASE_WORDS * 4;
    const ph = new Int32Array(buf, this.area, phases.length * PHASE_WORDS);
    const tw = new Int32Array(buf, taskArea, tasks * TASK_WORDS);
    const tf = new Float64Array(buf, taskArea, (tasks * TASK_WORDS) >> 1);
    const where: number[] = [];
    let t = 0;
    phases.forEach((phase, p) => {
      const first = t;
      ph[p * PHASE_WORDS + PHASE_CLAIM] = t; // the claim counter starts at the phase's first task
      for (const task of phase) {
        const o = t * TASK_WORDS;
        tw[o + TASK_OP] = task.op;
        tw.set(task.args, o + TASK_ARGS);
        tw[o + TASK_DEP_FIRST] = task.deps ? first + task.deps[0] : 0; // the job's indexes of the tasks it waits for
        tw[o + TASK_DEP_END] = task.deps ? first + task.deps[1] : 0;
        tw[o + TASK_FLAG] = task.flag;
        tw[o + TASK_STEP_KERNEL] = task.step?.[0] ?? 0;
        tw[o + TASK_STATE] = 0;
        tw[o + TASK_STEP_ARGS] = task.step?.[1] ?? 0;
        if (task.op === OP_RUN) where[task.result] = t;
        t++;
      }
      ph[p * PHASE_WORDS + PHASE_END] = t;
      ph[p * PHASE_WORDS + PHASE_ARRIVED] = 0;
      ph[p * PHASE_WORDS + 3] = 0;
    });
    const c = this.c;
    c[TASKS] = taskArea;
    c[PHASES] = this.area;
    c[NPHASES] = phases.length;
    c[AGENTS] = agents;
    c[SPIN] = agents <= this.cores ? SPINS : 0;
    c[IDLE_SPIN_US] = agents <= this.cores ? IDLE_SPIN : 0;
    c[CMD] = RUN;
    for (let id = 0; id < agents; id++) c[PROGRESS + id] = 0;
    c[HELD] = 0;
    c[AWAITED] = 0;
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    // A pending Atomics.waitAsync does not keep Node's event loop alive (the workers are
    // unref'd): a timer does, for the length of the job.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    // An error from `meanwhile` waits for the job: the agents are still using its buffers.
    let late: { error: unknown } | undefined;
    try {
      meanwhile?.();
    } catch (error) {
      late = { error };
    }
    try {
      for (;;) {
        const r = this.k.team_work(this.ctrl, 0, 0);
        if (r === 1) break;
        if (r < 0) throw await this.failedSoon();
        if (c[HELD]) {
          this.heldWaits++;
          await this.waitWord(tw, (c[AWAITED] - 1) * TASK_WORDS + TASK_STATE, 1, true); // a task the held one needs
        } else await this.waitWord(ph, (c[PROGRESS] >> 1) * PHASE_WORDS + PHASE_ARRIVED, agents); // the phase's arrival count
      }
      const until = now() + DONE_SPIN_MS;
      while (Atomics.load(c, DONE) < agents && Atomics.load(c, FAILED) === 0 && now() < until);
      await this.waitWord(c, DONE, agents);
    } catch (e) {
      // Agents may still be writing into this job's buffers: stop them before anyone frees one.
      this.failure ??= e as Error;
      let partial: string | undefined;
      await this.terminate(() => (partial = this.finishStep(plan, ph, tw)));
      if (partial) throw new Error(`${(e as Error).message}, during the optimizer step: ${partial}`);
      throw e;
    } finally {
      clearInterval(keepAlive);
    }
    if (late) throw late.error;
    plan.results = new Float64Array(plan.passes);
    plan.times = new Float64Array(plan.passes);
    plan.agents = new Int32Array(plan.passes);
    plan.busy = new Float64Array(agents);
    for (let i = 0; i < tasks; i++) {
      const op = tw[i * TASK_WORDS + TASK_OP];
      if (op === OP_RUN || op === OP_GRAD0) plan.busy[tw[i * TASK_WORDS + TASK_AGENT]] += tf[(i * TASK_WORDS * 4 + TASK_TIME_BYTE) >> 3];
    }
    for (let i = 0; i < plan.passes; i++) {
      plan.results[i] = tf[(where[i] * TASK_WORDS * 4 + TASK_RESULT_BYTE) >> 3];
      plan.times[i] = tf[(where[i] * TASK_WORDS * 4 + TASK_TIME_BYTE) >> 3];
      plan.agents[i] = tw[where[i] * TASK_WORDS + TASK_AGENT];
    }
  }

  private failed(): Error {
    const id = Atomics.load(this.c, FAILED) - 1;
    return this.failure ?? new Error(`simdescent: worker ${id} crashed`);
  }

  /** The failure, once the failed worker's error event (with its message) has arrived. */
  private async failedSoon(): Promise<Error> {
    const until = now() + 2000;
    while (!this.failure && now() < until) await new Promise((res) => setTimeout(res, 5));
    return this.failed();
  }

  /** Resolves once words[i] ≥ target (or = target: `exact`); rejects when an agent failed. */
  private async waitWord(words: Int32Array, i: number, target: number, exact = false): Promise<void> {
    const waitAsync = (Atomics as any).waitAsync as undefined | ((a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: any });
    for (;;) {
      if (this.failure || Atomics.load(this.c, FAILED) !== 0) throw await this.failedSoon();
      const v = Atomics.load(words, i);
      if (exact ? v === target : v >= target) return;
      if (waitAsync) {
        const r = waitAsync(words, i, v, POLL_MS);
        if (r.async) await r.value;
      } else {
        await new Promise((res) => setTimeout(res, 0));
      }
    }
  }

  /** A task area of at least `bytes` (grown by reallocation; only one job runs at a time). */
  private reserve(bytes: number): void {
    if (bytes <= this.areaBytes) return;
    const size = Math.max(bytes, 2 * this.areaBytes, 4096);
    const p = this.mem.alloc(size);
    if (this.area) this.mem.release(this.area);
    this.area = p;
    this.areaBytes = size;
  }

  /**
   * After a failure, with every worker stopped: a job whose optimizer step had begun — a task
   * carrying a step claimed — is completed here, task by task in order, so the model holds
   * that whole step (plan.stepState 'done'); one whose step had not begun is left alone
   * ('none': params and optimizer state untouched). Completing reruns the unfinished tasks of
   * that phase: passes and row blocks write only their shard's buffers, so a rerun of one the
   * failed agent left half done gives the same bits; a step it left half done cannot be redone
   * and is described in the returned string.
   */
  private finishStep(plan: Plan, ph: Int32Array, tw: Int32Array): string | undefined {
    plan.stepState = 'none';
    const phases = ph.length >> 2;
    const steps = (t: number) => tw[t * TASK_WORDS + TASK_OP] === OP_STEP || (tw[t * TASK_WORDS + TASK_OP] === OP_SUM && tw[t * TASK_WORDS + TASK_STEP_KERNEL] !== 0);
    for (let p = 0; p < phases; p++) {
      const first = p === 0 ? 0 : ph[(p - 1) * PHASE_WORDS + PHASE_END];
      const end = ph[p * PHASE_WORDS + PHASE_END];
      let firstStep = -1;
      for (let t = first; t < end && firstStep < 0; t++) if (steps(t)) firstStep = t;
      if (firstStep < 0) continue;
      // Tasks are claimed in order: the step began iff the counter passed its first task.
      if (Atomics.load(ph, p * PHASE_WORDS + PHASE_CLAIM) <= firstStep) return undefined;
      // Every agent had passed the barrier before this phase: the earlier phases are complete.
      let partial: string | undefined;
      for (let t = first; t < end; t++) {
        const o = t * TASK_WORDS;
        const state = Atomics.load(tw, o + TASK_STATE); // 0 not started, 2 started, 1 finished
        if (state === 1) continue;
        if (state === 2 && steps(t)) {
          const a = o + TASK_ARGS;
          const [from, n] = tw[o + TASK_OP] === OP_STEP ? [tw[a + 2], tw[a + 3]] : [tw[a + 3], tw[a + 4]];
          partial = `elements [${from}, ${from + n}) may be partly updated`;
          continue;
        }
        runTask(this.k, tw[o + TASK_OP], tw.subarray(o + TASK_ARGS, o + TASK_ARGS + 5), tw[o + TASK_FLAG], tw[o + TASK_STEP_KERNEL], tw[o + TASK_STEP_ARGS]);
      }
      plan.stepState = 'done';
      return partial;
    }
    return undefined;
  }

  /** Test hook: the worker with this id throws at its next job. */
  injectFault(id: number): void {
    this.c[FAULT] = id;
  }

  /**
   * Test hook: agent `id` traps in WASM after claiming a task of phase `phase` (of a plan's
   * ordered phases), of op `op` if given.
   */
  injectFaultAt(id: number, phase: number, op = 0): void {
    this.c[FAULT_AT] = (id + 1) | (phase << 8) | (op << 16);
  }

  /** Test hook: worker `id` sleeps `ms` after claiming its next task of phase `phase` (of op `op` if given), once. */
  injectStallAt(id: number, phase: number, ms: number, op = 0): void {
    this.c[STALL_MS] = ms;
    this.c[STALL_AT] = (id + 1) | (phase << 8) | (op << 16);
  }

  /** Test hook: an injected stall not yet taken (its worker has claimed no task of that phase). */
  get stallPending(): boolean {
    return this.c[STALL_AT] !== 0;
  }

  /** Times the calling thread went back to JS to await a pass another agent was running. */
  heldWaits = 0;

  /**
   * Stop every worker; resolves once they have exited (so none still writes to memory).
   * `beforeRelease` runs then, while the job's task records still exist.
   */
  async terminate(beforeRelease?: () => void): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    this.c[CMD] = QUIT;
    Atomics.store(this.c, FAILED, MAX_AGENTS + 1);
    Atomics.add(this.c, GEN, 1);
    Atomics.notify(this.c, GEN);
    this.wakeAll();
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
    beforeRelease?.();
    if (this.area) this.mem.release(this.area);
    this.area = 0;
    this.mem.release(this.ctrl);
  }
}

/** A worker could not be created at all (the runtime refuses workers): fall back, don't fail. */
export class WorkerStartError extends Error {}
