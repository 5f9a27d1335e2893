// safetensors (https://github.com/huggingface/safetensors, the format's README): an 8-byte
// little-endian unsigned header length N, N bytes of UTF-8 JSON (this writer pads it with
// spaces to a multiple of 8, as the reference implementation does), then the data section:
// raw little-endian tensors. The header maps each tensor name to { dtype, shape, data_offsets:
// [begin, end] } (offsets relative to the data section) and may hold "__metadata__", a map of
// strings to strings. Only F32 tensors are read or written here.
//
// Names follow PyTorch, so a run can continue there:
// - an MLP is `nn.Sequential(Linear, Act, Linear, Act, …, Linear)`; Sequential numbers the
//   activation modules too, so layer l's tensors are `${2l}.weight` [out, in] and
//   `${2l}.bias` [out] (0.weight, 0.bias, 2.weight, 2.bias, …). Our flat layout already is
//   PyTorch's (row-major [out, in], then the bias), so tensors are plain slices.
// - optimizer state as in `optimizer.state_dict()['state']`: `state.<i>.<key>` where i counts
//   the parameters in model.parameters() order (0.weight → 0, 0.bias → 1, 2.weight → 2, …)
//   and key is PyTorch's (exp_avg, exp_avg_sq, momentum_buffer, …); `state.<i>.step` (a
//   0-d F32 tensor, torch's float step) for every optimizer but SGD, and NAdam's
//   `state.<i>.mu_product`. The optimizer's name, options and step go in __metadata__.
import type { Model } from '../models/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { decodeState, encodeState } from '../optimizers/state.js';
import { show } from '../options.js';

export interface Tensor {
  dtype: 'F32';
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  /** By name; a prototype-less record, so any name (`__proto__`, `constructor`) is a plain key. */
  tensors: Record<string, Tensor>;
  metadata?: Record<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** dtypes of the format; all but F32 are recognised and refused. */
const DTYPES = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64'];
/** The reference implementation's limit on the header (100 MB). */
export const MAX_HEADER = 100_000_000;

/** Serialise tensors (in the given order) and optional string metadata. */
export function encodeSafetensors(tensors: Record<string, { shape: number[]; data: Float32Array }>, metadata?: Record<string, string>): Uint8Array {
  // Names are data: a prototype-less header keeps `__proto__` and friends as tensor names.
  const header: Record<string, unknown> = Object.create(null);
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new TypeError(`safetensors: metadata '${k}' must be a string, got ${show(v)}`);
    }
    header.__metadata__ = metadata;
  }
  let off = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new RangeError("safetensors: '__metadata__' is reserved and cannot name a tensor");
    if (!(t?.data instanceof Float32Array)) throw new TypeError(`safetensors: tensor '${name}' data must be a Float32Array, got ${show(t?.data)}`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`safetensors: tensor '${name}' shape must be an array of integers ≥ 0, got ${show(t.shape)}`);
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new RangeError(`safetensors: tensor '${name}' has ${t.data.length} values but shape [${t.shape}] holds ${count}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [off, off + count * 4] };
    off += count * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(padded).fill(0x20);
  head.set(json);
  json = head;
  const out = new Uint8Array(8 + json.length + off);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length, true);
  dv.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    if (LITTLE_ENDIAN) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.length * 4), at);
    else for (let i = 0; i < t.data.length; i++) dv.setFloat32(at + 4 * i, t.data[i], true);
    at += t.data.length * 4;
  }
  return out;
}

/** Parse and check a safetensors file; throws an Error naming the first problem found. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`safetensors: expected a Uint8Array, got ${show(bytes)}`);
  if (bytes.length < 8) throw new Error(`safetensors: file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > MAX_HEADER) throw new Error(`safetensors: header length ${n} is larger than the ${MAX_HEADER}-byte limit (not a safetensors file?)`);
  if (8 + n > bytes.length) throw new Error(`safetensors: header length ${n} runs past the end of the ${bytes.length}-byte file (truncated?)`);
  if (n < 2 || bytes[8] !== 0x7b) throw new Error("safetensors: header is not a JSON object (must start with '{')");
  let header: any;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new Error('safetensors: header is not valid JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error('safetensors: header is not a JSON object');
  const dataLen = bytes.length - 8 - n;
  let metadata: Record<string, string> | undefined;
  const spans: Array<[number, number, string]> = [];
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const [name, e] of Object.entries<any>(header)) {
    if (name === '__metadata__') {
      if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new Error('safetensors: __metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(e)) {
        if (typeof v !== 'string') throw new Error(`safetensors: __metadata__ '${k}' must be a string, got ${show(v)}`);
      }
      metadata = e;
      continue;
    }
    if (e === null || typeof e !== 'object') throw new Error(`safetensors: tensor '${name}' entry is not an object`);
    const { dtype, shape, data_offsets: offs } = e;
    if (typeof dtype !== 'string' || !DTYPES.includes(dtype)) throw new Error(`safetensors: tensor '${name}' has unknown dtype ${show(dtype)}`);
    if (dtype !== 'F32') throw new Error(`safetensors: tensor '${name}' has dtype ${dtype}; only F32 is supported`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new Error(`safetensors: tensor '${name}' shape must be an array of integers ≥ 0, got ${show(shape)}`);
    }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isSafeInteger(d) && d >= 0) || offs[0] > offs[1]) {
      throw new Error(`safetensors: tensor '${name}' data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${show(offs)}`);
    }
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    if (offs[1] - offs[0] !== count * 4) {
      throw new Error(`safetensors: tensor '${name}' shape [${shape}] needs ${count * 4} bytes but its data_offsets [${offs}] span ${offs[1] - offs[0]}`);
    }
    if (offs[1] > dataLen) {
      throw new Error(`safetensors: tensor '${name}' data_offsets [${offs}] run past the ${dataLen}-byte data section (truncated?)`);
    }
    spans.push([offs[0], offs[1], name]);
    const data = new Float32Array(count);
    const at = 8 + n + offs[0];
    if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(bytes.subarray(at, at + count * 4));
    else for (let i = 0; i < count; i++) data[i] = dv.getFloat32(at + 4 * i, true);
    tensors[name] = { dtype: 'F32', shape: shape.slice(), data };
  }
  // The format requires the data section to be covered exactly: no overlaps, no holes.
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let end = 0;
  let prev = '';
  for (const [b, e, name] of spans) {
    if (b < end) throw new Error(`safetensors: tensor '${name}' data_offsets overlap those of '${prev}'`);
    if (b > end) throw new Error(`safetensors: data section has a hole at bytes [${end}, ${b}) before tensor '${name}'`);
    end = e;
    prev = name;
  }
  if (end !== dataLen) throw new Error(`safetensors: data section is ${dataLen} bytes but the tensors cover ${end} (trailing bytes)`);
  return metadata ? { tensors, metadata } : { tensors };
}

