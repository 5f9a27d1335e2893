/**
 * An optimizer step over one range of the parameters, for a threads plan's step phase: the
 * Optimizer facade runs its rule once against a recorder (planStep in
 * src/optimizers/optimizer.ts), which writes the kernel's arguments into a block; the agents
 * then make that element-wise kernel call on their ranges. Ranges start at multiples of 4
 * elements, so every element takes the same path (SIMD lane or scalar tail) and gets the same
 * bits as in one call over the whole buffer.
 *
 * Argument block (96 bytes): words 0–5 the kernel's pointers in order (0: absent, kept 0),
 * words 8–23 its scalars in order (f32, or i32 for flags). Ids and offsets: src/core/layout.ts.
 */
import { sgd_f32 } from '../optim/sgd';
import { momentum_f32 } from '../optim/momentum';
import { adagrad_f32 } from '../optim/adagrad';
import { rmsprop_f32 } from '../optim/rmsprop';
import { adadelta_f32 } from '../optim/adadelta';
import { adam_f32 } from '../optim/adam';
import { adamax_f32 } from '../optim/adamax';
import { nadam_f32 } from '../optim/nadam';
import { radam_f32 } from '../optim/radam';
import { lion_f32 } from '../optim/lion';
import {
  STEP_ADADELTA, STEP_ADAGRAD, STEP_ADAM, STEP_ADAMAX, STEP_LION, STEP_MOMENTUM, STEP_NADAM, STEP_RADAM, STEP_RMSPROP, STEP_SCALARS_WORD, STEP_SGD,
} from '../layout.generated';

/** Byte offset of the scalars in an argument block. */
const SCALARS: usize = <usize>STEP_SCALARS_WORD << 2;

// @ts-ignore: decorator
@inline function P(args: usize, i: i32, off: usize): usize {
  const p = <usize>load<i32>(args + (<usize>i << 2));
  return p == 0 ? 0 : p + off;
}

// @ts-ignore: decorator
@inline function F(args: usize, i: i32): f32 {
  return load<f32>(args + SCALARS + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function I(args: usize, i: i32): i32 {
  return load<i32>(args + SCALARS + (<usize>i << 2));
}

/** Kernel `kernel` on elements [first, first + count) with the arguments at `args`. */
export function step_range(kernel: i32, args: usize, first: i32, count: i32): void {
  const o = <usize>first << 2;
  const a = args;
  switch (kernel) {
    case STEP_SGD: sgd_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), I(a, 5), I(a, 6), I(a, 7), I(a, 8)); break;
    case STEP_MOMENTUM: momentum_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4)); break;
    case STEP_ADAGRAD: adagrad_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3)); break;
    case STEP_RMSPROP: rmsprop_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), P(a, 3, o), P(a, 4, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), F(a, 5), F(a, 6), I(a, 7), I(a, 8)); break;
    case STEP_ADADELTA: adadelta_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), P(a, 3, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), F(a, 5)); break;
    case STEP_ADAM: adam_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), P(a, 3, o), P(a, 4, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), F(a, 5), F(a, 6), F(a, 7), F(a, 8), I(a, 9), I(a, 10)); break;
    case STEP_ADAMAX: adamax_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), P(a, 3, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), F(a, 5), F(a, 6)); break;
    case STEP_NADAM: nadam_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), P(a, 3, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), F(a, 5), F(a, 6), F(a, 7), F(a, 8), F(a, 9)); break;
    case STEP_RADAM: radam_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), P(a, 3, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), F(a, 5), F(a, 6), F(a, 7), F(a, 8), F(a, 9), F(a, 10), I(a, 11)); break;
    case STEP_LION: lion_f32(P(a, 0, o), P(a, 1, o), P(a, 2, o), count, F(a, 0), F(a, 1), F(a, 2), F(a, 3), F(a, 4), F(a, 5)); break;
    default: unreachable();
  }
}
