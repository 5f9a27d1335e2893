/**
 * The team executor: every agent of a data-parallel job — the calling thread and each worker —
 * runs this same loop over one job on the shared memory, so no agent's share is fixed in
 * advance and no message crosses threads per batch (src/threads/pool.ts builds the job).
 *
 * A job is a list of phases; a phase is a range of tasks. Agents claim tasks of the current
 * phase one at a time with an atomic counter (whoever is free takes the next), then meet at
 * the phase's barrier (spin, then block). Every task writes memory no other task of its phase
 * touches and computes the same bits whichever agent runs it, so the result of a job does not
 * depend on the number of agents or on who ran what.
 *
 * Control block (i32 words at `ctrl`):
 *   0 generation · 1 agents done · 2 agents in the job · 3 spins before blocking · 4 command
 *   · 5 fault injection (test hook) · 6 failed (id + 1 of a failed agent, set by its JS)
 *   · 7 task records · 8 phase records · 9 phase count · 12 held: 1 + the task agent 0 has
 *   claimed but not started (an op 5 whose pass is still running: agent 0 may not block)
 *   · 16 + id: agent id's progress
 *   (2p: claiming phase p; 2p + 1: arrived at phase p's barrier)
 * Phase record (4 words): end task index · claim counter (starts at the first task) · arrivals
 *   · unused.
 * Task record (48 bytes): op · 5 i32 arguments · word 6 (flag) / bytes 24–31 (f64 result)
 *   · bytes 32–39: the task's wall time in ms (f64; the host's clock, imported as env.now).
 *   op 1 pack Wᵀ panels:   wt, w, b, m, k                     (pack_wt_f32 on a row range)
 *   op 2 MLP pass:         table, rows, mode, scale (f32 bits) → the pass's loss sum at +24
 *   op 3 ordered sum:      dst, srcs (i32 pointers), count, first element, elements; flag 1:
 *                          dst += Σ srcs, else dst ← Σ srcs (the first copied, the rest added
 *                          in order — the same bits as one pass over the whole range)
 *                          word 7 ≠ 0: then the optimizer step (kernel id; word 11 its argument
 *                          block) on the same elements, while they are in cache
 *   op 4 optimizer step:   kernel id, argument block, first element, elements (step.ts)
 *   op 5 layer 0's weight gradient rows: table, rows, first row j0, row count, and the task
 *                          (index in the job) of the mode-3 pass it finishes — claimed in
 *                          order after it, so the claimer waits at most for that one task
 * Bytes 44–47: op 3's step argument block; op 2 and 5: the agent that ran the task, once it has.
 * Bytes 40–43 of a record: 2 once its task has started, 1 once it has finished (a failed job's
 * step phase can then be completed on the calling thread: src/threads/pool.ts).
 * Words 11 and 13 of the control block are test hooks: (id + 1) | (phase << 8) makes agent `id`
 * trap (11) or, a worker, sleep word 14's ms once (13, first) after claiming a task of that
 * phase, before starting it.
 */
import { pack_wt_f32 } from '../kernels/gemm';
import { sum_f32 } from '../kernels/vector';
import { mlp_grad0_rows_f32, mlp_run_f32 } from '../model/mlp';
import { step_range } from './step';

/** The host's monotonic clock in ms (performance.now): lets tools charge each task's time to its run. */
// @ts-ignore: decorator
@external("env", "now")
declare function now(): f64;

/** Bytes per task record. */
const TASK_BYTES: usize = 48;

const DONE = 1;
const AGENTS = 2;
const SPIN = 3;
const FAILED = 6;
const TASKS = 7;
const PHASES = 8;
const NPHASES = 9;
const FAULT_AT = 11;
const HELD = 12;
const STALL_AT = 13;
const STALL_MS = 14;
const PROGRESS = 16;

// @ts-ignore: decorator
@inline function w(ctrl: usize, i: i32): usize {
  return ctrl + (<usize>i << 2);
}

function exec(t: usize): void {
  const op = load<i32>(t);
  const a = load<i32>(t, 4), b = load<i32>(t, 8), c = load<i32>(t, 12), d = load<i32>(t, 16), e = load<i32>(t, 20);
  if (op == 1) {
    pack_wt_f32(<usize>a, <usize>b, <usize>c, d, e);
  } else if (op == 2) {
    store<f64>(t, mlp_run_f32(<usize>a, b, c, reinterpret<f32>(d)), 24);
  } else if (op == 3) {
    sum_f32(<usize>a, <usize>b, c, <usize>d << 2, e, load<i32>(t, 24));
    const stepKernel = load<i32>(t, 28);
    if (stepKernel != 0) step_range(stepKernel, <usize>load<i32>(t, 44), d, e);
  } else if (op == 4) {
    step_range(a, <usize>b, c, d);
  } else if (op == 5) {
    mlp_grad0_rows_f32(<usize>a, b, c, d);
  }
}