interface Named {
  name: string;
  offset: number;
  length: number;
  shape: number[];
}

/** PyTorch names and shapes of a model's tensors, in model.parameters() order. */
export function torchNames(model: Model): Named[] {
  const json = model.toJSON() as { kind?: string; layers?: number[] };
  if (json.kind !== 'mlp' || !Array.isArray(json.layers)) {
    throw new TypeError(`safetensors: only MLPs have PyTorch names (model kind ${show(json.kind)})`);
  }
  const L = json.layers;
  return model.groups().map((g) => {
    const m = /^layer(\d+)\.(weight|bias)$/.exec(g.name);
    if (!m) throw new Error(`safetensors: unexpected tensor '${g.name}' in the model`);
    const l = Number(m[1]);
    const shape = m[2] === 'weight' ? [L[l + 1], L[l]] : [L[l + 1]];
    return { name: `${2 * l}.${m[2]}`, offset: g.offset, length: g.length, shape };
  });
}

/** The model's params (and, given an optimizer on its buffer, its state) as safetensors bytes. */
export function saveSafetensors(model: Model, optimizer?: Optimizer, metadata: Record<string, string> = {}): Uint8Array {
  const names = torchNames(model);
  const p = model.buffer.params;
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const t of names) tensors[t.name] = { shape: t.shape, data: p.slice(t.offset, t.offset + t.length) };
  const meta: Record<string, string> = { format: 'pt', ...metadata };
  if (optimizer) {
    checkOptimizer(model, optimizer);
    const saved = decodeState(optimizer.saveState());
    names.forEach((t, i) => {
      saved.states.forEach((key, j) => {
        tensors[`state.${i}.${key}`] = { shape: t.shape, data: saved.arrays[j + 1].slice(t.offset, t.offset + t.length) };
      });
      if (optimizer.name !== 'sgd') tensors[`state.${i}.step`] = { shape: [], data: Float32Array.of(saved.stepCount) };
      if (optimizer.name === 'nadam') tensors[`state.${i}.mu_product`] = { shape: [], data: Float32Array.of(saved.scalars[0]) };
    });
    meta['simdescent.optimizer'] = optimizer.name;
    meta['simdescent.options'] = JSON.stringify(optimizer.options);
    meta['simdescent.step'] = String(saved.stepCount);
  }
  return encodeSafetensors(tensors, meta);
}

