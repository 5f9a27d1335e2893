// The Optimizer facade: validates options once, owns the state buffers in WASM memory,
// and turns step() into (optional clipping passes +) one fused kernel call.
import { ParamBuffer } from '../buffer.js';
import { F32Block, type Memory } from '../memory.js';
import { parseOptions, checkValue, checkSize, didYouMean, show, type Spec } from '../options.js';
import type { Kernels } from '../wasm.js';
import type { Plan } from '../core/plan.js';
import { encodeStep, STEP_ARGS_BYTES } from '../core/step.js';
import type { Rule, StepContext } from './rule.js';
import { decodeState, encodeState } from './state.js';
import { checkGroup, decodeGroups, segments, type GroupOptions, type ParamRange } from './groups.js';

/**
 * Options every optimizer takes besides its own, applied in this order before the update:
 * - skipNonFinite: a gradient holding NaN or ±Infinity skips the step (params and state
 *   untouched, counted in skippedSteps). Off by default: then non-finite values propagate as in
 *   PyTorch (the element goes NaN; LAMB's trust ratio and clipNorm's norm spread it further).
 * - clipValue: clamp each gradient element to [−clipValue, clipValue] (clip_grad_value_).
 * - clipNorm: scale the gradient by min(1, clipNorm / (‖g‖ + 1e-6)) (clip_grad_norm_).
 * Clipping writes the gradient buffer, as torch's in-place clip_ functions do.
 */
const SHARED_SPEC = {
  clipNorm: { type: 'number', check: (v) => (v > 0 ? undefined : 'must be > 0') },
  clipValue: { type: 'number', check: (v) => (v > 0 ? undefined : 'must be > 0') },
  skipNonFinite: { type: 'boolean', default: false },
} satisfies Spec;
/** The shared options' spec with its literal type (src/optimizers/types.ts). */
export type SharedSpec = typeof SHARED_SPEC;
export const SHARED: Spec = SHARED_SPEC;

/** An optimizer's options in force, defaults filled in (lr included): numbers and flags. */
export type OptimizerSettings = Readonly<Record<string, number | boolean>>;

const WASM32_BYTES = 2 ** 32;

export class Optimizer {
  readonly name: string;
  readonly buffer: ParamBuffer;
  /** Steps taken (skipped non-finite steps are not counted). */
  stepCount = 0;
  /** Steps skipped by `skipNonFinite`. */
  skippedSteps = 0;
  private o: Record<string, any>;
  private lr_: number;
  private stateNames: string[];
  private state: F32Block[] = [];
  private scratch: F32Block[] = [];
  /** planStep's argument block (made on first use). */
  private stepArgs: F32Block | undefined;
  /** Reused by every step (pointers never move): no allocation per step. */
  private ctx!: StepContext;
  private scalars: Float64Array;
  private ownsBuffer: boolean;
  private disposed = false;
  private groups_: ParamRange[] = [];
  /** Segments of the buffer with groups (empty: one call over everything). */
  private segs: ParamRange[] = [];
  private segOpts: Record<string, any>[] = [];
  private segOptsFor: Record<string, any> | undefined;
  private scalarsBefore!: Float64Array;

