/**
 * The team executor: every agent of a data-parallel job — the calling thread and each worker —
 * runs this same loop over one job on the shared memory, so no agent's share is fixed in
 * advance and no message crosses threads per batch (src/threads/pool.ts builds the job).
 *
 * A job is a list of phases; a phase is a range of tasks. Agents claim tasks of the current
 * phase one at a time with an atomic counter (whoever is free takes the next), then meet at
 * the phase's barrier (spin, then block). A task may also name earlier tasks of its phase it
 * needs (a range): whoever claims it waits for those first — they are claimed already, so
 * their agents are not waiting for this one. Every task writes memory no task running at the
 * same time touches and computes the same bits whichever agent runs it, so the result of a
 * job does not depend on the number of agents or on who ran what.
 *
 * Control block (i32 words at `ctrl`):
 *   0 generation · 1 agents done · 2 agents in the job · 3 spins before blocking · 4 command
 *   · 5 fault injection (test hook) · 6 failed (id + 1 of a failed agent, set by its JS)
 *   · 7 task records · 8 phase records · 9 phase count · 12 held: 1 + the task agent 0 has
 *   claimed but not started, and 15 awaited: 1 + the task it needs that has not finished
 *   (agent 0 may not block: it goes back to JS to await that task) · 16 + id: agent id's progress
 *   (2p: claiming phase p; 2p + 1: arrived at phase p's barrier)
 * Phase record (4 words): end task index · claim counter (starts at the first task) · arrivals
 *   · unused.
 * Task record (64 bytes): op · 5 i32 arguments · word 6 (flag) / bytes 24–31 (f64 result)
 *   · bytes 32–39: the task's wall time in ms (f64; the host's clock, imported as env.now)
 *   · words 12, 13: the tasks [first, end) (job indexes, earlier in its phase) it waits for.
 *   op 1 pack Wᵀ panels:   wt, w, b, m, k                     (pack_wt_f32 on a row range)
 *   op 2 MLP pass:         table, rows, mode, scale (f32 bits) → the pass's loss sum at +24
 *   op 3 ordered sum:      dst, srcs (i32 pointers), count, first element, elements; flag 1:
 *                          dst += Σ srcs, else dst ← Σ srcs (the first copied, the rest added
 *                          in order — the same bits as one pass over the whole range)
 *                          word 7 ≠ 0: then the optimizer step (kernel id; word 11 its argument
 *                          block) on the same elements, while they are in cache
 *   op 4 optimizer step:   kernel id, argument block, first element, elements (step.ts)
 *   op 5 layer 0's weight gradient rows: table, rows, first row j0, row count (after the
 *                          mode-3 pass it finishes: its dependency)
 * Bytes 44–47: op 3's step argument block; op 2 and 5: the agent that ran the task, once it has.
 * Bytes 40–43 of a record: 2 once its task has started, 1 once it has finished (a failed job's
 * step phase can then be completed on the calling thread: src/threads/pool.ts).
 * Words 11 and 13 of the control block are test hooks: (id + 1) | (phase << 8), with op << 16
 * to name only tasks of that op, makes agent `id` trap (11) or, a worker, sleep word 14's ms
 * once (13, first) after claiming a task of that phase, before starting it.
 */
