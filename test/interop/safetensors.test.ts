// safetensors: write → read back bit for bit, the header checked against the format's spec
// (8-byte LE length, JSON, F32 entries with shape and data_offsets covering the data section
// exactly), PyTorch names for an MLP and its optimizer state, a file laid out the way the
// reference writer lays it out (sorted names, data in its own order, __metadata__) loaded into
// an MLP, and every malformed file rejected with an Error naming the problem.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine } from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../../src/interop/safetensors.js';
import { Random } from '../../src/random.js';
import { bitsEqual, bothEngines, throwsWith } from '../_helpers.js';

const T = suite('interop/safetensors');
let sd: Engine;
T.before(async () => {
  [sd] = await bothEngines();
});

/** A hand-built file: header JSON as given (padded with spaces to 8), then the raw data bytes. */
function file(header: unknown, data: Uint8Array, headerText?: string): Uint8Array {
  let json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  const h = new Uint8Array(json.length + pad).fill(0x20);
  h.set(json);
  json = h;
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32bytes = (a: number[] | Float32Array) => new Uint8Array(Float32Array.from(a).buffer);

T('write → read back bit for bit, NaN payloads, −0 and subnormals included; header as the spec says', () => {
  const odd = new Float32Array([-0, 1.4e-45, NaN, Infinity, -3.5]);
  new Uint32Array(odd.buffer)[2] = 0x7fc00123; // a NaN with a payload
  const a = new Float32Array(6).map((_, i) => Math.fround(Math.sin(i) * 10));
  const bytes = encodeSafetensors({ 'b.x': { shape: [5], data: odd }, 'a.w': { shape: [2, 3], data: a }, s: { shape: [], data: Float32Array.of(7) } }, { note: 'hi' });
  const dv = new DataView(bytes.buffer);
  const n = Number(dv.getBigUint64(0, true));
  assert.is(n % 8, 0, 'header padded to 8 bytes');
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.ok(text.startsWith('{'));
  assert.ok(/^ *$/.test(text.slice(text.lastIndexOf('}') + 1)), 'padding is spaces');
  const header = JSON.parse(text);
  assert.equal(header.__metadata__, { note: 'hi' });
  assert.equal(header['b.x'], { dtype: 'F32', shape: [5], data_offsets: [0, 20] });
  assert.equal(header['a.w'], { dtype: 'F32', shape: [2, 3], data_offsets: [20, 44] });
  assert.equal(header.s, { dtype: 'F32', shape: [], data_offsets: [44, 48] });
  assert.is(bytes.length, 8 + n + 48);
  // Raw little-endian floats at the offsets.
  assert.is(dv.getUint32(8 + n + 8, true), 0x7fc00123);
  const back = decodeSafetensors(bytes);
  assert.ok(bitsEqual(back.tensors['b.x'].data, odd));
  assert.ok(bitsEqual(back.tensors['a.w'].data, a));
  assert.equal(back.tensors.s.shape, []);
  assert.equal(back.metadata, { note: 'hi' });
  // A file starting at an odd byte offset reads the same.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.ok(bitsEqual(decodeSafetensors(shifted.subarray(1)).tensors['a.w'].data, a));
});

T('an MLP as nn.Sequential: 0.weight [out, in], 0.bias, 2.weight… (activations count); Adam state as state.<i>.*', () => {
  const model = sd.mlp({ layers: [5, 4, 3, 2], seed: 3 });
  const opt = sd.optimizer('adam', { buffer: model.buffer, lr: 0.01 });
  for (let t = 1; t <= 3; t++) {
    model.buffer.grads.set(Float32Array.from({ length: model.buffer.size }, (_, i) => Math.sin(i + t)));
    opt.step();
  }
  const bytes = saveSafetensors(model, opt);
  const f = decodeSafetensors(bytes);
  const names = Object.keys(f.tensors);
  assert.equal(names.filter((n) => !n.startsWith('state.')), ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
  assert.equal(f.tensors['0.weight'].shape, [4, 5]);
  assert.equal(f.tensors['4.bias'].shape, [2]);
  for (let i = 0; i < 6; i++) {
    for (const k of ['exp_avg', 'exp_avg_sq']) assert.ok(names.includes(`state.${i}.${k}`), `state.${i}.${k}`);
    assert.equal(f.tensors[`state.${i}.step`].shape, []);
    assert.is(f.tensors[`state.${i}.step`].data[0], 3);
  }
  assert.is(f.metadata!['simdescent.optimizer'], 'adam');
  // Tensors are slices of the flat layout.
  const g = model.groups();
  assert.ok(bitsEqual(f.tensors['2.weight'].data, model.buffer.params.subarray(g[2].offset, g[2].offset + g[2].length)));
  assert.ok(bitsEqual(f.tensors['state.2.exp_avg'].data, opt.stateView('exp_avg').subarray(g[2].offset, g[2].offset + g[2].length)));
  // Round trip into a fresh model and optimizer: identical params, state, step, and next steps.
  const m2 = sd.mlp({ layers: [5, 4, 3, 2], seed: 99 });
  const o2 = sd.optimizer('adam', { buffer: m2.buffer, lr: 0.01 });
  loadSafetensors(m2, bytes, o2);
  assert.ok(bitsEqual(m2.buffer.params, model.buffer.params));
  assert.ok(bitsEqual(o2.stateView('exp_avg_sq'), opt.stateView('exp_avg_sq')));
  assert.is(o2.stepCount, 3);
  model.buffer.grads.fill(0.25);
  m2.buffer.grads.fill(0.25);
  opt.step();
  o2.step();
  assert.ok(bitsEqual(m2.buffer.params, model.buffer.params), 'continues identically');
  model.dispose();
  m2.dispose();
});

T('NAdam carries mu_product; SGD momentum_buffer has no step', () => {
  for (const [name, o] of [['nadam', {}], ['sgd', { momentum: 0.9 }]] as const) {
    const model = sd.mlp({ layers: [3, 2], seed: 1 });
    const opt = sd.optimizer(name, { buffer: model.buffer, ...o });
    model.buffer.grads.fill(0.5);
    opt.step();
    opt.step();
    const f = decodeSafetensors(saveSafetensors(model, opt));
    if (name === 'nadam') assert.ok(f.tensors['state.0.mu_product'].data[0] < 1);
    else {
      assert.ok('state.1.momentum_buffer' in f.tensors);
      assert.not.ok('state.0.step' in f.tensors);
    }
    const m2 = sd.mlp({ layers: [3, 2], seed: 2 });
    const o2 = sd.optimizer(name, { buffer: m2.buffer, ...o });
    loadSafetensors(m2, saveSafetensors(model, opt), o2);
    assert.equal(Array.from(o2.saveState().subarray(12)), Array.from(opt.saveState().subarray(12)), `${name} state identical`);
    model.dispose();
    m2.dispose();
  }
});

T('PyTorch-initialised weights, laid out as the reference writer does, load into an MLP', () => {
  // nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)) with torch's default init
  // U(−1/√fan_in, 1/√fan_in) for weight and bias. The reference writer sorts names and may
  // put the data in any order: here 2.bias first, then 0.weight, 2.weight, 0.bias.
  const rng = new Random(5);
  const u = (n: number, fanIn: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1) / Math.sqrt(fanIn));
  const w0 = u(12, 4), b0 = u(3, 4), w2 = u(6, 3), b2 = u(2, 3);
  const data = new Uint8Array([...f32bytes(b2), ...f32bytes(w0), ...f32bytes(w2), ...f32bytes(b0)]);
  const header = {
    __metadata__: { format: 'pt' },
    '0.bias': { dtype: 'F32', shape: [3], data_offsets: [80, 92] },
    '0.weight': { dtype: 'F32', shape: [3, 4], data_offsets: [8, 56] },
    '2.bias': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    '2.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [56, 80] },
  };
  const model = sd.mlp({ layers: [4, 3, 2], activation: 'relu', seed: 0 });
  const r = loadSafetensors(model, file(header, data));
  assert.equal(r.metadata, { format: 'pt' });
  assert.ok(bitsEqual(model.buffer.params, Float32Array.from([...w0, ...b0, ...w2, ...b2])));
  // Forward pass by hand (ReLU then softmax) equals predict().
  const x = Float32Array.of(0.3, -1, 2, 0.5);
  const h = [0, 1, 2].map((o) => Math.max(0, [0, 1, 2, 3].reduce((a, i) => a + w0[o * 4 + i] * x[i], b0[o])));
  const z = [0, 1].map((o) => [0, 1, 2].reduce((a, i) => a + w2[o * 3 + i] * h[i], b2[o]));
  const e = z.map((v) => Math.exp(v - Math.max(...z)));
  const p = model.predict(x, 1);
  for (let c = 0; c < 2; c++) assert.ok(Math.abs(p[c] - e[c] / (e[0] + e[1])) < 1e-6, `${p[c]} vs ${e[c] / (e[0] + e[1])} ${z}`);
  model.dispose();
});

T('loading checks every tensor before writing anything', () => {
  const model = sd.mlp({ layers: [3, 2], seed: 1 });
  const good = saveSafetensors(model);
  const before = Float32Array.from(model.buffer.params);
  const big = sd.mlp({ layers: [3, 4], seed: 1 });
  throwsWith(() => loadSafetensors(big, good), Error, "tensor '0.weight' has shape [2,3], the model expects [4,3]");
  const deeper = sd.mlp({ layers: [3, 2, 2], seed: 1 });
  throwsWith(() => loadSafetensors(deeper, good), Error, "missing tensor '2.weight'");
  const extra = encodeSafetensors({ ...decodeSafetensors(good).tensors, '9.weight': { shape: [1], data: Float32Array.of(1) } });
  throwsWith(() => loadSafetensors(model, extra), Error, "unexpected tensor '9.weight'");
  const opt = sd.optimizer('adam', { buffer: model.buffer });
  throwsWith(() => loadSafetensors(model, good, opt), Error, "missing tensor 'state.0.exp_avg'");
  assert.ok(bitsEqual(model.buffer.params, before));
  for (const m of [model, big, deeper]) m.dispose();
});

T('malformed files are rejected with an Error naming the problem', () => {
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const d8 = f32bytes([1, 2]);
  const good = file(ok, d8);
  decodeSafetensors(good); // sanity
  const cases: Array<[Uint8Array, string]> = [
    [new Uint8Array(5), 'file is 5 bytes, shorter than the 8-byte header length'],
    [(() => { const b = good.slice(); new DataView(b.buffer).setUint32(0, 4000, true); return b; })(), 'header length 4000 runs past the end'],
    [(() => { const b = good.slice(); new DataView(b.buffer).setUint32(4, 1, true); return b; })(), 'larger than the 100000000-byte limit'],
    [file(null, d8, '{"a": {"dtype": '), 'header is not valid JSON'],
    [file(null, d8, '[1, 2]'), "header is not a JSON object (must start with '{')"],
    [file({ a: { ...ok.a, dtype: 'F16' } }, d8), "tensor 'a' has dtype F16; only F32 is supported"],
    [file({ a: { ...ok.a, dtype: 'float' } }, d8), "tensor 'a' has unknown dtype \"float\""],
    [file({ a: { ...ok.a, shape: [3] } }, d8), "tensor 'a' shape [3] needs 12 bytes but its data_offsets [0,8] span 8"],
    [file({ a: { ...ok.a, shape: [-2] } }, d8), "tensor 'a' shape must be an array of integers ≥ 0"],
    [file({ a: { ...ok.a, data_offsets: [8, 0] } }, d8), "tensor 'a' data_offsets must be [begin, end] with 0 ≤ begin ≤ end"],
    [file({ a: { ...ok.a, data_offsets: [8, 16] } }, d8), "tensor 'a' data_offsets [8,16] run past the 8-byte data section (truncated?)"],
    [file(ok, d8).subarray(0, good.length - 3), "run past the 5-byte data section (truncated?)"],
    [file({ a: ok.a, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, d8), "data_offsets overlap those of 'a'"],
    [file({ a: { ...ok.a, data_offsets: [4, 12] }, b: { dtype: 'F32', shape: [0], data_offsets: [0, 0] } }, f32bytes([1, 2, 3])), 'data section has a hole at bytes [0, 4)'],
    [file(ok, f32bytes([1, 2, 3])), 'data section is 12 bytes but the tensors cover 8 (trailing bytes)'],
    [file({ ...ok, __metadata__: { n: 1 } }, d8), "__metadata__ 'n' must be a string"],
    [file({ a: 3 }, d8), "tensor 'a' entry is not an object"],
  ];
  for (const [bytes, msg] of cases) throwsWith(() => decodeSafetensors(bytes), Error, 'safetensors: ', msg);
  throwsWith(() => decodeSafetensors([1, 2] as any), TypeError, 'safetensors: expected a Uint8Array');
  throwsWith(() => encodeSafetensors({ a: { shape: [3], data: Float32Array.of(1) } }), RangeError, "tensor 'a' has 1 values but shape [3] holds 3");
  throwsWith(() => encodeSafetensors({ a: { shape: [1], data: [1] as any } }), TypeError, "tensor 'a' data must be a Float32Array");
  throwsWith(() => encodeSafetensors({}, { n: 1 as any }), TypeError, "metadata 'n' must be a string");
});

T.run();
