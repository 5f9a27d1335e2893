// A plan: the tasks of one data-parallel job, in phases (see assembly/threads/team.ts). Every
// task of a phase writes memory no other task of that phase touches and gives the same bits
// whichever agent runs it; phases run in order with a barrier between them. Several trainings
// (a tool's independent runs) can put their tasks into one plan and share the agents.
//
// Phase numbering, shared by every participant so their work lines up: 0 packs the Wᵀ panels,
// then round r of shard passes is phase 1 + 2r and the ordered sums of its gradients 2 + 2r
// (a batch of one round puts its sums in the passes' phase instead, each waiting for the tasks
// that write its elements).
import type { Kernels } from '../wasm.js';

// Task ops and the task record's size: layout.ts (shared with assembly/threads/team.ts).
export { OP_GRAD0, OP_PACK, OP_RUN, OP_STEP, OP_SUM, TASK_WORDS } from './layout.js';
import { OP_GRAD0, OP_PACK, OP_RUN, OP_STEP, OP_SUM } from './layout.js';

export const PACK_PHASE = 0;
export const runPhase = (round: number) => 1 + 2 * round;
export const sumPhase = (round: number) => 2 + 2 * round;

export interface Task {
  op: number;
  args: [number, number, number, number, number];
  /** op 3: add to the destination (1) or overwrite it (0). */
  flag: number;
  /** op 2: where the pass's loss sum goes in `results`. */
  result: number;
  /** op 3: an optimizer step on the same range once it is summed (kernel id, argument block). */
  step?: [number, number];
  /** Earlier tasks of the same phase it needs: indexes [first, end) in the phase. */
  deps?: [number, number];
}

export class Plan {
  readonly phases: Task[][] = [];
  /** Loss sums of the passes (op 2), by the index `run` returned; filled when the plan ran. */
  results = new Float64Array(0);
  /** Wall time of each pass in ms (whichever agent ran it), by the same index. */
  times = new Float64Array(0);
  /** Which agent ran each pass (0: the calling thread), by the same index. */
  agents = new Int32Array(0);
  /**
   * Per agent, the ms it spent in passes and layer-0 row blocks (op 2 and op 5): how evenly
   * a job's gradient work was shared, and how much slower it runs when cores work together.
   */
  busy = new Float64Array(0);
  private runs = 0;

  private at(phase: number): Task[] {
    while (this.phases.length <= phase) this.phases.push([]);
    return this.phases[phase];
  }

  /** Pack rows [0, m) of W [m, k] and b into Wᵀ panels at wt (pack_wt_f32). */
  pack(phase: number, wt: number, w: number, b: number, m: number, k: number): void {
    this.at(phase).push({ op: OP_PACK, args: [wt, w, b, m, k], flag: 0, result: -1 });
  }

  /** One MLP pass (mlp_run_f32) over `rows` rows; returns the index of its loss sum. */
  run(phase: number, table: number, rows: number, mode: number, scale: number): number {
    const result = this.runs++;
    this.at(phase).push({ op: OP_RUN, args: [table, rows, mode, f32Bits(scale), 0], flag: 0, result });
    return result;
  }

  /**
   * Rows [j0, j0 + count) of layer 0's weight gradient for the pass `pass` (an index `run`
   * returned, of a mode-3 pass in the same phase); the task waits for that pass to finish.
   */
  grad0(phase: number, pass: number, j0: number, count: number): void {
    const tasks = this.at(phase);
    const after = tasks.findIndex((t) => t.op === OP_RUN && t.result === pass);
    if (after < 0) throw new Error(`plan: no pass ${pass} in phase ${phase}`);
    const [table, rows] = tasks[after].args;
    tasks.push({ op: OP_GRAD0, args: [table, rows, j0, count, 0], flag: 0, result: -1, deps: [after, after + 1] });
  }

