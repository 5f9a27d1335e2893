// The element-wise optimizer kernels a plan's step phase can call on ranges
// (assembly/threads/step.ts): id, pointer count and scalar types (f: f32, i: i32 flag), in
// argument order. LAMB is not among them: its trust ratios need norms over the whole buffer.
import * as L from './layout.js';
import { STEP_ARGS_BYTES, STEP_SCALARS_WORD } from './layout.js';

export const STEP_KERNELS: Record<string, { id: number; ptrs: number; scalars: string }> = {
  sgd_f32: { id: L.STEP_SGD, ptrs: 3, scalars: 'fffffiiii' },
  momentum_f32: { id: L.STEP_MOMENTUM, ptrs: 3, scalars: 'fffff' },
  adagrad_f32: { id: L.STEP_ADAGRAD, ptrs: 3, scalars: 'ffff' },
  rmsprop_f32: { id: L.STEP_RMSPROP, ptrs: 5, scalars: 'fffffffii' },
  adadelta_f32: { id: L.STEP_ADADELTA, ptrs: 4, scalars: 'ffffff' },
  adam_f32: { id: L.STEP_ADAM, ptrs: 5, scalars: 'fffffffffii' },
  adamax_f32: { id: L.STEP_ADAMAX, ptrs: 4, scalars: 'fffffff' },
  nadam_f32: { id: L.STEP_NADAM, ptrs: 4, scalars: 'ffffffffff' },
  radam_f32: { id: L.STEP_RADAM, ptrs: 4, scalars: 'fffffffffffi' },
  lion_f32: { id: L.STEP_LION, ptrs: 3, scalars: 'ffffff' },
};

/** Bytes of a step's argument block: 6 pointer words, 2 spare, 16 scalar words (layout.ts). */
export { STEP_ARGS_BYTES };

/**
 * Writes a recorded kernel call's arguments (pointers, n, scalars) into the block at `at`;
 * returns the kernel id, or 0 when it is not a call the step phase can split.
 */
export function encodeStep(memory: WebAssembly.Memory, at: number, name: string, args: unknown[], n: number): number {
  const spec = STEP_KERNELS[name];
  if (!spec || args.length !== spec.ptrs + 1 + spec.scalars.length || args[spec.ptrs] !== n) return 0;
  const i32 = new Int32Array(memory.buffer, at, STEP_ARGS_BYTES >> 2);
  const f32 = new Float32Array(memory.buffer, at, STEP_ARGS_BYTES >> 2);
  i32.fill(0);
  for (let i = 0; i < spec.ptrs; i++) i32[i] = Number(args[i]);
  // The conversions a call into wasm makes: ToNumber, then ToFloat32 for f32, ToInt32 for i32.
  for (let i = 0; i < spec.scalars.length; i++) {
    const v = Number(args[spec.ptrs + 1 + i]);
    if (spec.scalars[i] === 'f') f32[STEP_SCALARS_WORD + i] = v;
    else i32[STEP_SCALARS_WORD + i] = v;
  }
  return spec.id;
}
