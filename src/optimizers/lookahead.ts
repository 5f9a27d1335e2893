// Lookahead (Zhang et al., 2019, "Lookahead Optimizer: k steps forward, 1 step back"): wraps
// any optimizer; every k steps of the inner ("fast") optimizer, the slow weights move
// slow ← slow + α·(fast − slow) and the fast weights restart from them, one SIMD pass in WASM
// (lookahead_f32). The slow weights start as the params at wrap time. The inner optimizer's
// state is kept across syncs (the paper's default; PyTorch-contrib implementations agree).
import type { Core } from '../core/core.js';
import { F32Block } from '../memory.js';
import { parseOptions, range, show, type Spec } from '../options.js';
import { Optimizer } from './optimizer.js';

export interface LookaheadOptions {
  /** Fast steps per sync. Default 5. */
  k?: number;
  /** Slow step size in [0, 1]. Default 0.5. */
  alpha?: number;
}

export const LOOKAHEAD_SPEC: Spec = {
  k: { type: 'integer', default: 5, check: range.atLeast(1) },
  alpha: { type: 'number', default: 0.5, check: range.unitClosed },
};

export class Lookahead {
  readonly k: number;
  readonly alpha: number;
  /** Fast steps taken since wrapping (skipped non-finite steps are not counted). */
  fastSteps = 0;
  private slow: F32Block;
  private readonly kern: Core['kernels'];
  private disposed = false;

  constructor(core: Core, readonly inner: Optimizer, options?: LookaheadOptions) {
    const o = parseOptions('lookahead', LOOKAHEAD_SPEC, options);
    if (!(inner instanceof Optimizer)) throw new TypeError(`lookahead: inner must be an optimizer from sd.optimizer, got ${show(inner)}`);
    if (inner.isDisposed) throw new Error('lookahead: inner optimizer was disposed');
    if (inner.buffer.mem !== core.mem) throw new TypeError('lookahead: the optimizer belongs to another engine (init() instance)');
    this.k = o.k;
    this.alpha = o.alpha;
    this.kern = core.kernels;
    this.slow = new F32Block(core.mem, inner.buffer.size);
    this.slow.view.set(inner.params);
  }

  /** A live view of the slow weights. */
  get slowParams(): Float32Array {
    this.alive();
    return this.slow.view;
  }

  /** One inner step; every k-th also syncs. Returns the inner step's result. */
  step(): boolean {
    this.alive();
    const took = this.inner.step();
    if (!took) return false;
    this.fastSteps++;
    if (this.fastSteps % this.k === 0) this.kern.lookahead_f32(this.slow.ptr, this.inner.buffer.paramsPtr, this.inner.buffer.size, this.alpha);
    return true;
  }

  /** Re-anchor the slow weights at the current params (e.g. after loading them). */
  reset(): void {
    this.alive();
    this.slow.view.set(this.inner.params);
    this.fastSteps = 0;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees the slow weights (not the inner optimizer). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.slow.free();
  }

  private alive(): void {
    if (this.disposed) throw new Error('lookahead: used after dispose()');
    if (this.inner.isDisposed) throw new Error('lookahead: inner optimizer was disposed');
  }
}