/**
 * Waits until the task record `dep` has finished (its pass is running on another agent: tasks
 * are claimed in order, so that agent is not waiting for this one): spins, then blocks (1 ms at
 * a time, looking at the failed flag between), or with `block` 0 gives up. 1: finished, 0: not
 * yet (block 0), −1: an agent failed.
 */
function awaitTask(ctrl: usize, dep: usize, block: i32): i32 {
  let spins = load<i32>(w(ctrl, SPIN));
  for (;;) {
    const state = atomic.load<i32>(dep, 40);
    if (state == 1) return 1;
    if (atomic.load<i32>(w(ctrl, FAILED)) != 0) return -1;
    if (spins > 0) {
      spins--;
      continue;
    }
    if (block == 0) return 0;
    // Whether it has started (2) or not yet (0): its end notifies every waiter.
    memory.atomic.wait32(dep + 40, state, 1000000);
  }
  return 1; // unreachable: the loop returns
}

/**
 * Runs agent `id`'s part of the current job from where it left off. Returns 1 when the agent
 * has finished its last phase, −1 when another agent failed, and 0 when it would wait and
 * `block` is 0 (browsers' main thread may not block: the caller awaits and calls again) — at a
 * barrier, or, with control word 12 set, for the pass of the row block it holds.
 */
export function team_work(ctrl: usize, id: i32, block: i32): i32 {
  if (!ASC_FEATURE_THREADS) return -1;
  const agents = load<i32>(w(ctrl, AGENTS));
  const n = load<i32>(w(ctrl, NPHASES));
  const tasks = <usize>load<i32>(w(ctrl, TASKS));
  const phases = <usize>load<i32>(w(ctrl, PHASES));
  const progress = w(ctrl, PROGRESS + id);
  for (;;) {
    let q = load<i32>(progress);
    const p = q >> 1;
    if (p >= n) return 1;
    const ph = phases + (<usize>p << 4);
    if ((q & 1) == 0) {
      const end = load<i32>(ph);
      for (;;) {
        // The task agent 0 claimed before it last went back to JS to wait, else the next one.
        const held = id == 0 ? load<i32>(w(ctrl, HELD)) : 0;
        const t = held != 0 ? held - 1 : atomic.add<i32>(ph + 4, 1);
        if (t >= end) break;
        const hook = (id + 1) | (p << 8);
        if (held == 0 && id > 0 && load<i32>(w(ctrl, STALL_AT)) == hook) {
          store<i32>(w(ctrl, STALL_AT), 0);
          memory.atomic.wait32(w(ctrl, STALL_AT), 0, <i64>load<i32>(w(ctrl, STALL_MS)) * 1000000);
        }
        if (held == 0 && load<i32>(w(ctrl, FAULT_AT)) == hook) unreachable();
        const rec = tasks + <usize>t * TASK_BYTES;
        const op = load<i32>(rec);
        if (op == 5) {
          const ready = awaitTask(ctrl, tasks + <usize>load<i32>(rec, 20) * TASK_BYTES, block);
          if (ready < 0) return -1;
          if (ready == 0) {
            store<i32>(w(ctrl, HELD), t + 1);
            return 0;
          }
          if (held != 0) store<i32>(w(ctrl, HELD), 0);
        }
        atomic.store<i32>(rec, 2, 40);
        const t0 = now();
        exec(rec);
        store<f64>(rec, now() - t0, 32);
        if (op == 2 || op == 5) store<i32>(rec, id, 44); // which agent ran it (for reports)
        atomic.store<i32>(rec, 1, 40);
        if (op == 2) atomic.notify(rec + 40); // an agent may be blocked waiting for this pass (op 5)
        if (atomic.load<i32>(w(ctrl, FAILED)) != 0) return -1;
      }
      const arrived = atomic.add<i32>(ph + 8, 1) + 1;
      if (p == n - 1) {
        store<i32>(progress, n << 1);
        atomic.add<i32>(w(ctrl, DONE), 1);
        atomic.notify(w(ctrl, DONE));
        return 1;
      }
      if (arrived == agents) atomic.notify(ph + 8);
      q++;
      store<i32>(progress, q);
    }
    let spins = load<i32>(w(ctrl, SPIN));
    for (;;) {
      const arrived = atomic.load<i32>(ph + 8);
      if (arrived >= agents) break;
      if (atomic.load<i32>(w(ctrl, FAILED)) != 0) return -1;
      if (spins > 0) {
        spins--;
        continue;
      }
      if (block == 0) return 0;
      memory.atomic.wait32(ph + 8, arrived, 1000000); // 1 ms, then look at the failed flag again
    }
    store<i32>(progress, (p + 1) << 1);
  }
  return 1; // unreachable: the loop returns
}
