// Exponential moving average of the params, as timm's ModelEmaV3 (the ModelEmaV2 update with
// the optional warmup): ema ← lerp(ema, p, 1 − decay), one SIMD pass in WASM. It starts as a
// copy of the params at creation. With warmup, update u (1-based) uses
// decay_u = min(decay, 1 − (1 + s)^(−2/3)) with s = u − 1 (timm's warmup_gamma 1, warmup_power
// 2/3), so decay_1 = 0: early averages follow the params instead of remembering the init.
// This is a separate pass after the optimizer's step, not fused into it.
import type { ParamBuffer } from '../buffer.js';
import type { Core } from '../core/core.js';
import { parseOptions, range, type Spec } from '../options.js';
import { Averaged } from './average.js';

export interface EmaOptions {
  /** Default 0.999. */
  decay?: number;
  /** timm's warmup (gamma 1, power 2/3). Default false. */
  warmup?: boolean;
}

export const EMA_SPEC: Spec = {
  decay: { type: 'number', default: 0.999, check: range.unitClosed },
  warmup: { type: 'boolean', default: false },
};

export class Ema extends Averaged {
  readonly decay: number;
  readonly warmup: boolean;

  constructor(core: Core, buffer: ParamBuffer, options?: EmaOptions) {
    const o = parseOptions('ema', EMA_SPEC, options);
    super('ema', core, buffer);
    this.decay = o.decay;
    this.warmup = o.warmup;
    this.block.view.set(buffer.params);
  }

  /** The decay the next update uses. */
  get currentDecay(): number {
    if (!this.warmup) return this.decay;
    const s = this.updates; // u − 1 for the next update u
    if (s <= 0) return 0;
    return Math.min(this.decay, 1 - (1 + s) ** (-2 / 3));
  }

  update(): void {
    this.alive();
    this.k.average_f32(this.block.ptr, this.buffer.paramsPtr, this.buffer.size, 1 - this.currentDecay);
    this.updates++;
  }
}
