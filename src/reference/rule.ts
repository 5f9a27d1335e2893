// Plain-TS scalar references for the optimizer kernels, written from the papers' equations
// (and PyTorch's documented algorithms) in float64: state kept in f64, the parameters rounded
// to float32 after each step because the buffer is float32. Tests only, not exported.
// A WASM kernel must match these within float32 rounding, never bit for bit.

export type Opts = Record<string, any>;

export interface Reference {
  /** One update of `p` (float32 params, written back rounded) from `g`. */
  step(p: Float32Array, g: Float32Array, lr?: number): void;
}

export type ReferenceFactory = (n: number, o: Opts) => Reference;

/** Runs `update(i, g_i, θ_i)` → new θ_i for every element, with an f64 step counter. */
export function elementwise(n: number, o: Opts, update: (i: number, g: number, p: number, t: number, lr: number) => number): Reference {
  let t = 0;
  return {
    step(p, g, lr = o.lr) {
      t++;
      for (let i = 0; i < n; i++) p[i] = update(i, g[i], p[i], t, lr);
    },
  };
}
