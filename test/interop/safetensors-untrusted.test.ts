// safetensors files from anywhere: random byte edits, truncations and header rewrites either
// load exactly what the file holds (saving again gives the same tensors back) or are refused
// with an Error, the params, the optimizer state and the engine's memory unchanged. Names are
// data (`__proto__` is a name like any other), every tensor is used or reported, and scalar
// state is never silently replaced (a NaN mu_product is refused, not loaded as 0).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { init, type Engine, type Model, type Optimizer } from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../../src/interop/safetensors.js';
import { bitsEqual, throwsWith } from '../_helpers.js';

const T = suite('interop/safetensors-untrusted');

let sd: Engine;
T.before(async () => {
  sd = await init();
});

function trained(seed: number): { model: Model; opt: Optimizer } {
  const model = sd.mlp({ layers: [3, 4, 2], seed });
  const opt = sd.optimizer('nadam', { buffer: model.buffer, lr: 0.01 });
  for (let t = 1; t <= seed; t++) {
    model.buffer.grads.set(Float32Array.from({ length: model.buffer.size }, (_, i) => Math.cos(i + t)));
    opt.step();
  }
  return { model, opt };
}

/** Load `bytes` into a model + optimizer that differ from the source: exact load, or refusal with nothing changed. */
function check(bytes: Uint8Array, what: string): 'loaded' | 'refused' {
  const { model, opt } = trained(2);
  const before = opt.saveState();
  const mem = sd.memoryBytes;
  try {
    loadSafetensors(model, bytes, opt);
  } catch (e) {
    assert.ok(e instanceof Error, `${what}: threw ${String(e)}`);
    assert.match((e as Error).message, /^(safetensors|nadam): /, `${what}: ${(e as Error).message}`);
    assert.not.match((e as Error).message, /Cannot read|is not a function|is not iterable|of undefined|of null/, what);
    assert.ok(Buffer.from(opt.saveState()).equals(Buffer.from(before)), `${what}: refused but params or state changed`);
    assert.is(sd.memoryBytes, mem, `${what}: memory changed`);
    model.dispose();
    return 'refused';
  }
  const file = decodeSafetensors(bytes).tensors;
  const back = decodeSafetensors(saveSafetensors(model, opt)).tensors;
  assert.equal(Object.keys(back).sort(), Object.keys(file).sort(), `${what}: tensor names`);
  for (const name of Object.keys(back)) assert.ok(bitsEqual(back[name].data, file[name].data), `${what}: tensor ${name}`);
  model.dispose();
  return 'loaded';
}

T('random byte edits and truncations: exact load or refusal, nothing changed', () => {
  const { model, opt } = trained(3);
  const good = saveSafetensors(model, opt);
  model.dispose();
  const header = 8 + Number(new DataView(good.buffer).getUint32(0, true));
  let loaded = 0;
  fc.assert(
    fc.property(
      fc.array(fc.record({ inHeader: fc.boolean(), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 3 }),
      fc.option(fc.nat(), { nil: undefined }),
      (edits, cut) => {
        let b = good.slice();
        for (const e of edits) b[e.inHeader ? e.at % header : header + (e.at % (b.length - header))] = e.value;
        if (cut !== undefined) b = b.slice(0, cut % b.length);
        if (check(b, `edits ${JSON.stringify(edits)} cut ${cut}`) === 'loaded') loaded++;
      },
    ),
    { seed: 53, numRuns: 400 },
  );
  assert.ok(loaded > 10, `edits of tensor data load exactly (${loaded})`);
});

T('header rewrites (names, shapes, extra and missing tensors, prototype names): exact load or refusal', () => {
  const { model, opt } = trained(3);
  const file = decodeSafetensors(saveSafetensors(model, opt));
  model.dispose();
  const names = Object.keys(file.tensors);
  const hostile = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'state.0.__proto__', 'state.9.exp_avg', 'state.0.extra', '9.weight'];
  fc.assert(
    fc.property(
      fc.nat({ max: names.length - 1 }),
      fc.constantFrom('rename', 'drop', 'add', 'reshape', 'nan'),
      fc.constantFrom(...hostile),
      (i, op, other) => {
        const tensors = new Map(names.map((n) => [n, { shape: file.tensors[n].shape, data: file.tensors[n].data.slice() }]));
        const name = names[i];
        const t = tensors.get(name)!;
        if (op === 'rename') {
          tensors.delete(name);
          tensors.set(other, t);
        } else if (op === 'drop') tensors.delete(name);
        else if (op === 'add') tensors.set(other, { shape: [1], data: Float32Array.of(1) });
        else if (op === 'reshape') t.shape = t.shape.length ? [t.data.length] : [1];
        else t.data.fill(NaN);
        // Object.fromEntries defines own properties: '__proto__' stays a name.
        const bytes = encodeSafetensors(Object.fromEntries(tensors), file.metadata);
        check(bytes, `${op} ${name} ${other}`);
      },
    ),
    { seed: 59, numRuns: 200 },
  );
});

T("a tensor named '__proto__' is a name: decoded as one, and an unexpected tensor when loading", () => {
  const { model, opt } = trained(3);
  const file = decodeSafetensors(saveSafetensors(model));
  const withProto = encodeSafetensors({ ...Object.fromEntries(Object.entries(file.tensors)), ['__proto__']: { shape: [1], data: Float32Array.of(7) } } as any);
  // A computed '__proto__' key in a literal is an own property: the file has 5 tensors.
  const back = decodeSafetensors(withProto);
  assert.equal(Object.keys(back.tensors).sort(), ['0.bias', '0.weight', '2.bias', '2.weight', '__proto__']);
  assert.ok(bitsEqual(back.tensors['__proto__'].data, Float32Array.of(7)));
  const before = Float32Array.from(model.buffer.params);
  throwsWith(() => loadSafetensors(model, withProto), Error, "unexpected tensor '__proto__'");
  assert.ok(bitsEqual(model.buffer.params, before));
  model.dispose();
  void opt;
});

T('NAdam: a non-finite mu_product is refused (it used to load as 0); state tensors without an optimizer are reported', () => {
  const { model, opt } = trained(3);
  const file = decodeSafetensors(saveSafetensors(model, opt));
  const before = opt.saveState();
  for (const v of [NaN, Infinity, -1, 2]) {
    const t = Object.fromEntries(Object.entries(file.tensors).map(([n, x]) => [n, { shape: x.shape, data: n.endsWith('mu_product') ? Float32Array.of(v) : x.data }]));
    throwsWith(() => loadSafetensors(model, encodeSafetensors(t, file.metadata), opt), Error, `mu_product ${v} is not in [0, 1]`);
    assert.ok(Buffer.from(opt.saveState()).equals(Buffer.from(before)), `mu_product ${v}: unchanged`);
  }
  const r = loadSafetensors(model, saveSafetensors(model, opt));
  assert.ok(r.ignored && r.ignored.length === 4 * 4, `state tensors reported: ${r.ignored}`);
  assert.ok(r.ignored!.includes('state.0.mu_product'));
  // With the optimizer, a state tensor it does not have is an error, not ignored.
  const extra = encodeSafetensors({ ...Object.fromEntries(Object.entries(file.tensors)), 'state.0.momentum_buffer': { shape: [4, 3], data: new Float32Array(12) } }, file.metadata);
  throwsWith(() => loadSafetensors(model, extra, opt), Error, "unexpected tensor 'state.0.momentum_buffer'");
  model.dispose();
});

T.run();
