// An engine is one instantiated core (SIMD or scalar) with its own linear memory.
// Everything that allocates WASM memory is made through it.
import { ParamBuffer } from './buffer.js';
import { Memory } from './memory.js';
import { Optimizer } from './optimizers/optimizer.js';
import { ruleFor } from './optimizers/registry.js';
import type { Kernels } from './wasm.js';

export class Engine {
  /** @internal */ readonly kernels: Kernels;
  /** @internal */ readonly mem: Memory;

  /** @internal use init() */
  constructor(kernels: Kernels, readonly simd: boolean) {
    this.kernels = kernels;
    this.mem = new Memory(kernels);
  }

  /** A zero-filled parameter buffer of `size` floats (params and grads). */
  buffer(size: number): ParamBuffer {
    return new ParamBuffer(this.mem, size);
  }

  /** An optimizer by name; options as in PyTorch, plus `buffer` or `size`. */
  optimizer(name: string, options: Record<string, any>): Optimizer {
    return new Optimizer(this.kernels, this.mem, ruleFor(name), options);
  }

  /** Bytes of WASM memory in use or reserved by the allocator. */
  get memoryBytes(): number {
    return this.mem.highWater;
  }
}