import { pack_wt_f32 } from '../kernels/gemm';
import { sum_f32 } from '../kernels/vector';
import { mlp_grad0_rows_f32, mlp_run_f32 } from '../model/mlp';
import { step_range } from './step';
import {
  CTRL_AGENTS as AGENTS, CTRL_AWAITED as AWAITED, CTRL_DONE as DONE, CTRL_FAILED as FAILED, CTRL_FAULT_AT as FAULT_AT, CTRL_HELD as HELD,
  CTRL_NPHASES as NPHASES, CTRL_PHASES as PHASES, CTRL_PROGRESS as PROGRESS, CTRL_SPIN as SPIN, CTRL_STALL_AT as STALL_AT,
  CTRL_STALL_MS as STALL_MS, CTRL_TASKS as TASKS, OP_GRAD0, OP_PACK, OP_RUN, OP_STEP, OP_SUM, PHASE_ARRIVED, PHASE_CLAIM, PHASE_END,
  PHASE_WORDS, TASK_AGENT, TASK_ARGS, TASK_DEP_END, TASK_DEP_FIRST, TASK_FLAG, TASK_OP, TASK_RESULT_BYTE, TASK_STATE, TASK_STEP_ARGS,
  TASK_STEP_KERNEL, TASK_TIME_BYTE, TASK_WORDS,
} from '../layout.generated';

/** The host's monotonic clock in ms (performance.now): lets tools charge each task's time to its run. */
// @ts-ignore: decorator
@external("env", "now")
declare function now(): f64;

/** Bytes per task record. */
const TASK_BYTES: usize = <usize>TASK_WORDS << 2;
const STATE_BYTE: usize = <usize>TASK_STATE << 2;
/** log2 of a phase record's bytes (PHASE_WORDS i32 words). */
const PHASE_SHIFT: usize = <usize>(31 - clz<i32>(PHASE_WORDS << 2));

// @ts-ignore: decorator
@inline function w(ctrl: usize, i: i32): usize {
  return ctrl + (<usize>i << 2);
}

function exec(t: usize): void {
  const op = load<i32>(t, TASK_OP << 2);
  const a = load<i32>(t, TASK_ARGS << 2), b = load<i32>(t, (TASK_ARGS + 1) << 2), c = load<i32>(t, (TASK_ARGS + 2) << 2);
  const d = load<i32>(t, (TASK_ARGS + 3) << 2), e = load<i32>(t, (TASK_ARGS + 4) << 2);
  if (op == OP_PACK) {
    pack_wt_f32(<usize>a, <usize>b, <usize>c, d, e);
  } else if (op == OP_RUN) {
    store<f64>(t, mlp_run_f32(<usize>a, b, c, reinterpret<f32>(d)), TASK_RESULT_BYTE);
  } else if (op == OP_SUM) {
    sum_f32(<usize>a, <usize>b, c, <usize>d << 2, e, load<i32>(t, TASK_FLAG << 2));
    const stepKernel = load<i32>(t, TASK_STEP_KERNEL << 2);
    if (stepKernel != 0) step_range(stepKernel, <usize>load<i32>(t, TASK_STEP_ARGS << 2), d, e);
  } else if (op == OP_STEP) {
    step_range(a, <usize>b, c, d);
  } else if (op == OP_GRAD0) {
    mlp_grad0_rows_f32(<usize>a, b, c, d);
  }
}

/**
 * Waits until the task record `dep` has finished (an earlier task, claimed already, so its
 * agent is not waiting for this one): spins, then blocks (1 ms at a time, looking at the failed
 * flag between), or with `block` 0 gives up. 1: finished, 0: not yet (block 0), −1: an agent
 * failed.
 */
function awaitTask(ctrl: usize, dep: usize, block: i32): i32 {
  let spins = load<i32>(w(ctrl, SPIN));
  for (;;) {
    const state = atomic.load<i32>(dep, STATE_BYTE);
    if (state == 1) return 1;
    if (atomic.load<i32>(w(ctrl, FAILED)) != 0) return -1;
    if (spins > 0) {
      spins--;
      continue;
    }
    if (block == 0) return 0;
    // Whether it has started (2) or not yet (0): its end notifies every waiter.
    memory.atomic.wait32(dep + STATE_BYTE, state, 1000000);
  }
  return 1; // unreachable: the loop returns
}

/** Whether a test hook word ((id + 1) | (phase << 8) | (op << 16), op 0: any) names this task. */
// @ts-ignore: decorator
@inline function hooked(word: i32, id: i32, p: i32, op: i32): bool {
  return word != 0 && (word & 0xffff) == ((id + 1) | (p << 8)) && (word >>> 16 == 0 || word >>> 16 == op);
}