  /**
   * dst[first … first + n) (+)= Σ srcs in order; srcs: an i32 array of `count` pointers.
   * `after`: the tasks [0, after) of the phase must have finished first (without it, the sum
   * goes in a phase after the tasks that write its sources).
   */
  sum(phase: number, dst: number, srcs: number, count: number, first: number, n: number, accumulate: boolean, after?: number): void {
    const deps: [number, number] | undefined = after ? [0, after] : undefined;
    this.at(phase).push({ op: OP_SUM, args: [dst, srcs, count, first, n], flag: accumulate ? 1 : 0, result: -1, deps });
  }

  /** Tasks in a phase so far. */
  size(phase: number): number {
    return this.phases[phase]?.length ?? 0;
  }

  /**
   * An optimizer kernel on elements [first, first + count) (assembly/threads/step.ts). When
   * `phase` sums exactly that range of the gradient, the step rides on that task (the summed
   * block is still in cache, and no barrier is added); otherwise it is a task of its own.
   */
  step(phase: number, kernel: number, args: number, first: number, count: number): void {
    const sum = this.at(phase).find((t) => t.op === OP_SUM && !t.step && t.args[3] === first && t.args[4] === count);
    if (sum) sum.step = [kernel, args];
    else this.at(phase).push({ op: OP_STEP, args: [kernel, args, first, count, 0], flag: 0, result: -1 });
  }

  /** A phase after every phase used so far. */
  get nextPhase(): number {
    return this.phases.length;
  }

  /**
   * After a failed job: whether its step phase (op 4) had not started ('none': params and
   * optimizer state untouched) or was completed on the calling thread ('done'). Set by the pool.
   */
  stepState: 'none' | 'done' = 'none';

  /** The non-empty phases, in order. */
  get ordered(): Task[][] {
    return this.phases.filter((p) => p.length > 0);
  }

  get passes(): number {
    return this.runs;
  }

  /**
   * Runs the plan on the calling thread, task by task: what one agent of a job does, and the
   * path of engines without threads.
   */
  runSerial(k: Kernels): void {
    this.results = new Float64Array(this.runs);
    this.times = new Float64Array(this.runs);
    this.agents = new Int32Array(this.runs);
    this.busy = new Float64Array(1);
    for (const phase of this.ordered) {
      for (const t of phase) {
        if (t.op === OP_RUN) {
          const [a, b, c, d] = t.args;
          const t0 = performance.now();
          this.results[t.result] = k.mlp_run_f32(a, b, c, bitsF32(d));
          this.times[t.result] = performance.now() - t0;
          this.busy[0] += this.times[t.result];
        } else if (t.op === OP_GRAD0) {
          const t0 = performance.now();
          runTask(k, t.op, t.args, 0, 0, 0);
          this.busy[0] += performance.now() - t0;
        } else runTask(k, t.op, t.args, t.flag, t.step?.[0] ?? 0, t.step?.[1] ?? 0);
      }
    }
  }
}

/**
 * A task on the calling thread, as the executor runs it (team.ts; a pass's loss is not kept):
 * one agent's path, and the pool's way to finish a failed job once its step has begun.
 */
export function runTask(k: Kernels, op: number, args: ArrayLike<number>, flag: number, stepKernel: number, stepArgs: number): void {
  const [a, b, c, d, e] = [args[0], args[1], args[2], args[3], args[4]];
  if (op === OP_PACK) k.pack_wt_f32(a, b, c, d, e);
  else if (op === OP_RUN) k.mlp_run_f32(a, b, c, bitsF32(d));
  else if (op === OP_GRAD0) k.mlp_grad0_rows_f32(a, b, c, d);
  else if (op === OP_STEP) k.step_range(a, b, c, d);
  else if (op === OP_SUM) {
    k.sum_f32(a, b, c, d * 4, e, flag);
    if (stepKernel) k.step_range(stepKernel, stepArgs, d, e);
  } else throw new Error(`plan: task op ${op} cannot run here`);
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

function f32Bits(v: number): number {
  f32[0] = v;
  return i32[0];
}

function bitsF32(v: number): number {
  i32[0] = v;
  return f32[0];
}
