// What an update rule provides to the Optimizer facade: its options, its state buffers
// and a step that computes the step scalars in f64 and makes one kernel call.
import type { Kernels } from '../wasm.js';
import type { Spec } from '../options.js';

export interface StepContext {
  k: Kernels;
  /** Byte offsets of params and grads, and the element count. */
  p: number;
  g: number;
  n: number;
  /** State buffer pointers, in the order of `states(o)`. */
  s: number[];
  /** Scratch buffer pointers (`scratch` of them, n floats each, not saved). */
  r: number[];
  /** The step being taken, 1-based and exact. */
  t: number;
  /** The lr in effect for this step, a double. */
  lr: number;
  o: Record<string, any>;
  /** Persistent scalar state (NAdam's μ product...), saved with the optimizer. */
  scalars: Float64Array;
}

export interface Rule {
  name: string;
  /** Options other than the shared ones (clipNorm, clipValue, skipNonFinite); `lr` included. */
  spec: Spec;
  /** Checks that involve several options; throw RangeError/TypeError. */
  validate?(o: Record<string, any>): void;
  /** Names of the f32 state buffers, each `n` long (PyTorch's state names). */
  states(o: Record<string, any>): string[];
  /** Work buffers of n floats that live between the passes of one step (LAMB's r); not saved. */
  scratch?: number;
  /** Names and initial values of persistent scalars. */
  scalars?: Record<string, number>;
  /** Fill initial state (buffers arrive zeroed). */
  init?(ctx: StepContext): void;
  step(ctx: StepContext): void;
}

/** f64 → f32 rounding of a step scalar, where it meets a tensor (the fixtures' rule). */
export const f32 = Math.fround;

/** Fill a state buffer with a constant (Adagrad's initial accumulator). */
export function fill(k: Kernels, ptr: number, n: number, v: number): void {
  k.fill_f32(ptr, n, v);
}

/**
 * `decoupledWeightDecay`, for every rule whose `weightDecay` is L2 by default (PyTorch's form):
 * true moves the decay out of the gradient, θ ← θ·(1 − lr·wd) before the update — Keras 3's
 * `weight_decay` on every optimizer, PyTorch ≥ 2's `decoupled_weight_decay` (NAdam, RAdam),
 * AdamW's rule. LAMB: outside the trust ratio (Keras 3) instead of inside it (the paper).
 */
export const decoupledSpec = { type: 'boolean', default: false } as const;

/** The kernel's two decay scalars: [wd added to g (L2), θ multiplier 1 − lr·wd (decoupled)]. */
export function decayTerms(o: Record<string, any>, lr: number): [l2: number, decay: number] {
  return o.decoupledWeightDecay ? [0, 1 - lr * o.weightDecay] : [o.weightDecay, 1];
}