/**
 * Runs agent `id`'s part of the current job from where it left off. Returns 1 when the agent
 * has finished its last phase, −1 when another agent failed, and 0 when it would wait and
 * `block` is 0 (browsers' main thread may not block: the caller awaits and calls again) — at a
 * barrier, or, with control words 12 and 15 set, for a task the task it holds needs.
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
    const ph = phases + (<usize>p << PHASE_SHIFT);
    if ((q & 1) == 0) {
      const end = load<i32>(ph + (PHASE_END << 2));
      for (;;) {
        // The task agent 0 claimed before it last went back to JS to wait, else the next one.
        const held = id == 0 ? load<i32>(w(ctrl, HELD)) : 0;
        const t = held != 0 ? held - 1 : atomic.add<i32>(ph + (PHASE_CLAIM << 2), 1);
        if (t >= end) break;
        const rec = tasks + <usize>t * TASK_BYTES;
        const op = load<i32>(rec, TASK_OP << 2);
        if (held == 0 && hooked(load<i32>(w(ctrl, STALL_AT)), id, p, op) && id > 0) {
          store<i32>(w(ctrl, STALL_AT), 0);
          memory.atomic.wait32(w(ctrl, STALL_AT), 0, <i64>load<i32>(w(ctrl, STALL_MS)) * 1000000);
        }
        if (held == 0 && hooked(load<i32>(w(ctrl, FAULT_AT)), id, p, op)) unreachable();
        for (let d = load<i32>(rec, TASK_DEP_FIRST << 2), dEnd = load<i32>(rec, TASK_DEP_END << 2); d < dEnd; d++) {
          const ready = awaitTask(ctrl, tasks + <usize>d * TASK_BYTES, block);
          if (ready < 0) return -1;
          if (ready == 0) {
            store<i32>(w(ctrl, HELD), t + 1);
            store<i32>(w(ctrl, AWAITED), d + 1);
            return 0;
          }
        }
        if (held != 0) store<i32>(w(ctrl, HELD), 0);
        atomic.store<i32>(rec, 2, STATE_BYTE);
        const t0 = now();
        exec(rec);
        store<f64>(rec, now() - t0, TASK_TIME_BYTE);
        if (op == OP_RUN || op == OP_GRAD0) store<i32>(rec, id, TASK_AGENT << 2); // which agent ran it (for reports)
        atomic.store<i32>(rec, 1, STATE_BYTE);
        atomic.notify(rec + STATE_BYTE); // an agent may be blocked waiting for it (a dependency)
        if (atomic.load<i32>(w(ctrl, FAILED)) != 0) return -1;
      }
      const arrived = atomic.add<i32>(ph + (PHASE_ARRIVED << 2), 1) + 1;
      if (p == n - 1) {
        store<i32>(progress, n << 1);
        atomic.add<i32>(w(ctrl, DONE), 1);
        atomic.notify(w(ctrl, DONE));
        return 1;
      }
      if (arrived == agents) atomic.notify(ph + (PHASE_ARRIVED << 2));
      q++;
      store<i32>(progress, q);
    }
    let spins = load<i32>(w(ctrl, SPIN));
    for (;;) {
      const arrived = atomic.load<i32>(ph + (PHASE_ARRIVED << 2));
      if (arrived >= agents) break;
      if (atomic.load<i32>(w(ctrl, FAILED)) != 0) return -1;
      if (spins > 0) {
        spins--;
        continue;
      }
      if (block == 0) return 0;
      memory.atomic.wait32(ph + (PHASE_ARRIVED << 2), arrived, 1000000); // 1 ms, then look at the failed flag again
    }
    store<i32>(progress, (p + 1) << 1);
  }
  return 1; // unreachable: the loop returns
}
