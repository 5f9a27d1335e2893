// Stochastic weight averaging (Izmailov et al., 2018, "Averaging Weights Leads to Wider Optima
// and Better Generalization"): the equal-weight running mean of params taken at chosen points
// (the end of each cycle of a cyclic/SGDR schedule, or every k steps), as
// torch.optim.swa_utils.AveragedModel: avg ← avg + (p − avg)/(n + 1), one SIMD pass in WASM
// (torch's lerp form with weight 1/(n + 1), the weight computed in f64 and rounded to f32).
// The first update copies the params exactly.
import type { ParamBuffer } from '../buffer.js';
import type { Core } from '../core/core.js';
import { Averaged } from './average.js';

export class Swa extends Averaged {
  constructor(core: Core, buffer: ParamBuffer) {
    super('swa', core, buffer);
  }

  update(): void {
    this.alive();
    if (this.updates === 0) this.block.view.set(this.buffer.params);
    else this.k.average_f32(this.block.ptr, this.buffer.paramsPtr, this.buffer.size, 1 / (this.updates + 1));
    this.updates++;
  }
}