/**
 * Load params (and optimizer state, given an optimizer on the model's buffer) from safetensors
 * bytes with PyTorch names. Every tensor is checked (present, shape, finite scalar state)
 * before anything is written, and every tensor of the file is used or reported: unexpected
 * tensors are an error (load_state_dict's strict=True); `state.*` tensors, with no optimizer
 * given, are listed in `ignored`.
 */
export function loadSafetensors(model: Model, bytes: Uint8Array, optimizer?: Optimizer): { metadata?: Record<string, string>; ignored?: string[] } {
  const file = decodeSafetensors(bytes);
  const names = torchNames(model);
  // Names are data: a Map, never keys looked up on a plain object.
  const all = new Map(Object.entries(file.tensors));
  const used = new Set<string>();
  const want = new Set(names.map((t) => t.name));
  for (const name of all.keys()) {
    if (!name.startsWith('state.') && !want.has(name)) throw new Error(`safetensors: unexpected tensor '${clip(name)}' (the model has ${[...want].join(', ')})`);
  }
  const get = (name: string, shape: number[]): Float32Array => {
    const t = all.get(name);
    if (!t) throw new Error(`safetensors: missing tensor '${name}'`);
    if (t.shape.join() !== shape.join()) throw new Error(`safetensors: tensor '${name}' has shape [${t.shape}], the model expects [${shape}]`);
    used.add(name);
    return t.data;
  };
  const params = names.map((t) => get(t.name, t.shape));
  let stateBytes: Uint8Array | undefined;
  if (optimizer) {
    checkOptimizer(model, optimizer);
    const saved = decodeState(optimizer.saveState());
    const steps = new Set<number>();
    const mus = new Set<number>();
    names.forEach((t, i) => {
      saved.states.forEach((key, j) => saved.arrays[j + 1].set(get(`state.${i}.${key}`, t.shape), t.offset));
      if (optimizer.name !== 'sgd') steps.add(get(`state.${i}.step`, [])[0]);
      if (optimizer.name === 'nadam') mus.add(get(`state.${i}.mu_product`, [])[0]);
    });
    const extra = [...all.keys()].find((k) => !used.has(k));
    if (extra !== undefined) throw new Error(`safetensors: unexpected tensor '${clip(extra)}' (not state of '${optimizer.name}' for this model)`);
    if (steps.size > 1) throw new Error(`safetensors: the parameters have different steps (${[...steps].join(', ')}); simdescent keeps one step count`);
    if (mus.size > 1) throw new Error('safetensors: the parameters have different mu_product values; simdescent keeps one');
    if (steps.size === 1) {
      const step = [...steps][0];
      if (!Number.isInteger(step) || step < 0) throw new Error(`safetensors: step ${step} is not a whole number ≥ 0`);
      saved.stepCount = step;
    } else if (file.metadata?.['simdescent.step'] !== undefined) {
      saved.stepCount = Number(file.metadata['simdescent.step']);
      if (!Number.isInteger(saved.stepCount) || saved.stepCount < 0) throw new Error(`safetensors: metadata step '${clip(file.metadata['simdescent.step'])}' is not a whole number ≥ 0`);
    }
    if (mus.size === 1) {
      // A product of momentum coefficients in [0, 1): never NaN or infinite (it would load as 0).
      const mu = [...mus][0];
      if (!(mu >= 0 && mu <= 1)) throw new Error(`safetensors: mu_product ${mu} is not in [0, 1]`);
      saved.scalars[0] = mu;
    }
    names.forEach((t, i) => saved.arrays[0].set(params[i], t.offset));
    stateBytes = encodeState(saved);
  }
  const ignored = [...all.keys()].filter((k) => !used.has(k));
  // All checks passed: now write.
  if (stateBytes) optimizer!.loadState(stateBytes); // writes params too
  else names.forEach((t, i) => model.buffer.params.set(params[i], t.offset));
  return { ...(file.metadata ? { metadata: file.metadata } : {}), ...(ignored.length ? { ignored } : {}) };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function checkOptimizer(model: Model, opt: Optimizer): void {
  if (opt.isDisposed) throw new Error('safetensors: optimizer was disposed');
  if (opt.buffer !== model.buffer) throw new TypeError("safetensors: the optimizer must be made on the model's buffer");
}
