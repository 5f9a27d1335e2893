// Owns the core's linear memory: 16-byte aligned blocks above the static data, a free
// list so that disposed buffers are reused, and views that survive memory growth.
import type { Kernels } from './wasm.js';

const ALIGN = 16;
const PAGE = 65536;
const MAX_BYTES = 65536 * PAGE; // wasm32: 4 GiB

export class Memory {
  readonly memory: WebAssembly.Memory;
  private top: number;
  /** Free blocks sorted by address: [ptr, bytes]. */
  private free_: Array<[number, number]> = [];
  private sizes = new Map<number, number>();
  private f32cache: Float32Array;
  private u8cache: Uint8Array;
  /** 4 GiB, or the declared maximum of an imported (shared) memory. */
  private readonly maxBytes: number;
  private readonly kernels: Kernels;

  constructor(kernels: Kernels) {
    this.kernels = kernels;
    this.memory = kernels.memory;
    this.maxBytes = kernels.memoryMaxBytes ?? MAX_BYTES;
    this.top = align(kernels.heap_base());
    this.f32cache = new Float32Array(this.memory.buffer);
    this.u8cache = new Uint8Array(this.memory.buffer);
  }

  /** Bytes in use or held free: the high-water mark of the allocator. */
  get highWater(): number {
    return this.top;
  }

  /** Allocate n bytes (16-byte aligned, zero-filled). RangeError when 4 GiB cannot hold it. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, align(bytes));
    for (let i = 0; i < this.free_.length; i++) {
      const [ptr, len] = this.free_[i];
      if (len < size) continue;
      if (len === size) this.free_.splice(i, 1);
      else this.free_[i] = [ptr + size, len - size];
      this.sizes.set(ptr, size);
      this.zero(ptr, size);
      return ptr;
    }
    const ptr = this.top;
    const end = ptr + size;
    if (end > this.maxBytes) {
      const limit = this.maxBytes === MAX_BYTES ? '4 GiB' : `${this.maxBytes / 2 ** 20} MiB (the shared memory's maximum)`;
      throw new RangeError(
        `cannot allocate ${bytes} bytes: WebAssembly memory is limited to ${limit} (${ptr} bytes already reserved)`,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        throw new RangeError(`cannot allocate ${bytes} bytes: the runtime refused to grow WebAssembly memory`);
      }
    }
    this.top = end;
    this.sizes.set(ptr, size);
    this.zero(ptr, size); // memory below a lowered top may hold old data
    return ptr;
  }

  /** Zero a block in WASM (TypedArray.fill on a shared buffer takes a slow path in V8). */
  private zero(ptr: number, bytes: number): void {
    if (this.kernels.fill_f32) this.kernels.fill_f32(ptr, bytes >> 2, 0);
    else this.u8().fill(0, ptr, ptr + bytes);
  }

  /** Return a block to the free list, merging neighbours; the top block lowers the mark. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    let lo = 0;
    let hi = this.free_.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free_[mid][0] < ptr) lo = mid + 1;
      else hi = mid;
    }
    this.free_.splice(lo, 0, [ptr, size]);
    // merge with next, then previous
    if (lo + 1 < this.free_.length && this.free_[lo][0] + this.free_[lo][1] === this.free_[lo + 1][0]) {
      this.free_[lo][1] += this.free_[lo + 1][1];
      this.free_.splice(lo + 1, 1);
    }
    if (lo > 0 && this.free_[lo - 1][0] + this.free_[lo - 1][1] === this.free_[lo][0]) {
      this.free_[lo - 1][1] += this.free_[lo][1];
      this.free_.splice(lo, 1);
      lo--;
    }
    const last = this.free_[this.free_.length - 1];
    if (last && last[0] + last[1] === this.top) {
      this.top = last[0];
      this.free_.pop();
    }
  }

  /** The whole memory as f32 (re-created after growth). */
  f32(): Float32Array {
    if (this.f32cache.buffer !== this.memory.buffer) this.f32cache = new Float32Array(this.memory.buffer);
    return this.f32cache;
  }

  u8(): Uint8Array {
    if (this.u8cache.buffer !== this.memory.buffer) this.u8cache = new Uint8Array(this.memory.buffer);
    return this.u8cache;
  }

  /** A fresh view of n floats at ptr. */
  view(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }
}

/** A block of n floats with a view that is re-created whenever memory has grown. */
export class F32Block {
  readonly ptr: number;
  readonly length: number;
  private cached: Float32Array;

  constructor(private readonly mem: Memory, length: number) {
    this.length = length;
    this.ptr = mem.alloc(length * 4);
    this.cached = mem.view(this.ptr, length);
  }

  get view(): Float32Array {
    if (this.cached.buffer !== this.mem.memory.buffer) this.cached = this.mem.view(this.ptr, this.length);
    return this.cached;
  }

  free(): void {
    this.mem.release(this.ptr);
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