  /** @internal use sd.optimizer(name, options) */
  constructor(
    private readonly k: Kernels,
    private readonly mem: Memory,
    private readonly rule: Rule,
    options: Record<string, any> | undefined,
  ) {
    this.name = rule.name;
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      throw new TypeError(`${rule.name}: options must be an object, got ${show(options)}`);
    }
    const given = { ...(options ?? {}) };
    const { buffer, size } = given;
    delete given.buffer;
    delete given.size;
    // buffer and size were taken out above; listing them keeps "known options" complete.
    const o = parseOptions(rule.name, { ...rule.spec, ...SHARED }, given, ['buffer', 'size']);
    rule.validate?.(o);
    if (buffer !== undefined && size !== undefined) {
      throw new TypeError(`${rule.name}: pass either buffer or size, not both`);
    }
    const stateNames = rule.states(o);
    if (size !== undefined) {
      checkSize(rule.name, 'size', size);
      // Checked before allocating anything: params, grads and every state buffer at once.
      const arrays = 2 + stateNames.length + (rule.scratch ?? 0);
      if (size * 4 * arrays > WASM32_BYTES - mem.highWater) {
        throw new RangeError(
          `${rule.name}: size ${size} does not fit in WebAssembly memory: ${arrays} arrays of ${size} floats (params, grads, ${stateNames.length} state) ` +
            `need ${size * 4 * arrays} bytes, more than the ${WASM32_BYTES - mem.highWater} left of 4 GiB`,
        );
      }
    }
    if (buffer !== undefined) {
      if (!(buffer instanceof ParamBuffer)) throw new TypeError(`${rule.name}: buffer must be made by sd.buffer(), got ${show(buffer)}`);
      if (buffer.isDisposed) throw new Error(`${rule.name}: buffer was disposed`);
      if (buffer.mem !== mem) throw new TypeError(`${rule.name}: buffer belongs to another engine (init() instance)`);
      this.buffer = buffer;
      this.ownsBuffer = false;
    } else if (size !== undefined) {
      this.buffer = new ParamBuffer(mem, size); // validates size
      this.ownsBuffer = true;
    } else {
      throw new TypeError(`${rule.name}: options need a buffer (from sd.buffer) or a size`);
    }
    this.o = o;
    this.lr_ = o.lr;
    this.stateNames = stateNames;
    this.scalars = new Float64Array(Object.values(rule.scalars ?? {}));
    this.scalarsBefore = new Float64Array(this.scalars.length);
    try {
      const extra = stateNames.length + (rule.scratch ?? 0);
      if (buffer !== undefined && this.buffer.size * 4 * extra > WASM32_BYTES - mem.highWater) {
        throw new RangeError(
          `${rule.name}: ${extra} state buffers of ${this.buffer.size} floats need ${this.buffer.size * 4 * extra} bytes, ` +
            `more than the ${WASM32_BYTES - mem.highWater} left of 4 GiB of WebAssembly memory`,
        );
      }
      for (const _ of this.stateNames) this.state.push(new F32Block(mem, this.buffer.size));
      for (let i = 0; i < (rule.scratch ?? 0); i++) this.scratch.push(new F32Block(mem, this.buffer.size));
    } catch (e) {
      this.freeAll();
      throw e;
    }
    this.ctx = {
      k, p: this.buffer.paramsPtr, g: this.buffer.gradsPtr, n: this.buffer.size,
      s: this.state.map((b) => b.ptr), r: this.scratch.map((b) => b.ptr), t: 0, lr: this.lr_, o, scalars: this.scalars,
    };
    this.initState();
  }

  get params(): Float32Array {
    this.alive();
    return this.buffer.params;
  }

  get grads(): Float32Array {
    this.alive();
    return this.buffer.grads;
  }

  /** The lr used by the next step (a double); validated like the option. */
  get lr(): number {
    return this.lr_;
  }

  set lr(v: number) {
    this.alive();
    this.lr_ = checkValue(this.name, 'lr', this.rule.spec.lr, v);
  }

  /** A copy of the options in force (lr included). */
  get options(): OptimizerSettings {
    return { ...this.o, lr: this.lr_ };
  }

  /** Change one option between steps (cycle momentum, tools), validated as at construction. */
  set(name: string, value: unknown): void {
    this.alive();
    if (name === 'lr') {
      this.lr = value as number;
      return;
    }
    const own = (s: Spec) => (Object.prototype.hasOwnProperty.call(s, name) ? s[name] : undefined);
    const spec = typeof name === 'string' ? own(this.rule.spec) ?? own(SHARED) : undefined;
    if (!spec) {
      const hint = typeof name === 'string' ? didYouMean(name, [...Object.keys(this.rule.spec), ...Object.keys(SHARED)]) : undefined;
      throw new TypeError(`${this.name}: unknown option '${String(name)}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
    const next = { ...this.o, [name]: checkValue(this.name, name, spec, value) };
    this.rule.validate?.(next);
    if (this.rule.states(next).join() !== this.stateNames.join()) {
      throw new RangeError(`${this.name}: changing ${name} to ${show(value)} would change the optimizer's state layout`);
    }
    this.o = next;
  }

  /** Names of the state buffers (PyTorch's names). */
  get stateKeys(): string[] {
    return [...this.stateNames];
  }

  /** A live view of one state buffer. */
  stateView(name: string): Float32Array {
    this.alive();
    const i = this.stateNames.indexOf(name);
    if (i < 0) throw new RangeError(`${this.name}: no state buffer '${name}' (has ${this.stateNames.join(', ') || 'none'})`);
    return this.state[i].view;
  }

  /**
   * A parameter group: params [offset, offset + length) get lr × lrScale, their own weightDecay
   * (default: the optimizer's) or no update at all (frozen), as PyTorch's param_groups. Groups
   * may not overlap; ranges in no group keep the optimizer's options. Each step makes one fused
   * kernel call per segment. Saved and restored with saveState()/loadState().
   */
  group(offset: number, length: number, options?: GroupOptions): this {
    this.alive();
    const g = checkGroup(this.name, this.buffer.size, this.groups_, offset, length, options);
    if (g.weightDecay !== undefined && !('weightDecay' in this.rule.spec)) {
      throw new TypeError(`${this.name}: group weightDecay given but '${this.name}' has no weightDecay option`);
    }
    this.setGroups([...this.groups_, g]);
    return this;
  }

  /** The groups set, in the order given (copies). */
  get groups(): ParamRange[] {
    return this.groups_.map((g) => ({ ...g }));
  }

  /** Remove every group: one call over the whole buffer again. */
  clearGroups(): void {
    this.alive();
    this.setGroups([]);
  }

  private setGroups(groups: ParamRange[]): void {
    this.groups_ = groups;
    this.segs = groups.length ? segments(this.buffer.size, groups) : [];
    this.segOptsFor = undefined;
  }

  /** One update from the current grads. Returns false when skipNonFinite skipped it. */
  step(): boolean {
    this.alive();
    const { k, buffer } = this;
    const g = buffer.gradsPtr;
    const n = buffer.size;
    if (this.o.skipNonFinite && !k.all_finite_f32(g, n)) {
      this.skippedSteps++;
      return false;
    }
    if (this.o.clipValue !== undefined) k.clamp_f32(g, n, this.o.clipValue);
    if (this.o.clipNorm !== undefined) {
      // torch.nn.utils.clip_grad_norm_ in its float32 scalar order: total = ‖g‖ (f32),
      // coef = (1 / (total + 1e-6))·max (Python's max / tensor is reciprocal then multiply),
      // clamped to ≤ 1 and multiplied in. A NaN/∞ norm gives a NaN/0 coef that spreads over
      // the whole gradient, as in torch (error_if_nonfinite=False); skipNonFinite avoids it.
      const f = Math.fround;
      const norm = f(Math.sqrt(k.sumsq_f32(g, n)));
      const coef = f(f(1 / f(norm + f(1e-6))) * f(this.o.clipNorm));
      if (!(coef >= 1)) k.scale_f32(g, n, coef);
    }
    const t = this.stepCount + 1;
    const ctx = this.ctx;
    ctx.t = t;
    ctx.lr = this.lr_;
    ctx.o = this.o;
    if (this.segs.length === 0) this.rule.step(ctx);
    else this.stepGroups(ctx);
    this.stepCount = t;
    return true;
  }

  /**
   * @internal The next step as tasks of a threads plan — one per `block` elements, in `phase` —
   * when it is one element-wise kernel call: no clipping, no skipNonFinite, no groups, not LAMB.
   * The rule runs once against a recorder, computing its scalars (and advancing NAdam's μ
   * product) exactly as step() would; the plan's agents then make that call on their ranges,
   * for the same bits as step(). After the plan, `done(true)` counts the step; `done(false)`
   * (the step did not happen) puts the scalars back. Undefined when the step cannot be split.
   */
  planStep(plan: Plan, phase: number, block: number): ((happened: boolean) => void) | undefined {
    this.alive();
    if (!(block > 0 && block % 4 === 0)) throw new RangeError(`planStep: block must be a positive multiple of 4, got ${block}`);
    if (this.o.skipNonFinite || this.o.clipValue !== undefined || this.o.clipNorm !== undefined || this.segs.length) return undefined;
    const calls: { name: string; args: unknown[] }[] = [];
    const recorder = new Proxy({} as Kernels, {
      get: (_target, name) => (...args: unknown[]) => void calls.push({ name: String(name), args }),
    });
    const before = this.scalars.slice();
    const t = this.stepCount + 1;
    this.rule.step({ ...this.ctx, k: recorder, t, lr: this.lr_, o: this.o });
    this.stepArgs ??= new F32Block(this.mem, STEP_ARGS_BYTES >> 2);
    const n = this.buffer.size;
    const id = calls.length === 1 ? encodeStep(this.mem.memory, this.stepArgs.ptr, calls[0].name, calls[0].args, n) : 0;
    if (!id) {
      this.scalars.set(before);
      return undefined;
    }
    for (let first = 0; first < n; first += block) plan.step(phase, id, this.stepArgs.ptr, first, Math.min(block, n - first));
    return (happened) => {
      if (happened) this.stepCount = t;
      else this.scalars.set(before);
    };
  }

  /** One kernel call per segment over its sub-range of params, grads, state and scratch. */
  private stepGroups(ctx: StepContext): void {
    if (this.segOptsFor !== this.o) {
      // Per-segment options, rebuilt only when set()/loadState() replaced the options.
      this.segOpts = this.segs.map((s) => (s.weightDecay === undefined ? this.o : { ...this.o, weightDecay: s.weightDecay }));
      this.segOptsFor = this.o;
    }
    const p = this.buffer.paramsPtr;
    const g = this.buffer.gradsPtr;
    const lr = ctx.lr;
    // Persistent scalars (NAdam's μ product) advance once per step, not once per segment:
    // every segment starts from the same values and ends with the same ones.
    this.scalarsBefore.set(this.scalars);
    let stepped = false;
    try {
      for (let i = 0; i < this.segs.length; i++) {
        const seg = this.segs[i];
        if (seg.frozen) continue;
        const b = seg.offset * 4;
        ctx.p = p + b;
        ctx.g = g + b;
        ctx.n = seg.length;
        for (let j = 0; j < this.state.length; j++) ctx.s[j] = this.state[j].ptr + b;
        for (let j = 0; j < this.scratch.length; j++) ctx.r[j] = this.scratch[j].ptr + b;
        ctx.lr = lr * seg.lrScale;
        ctx.o = this.segOpts[i];
        if (stepped) this.scalars.set(this.scalarsBefore);
        this.rule.step(ctx);
        stepped = true;
      }
    } finally {
      ctx.p = p;
      ctx.g = g;
      ctx.n = this.buffer.size;
      for (let j = 0; j < this.state.length; j++) ctx.s[j] = this.state[j].ptr;
      for (let j = 0; j < this.scratch.length; j++) ctx.r[j] = this.scratch[j].ptr;
      ctx.lr = lr;
      ctx.o = this.o;
    }
  }

  /** Reset state and step count (params untouched). */
  reset(): void {
    this.alive();
    for (const b of this.state) b.view.fill(0);
    this.scalars.set(Object.values(this.rule.scalars ?? {}));
    this.stepCount = 0;
    this.skippedSteps = 0;
    this.initState();
  }

  /** Everything needed to resume exactly: options, counters, params and every state buffer. */
  saveState(): Uint8Array {
    this.alive();
    return encodeState({
      optimizer: this.name,
      options: this.options,
      size: this.buffer.size,
      stepCount: this.stepCount,
      skippedSteps: this.skippedSteps,
      scalars: Array.from(this.scalars),
      states: this.stateNames,
      ...(this.groups_.length ? { groups: this.groups } : {}),
      arrays: [this.buffer.params, ...this.state.map((b) => b.view)],
    });
  }

  /** Restore saveState() bytes; throws (changing nothing) on corrupt or mismatched bytes. */
  loadState(bytes: Uint8Array): void {
    this.alive();
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`${this.name}: loadState expects a Uint8Array, got ${show(bytes)}`);
    const s = decodeState(bytes);
    if (s.optimizer !== this.name) throw new Error(`${this.name}: state was saved by optimizer '${s.optimizer}'`);
    if (s.size !== this.buffer.size) throw new Error(`${this.name}: state holds ${s.size} parameters, this optimizer has ${this.buffer.size}`);
    if (s.states.join() !== this.stateNames.join()) {
      throw new Error(`${this.name}: state buffers [${s.states.join(', ')}] do not match this optimizer's [${this.stateNames.join(', ')}] (different options?)`);
    }
    if (s.scalars.length !== this.scalars.length) throw new Error(`${this.name}: state has ${s.scalars.length} scalars, expected ${this.scalars.length}`);
    const { lr, ...rest } = s.options;
    let o: Record<string, any>;
    try {
      o = parseOptions(this.name, { ...this.rule.spec, ...SHARED }, { lr, ...rest });
      this.rule.validate?.(o);
      // saveState writes every option in force: a missing one would silently take its default.
      const missing = Object.keys(o).find((k) => !Object.prototype.hasOwnProperty.call(s.options, k));
      if (missing !== undefined) throw new Error(`option '${missing}' is missing`);
    } catch (e) {
      throw new Error(`${this.name}: state holds invalid options (${(e as Error).message})`);
    }
    const groups = decodeGroups(this.name, this.buffer.size, s.groups);
    // All checks passed: now write.
    this.setGroups(groups);
    this.o = o;
    this.lr_ = o.lr;
    this.stepCount = s.stepCount;
    this.skippedSteps = s.skippedSteps;
    this.scalars.set(s.scalars);
    this.buffer.params.set(s.arrays[0]);
    this.state.forEach((b, i) => b.view.set(s.arrays[i + 1]));
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Free the state (and the buffer when the optimizer made it); idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.freeAll();
  }

  private freeAll(): void {
    for (const b of this.state) b.free();
    for (const b of this.scratch) b.free();
    this.stepArgs?.free();
    this.stepArgs = undefined;
    this.state = [];
    this.scratch = [];
    if (this.ownsBuffer) this.buffer.dispose();
  }

  private initState(): void {
    this.ctx.o = this.o;
    this.rule.init?.(this.ctx);
  }

  private alive(): void {
    if (this.disposed) throw new Error(`${this.name}: optimizer used after dispose()`);
  }
}
