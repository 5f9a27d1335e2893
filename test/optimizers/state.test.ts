// saveState/loadState: N steps, save, load into a fresh optimizer, M steps equals N+M
// uninterrupted steps bit for bit for every optimizer and variant on both builds; every
// rejected byte string throws an Error naming the failed check and changes nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Engine, Optimizer } from '../../src/index.js';
import { crc32, decodeState, encodeState } from '../../src/optimizers/state.js';
import { bitsEqual, bothEngines, throwsWith } from '../_helpers.js';
import { VARIANTS, data, gradAt, label } from './_cases.js';

const State = suite('optimizers/state');
const N = 5;
const M = 4;
const SIZE = 37; // SIMD body and a tail

let simd: Engine;
let scalar: Engine;
State.before(async () => {
  [simd, scalar] = await bothEngines();
});

function steps(opt: Optimizer, from: number, to: number): void {
  for (let t = from; t <= to; t++) {
    opt.grads.set(gradAt(opt.params.length, t));
    opt.step();
  }
}

/** Everything loadState may write, copied. */
function snapshot(opt: Optimizer) {
  return {
    params: Float32Array.from(opt.params),
    states: opt.stateKeys.map((k) => Float32Array.from(opt.stateView(k))),
    stepCount: opt.stepCount,
    skippedSteps: opt.skippedSteps,
    options: JSON.stringify(opt.options),
  };
}

function assertSame(a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>, what: string): void {
  assert.ok(bitsEqual(a.params, b.params), `${what}: params differ`);
  assert.is(a.states.length, b.states.length, `${what}: state count`);
  a.states.forEach((s, i) => assert.ok(bitsEqual(s, b.states[i]), `${what}: state ${i} differs`));
  assert.is(a.stepCount, b.stepCount, `${what}: stepCount`);
  assert.is(a.skippedSteps, b.skippedSteps, `${what}: skippedSteps`);
  assert.is(a.options, b.options, `${what}: options`);
}

for (const [name, o] of VARIANTS) {
  State(`${label(name, o)}: ${N} steps, save, load into a fresh optimizer, ${M} steps == ${N + M} steps`, () => {
    for (const sd of [simd, scalar]) {
      const whole = sd.optimizer(name, { size: SIZE, ...o });
      whole.params.set(data(SIZE, 3));
      steps(whole, 1, N + M);

      const first = sd.optimizer(name, { size: SIZE, ...o });
      first.params.set(data(SIZE, 3));
      steps(first, 1, N);
      const bytes = first.saveState();
      first.dispose();

      // A different lr and params: loadState must restore both.
      const fresh = sd.optimizer(name, { size: SIZE, ...o, lr: 0.125 });
      fresh.params.fill(9);
      fresh.loadState(bytes);
      assert.is(fresh.stepCount, N);
      assert.is(fresh.lr, whole.lr);
      steps(fresh, N + 1, N + M);
      assertSame(snapshot(fresh), snapshot(whole), `${label(name, o)} (${sd.simd ? 'SIMD' : 'scalar'})`);

      // Loading into the optimizer that saved it rewinds it.
      const back = whole.saveState();
      steps(whole, N + M + 1, N + M + 3);
      const ahead = snapshot(whole);
      whole.loadState(back);
      steps(whole, N + M + 1, N + M + 3);
      assertSame(snapshot(whole), ahead, `${label(name, o)} rewound`);
      fresh.dispose();
      whole.dispose();
    }
  });
}

State('skippedSteps and the NAdam μ product survive a round trip', () => {
  const opt = simd.optimizer('nadam', { size: 5, skipNonFinite: true });
  steps(opt, 1, 3);
  opt.grads[2] = NaN;
  assert.is(opt.step(), false);
  const copy = simd.optimizer('nadam', { size: 5, skipNonFinite: true });
  copy.loadState(opt.saveState());
  assert.is(copy.skippedSteps, 1);
  assert.is(copy.stepCount, 3);
  opt.dispose();
  copy.dispose();
});

State('bytes at any byte offset (a Node Buffer slice) load', () => {
  const opt = simd.optimizer('adam', { size: 9 });
  steps(opt, 1, 2);
  const bytes = opt.saveState();
  for (const shift of [1, 2, 3]) {
    const host = Buffer.alloc(bytes.length + shift);
    host.set(bytes, shift);
    const copy = simd.optimizer('adam', { size: 9 });
    copy.loadState(host.subarray(shift));
    assertSame(snapshot(copy), snapshot(opt), `offset ${shift}`);
    copy.dispose();
  }
  opt.dispose();
});

State('the big-endian fallback writes and reads the same bytes as the bulk copy', () => {
  const opt = simd.optimizer('rmsprop', { size: 13, centered: true });
  steps(opt, 1, 3);
  const bytes = opt.saveState();
  const s = decodeState(bytes, true);
  const slow = decodeState(bytes, false);
  s.arrays.forEach((a, i) => assert.ok(bitsEqual(a, slow.arrays[i]), `array ${i}`));
  assert.equal(Array.from(encodeState(s, false)), Array.from(bytes));
  assert.equal(Array.from(encodeState(s, true)), Array.from(bytes));
  opt.dispose();
});

State('crc32: the zlib check value, and every length and byte offset against a bitwise CRC', () => {
  assert.is(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  const bitwise = (d: Uint8Array) => {
    let c = 0xffffffff;
    for (const b of d) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const host = Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 255);
  for (let off = 0; off < 4; off++) {
    for (let len = 0; len <= 70; len++) assert.is(crc32(host.subarray(off, off + len)), bitwise(host.subarray(off, off + len)), `len ${len} offset ${off}`);
  }
});

/** saveState bytes with the header or data replaced and a valid checksum. */
function forge(bytes: Uint8Array, edit: (s: ReturnType<typeof decodeState>) => void): Uint8Array {
  const s = decodeState(bytes);
  edit(s);
  return encodeState(s);
}

function withCrc(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

State('rejected bytes: each check named, the optimizer untouched', () => {
  const opt = simd.optimizer('adam', { size: 10 });
  steps(opt, 1, 3);
  const good = opt.saveState();
  steps(opt, 4, 5); // so a wrongly accepted load would be visible
  const before = snapshot(opt);

  const other = (name: string, o: Record<string, any>, size = 10) => {
    const x = simd.optimizer(name, { size, ...o });
    steps(x, 1, 2);
    const b = x.saveState();
    x.dispose();
    return b;
  };
  const flipped = good.slice();
  flipped[good.length - 20] ^= 0x10; // a param bit
  const badMagic = good.slice();
  badMagic[0] = 0x58;
  const badVersion = good.slice();
  new DataView(badVersion.buffer).setUint32(4, 2, true);
  const badJson = good.slice();
  badJson[12] = 0x7b + 1; // '{' → '|'
  const cases: Array<[string, Uint8Array, string]> = [
    ['empty', new Uint8Array(0), 'state is truncated: 0 bytes'],
    ['cut to 10 bytes', good.subarray(0, 10), 'state is truncated: 10 bytes'],
    ['cut by one byte', good.subarray(0, good.length - 1), 'state checksum mismatch: the bytes are corrupt or truncated'],
    ['cut by one float', good.subarray(0, good.length - 4), 'state checksum mismatch'],
    ['one bit flipped', flipped, 'state checksum mismatch'],
    ['bad magic', badMagic, 'not simdescent optimizer state (bad magic bytes)'],
    ['future version', badVersion, 'state format version 2 is not supported (expected 1)'],
    ['header not JSON', withCrc(badJson), 'state header is not valid JSON'],
    ['header missing fields', forge(good, (s: any) => delete s.stepCount), 'state header is missing fields or has wrong types'],
    ['a float short, checksum valid', withCrc(good.subarray(0, good.length - 4)), `state length ${good.length - 4} does not match its header (3 arrays of 10 floats)`],
    ['another optimizer', other('adamw', {}), "adam: state was saved by optimizer 'adamw'"],
    ['another size', other('adam', {}, 11), 'adam: state holds 11 parameters, this optimizer has 10'],
    ['another layout (amsgrad)', other('adam', { amsgrad: true }), 'adam: state buffers [exp_avg, exp_avg_sq, max_exp_avg_sq] do not match'],
    ['invalid options inside', forge(good, (s) => (s.options.lr = -1)), 'adam: state holds invalid options (adam: lr must be ≥ 0, got -1)'],
    ['unknown option inside', forge(good, (s) => (s.options.momentum = 0.9)), "state holds invalid options (adam: unknown option 'momentum'"],
    ['scalar count', forge(good, (s) => s.scalars.push(1)), 'adam: state has 1 scalars, expected 0'],
  ];
  for (const [what, bytes, message] of cases) {
    try {
      throwsWith(() => opt.loadState(bytes), Error, message);
    } catch (e) {
      throw new Error(`${what}: ${(e as Error).message}`);
    }
    assertSame(snapshot(opt), before, what);
  }
  opt.dispose();
});

State('loadState takes only a Uint8Array (TypeError otherwise)', () => {
  const opt = simd.optimizer('sgd', { size: 4, momentum: 0.9 });
  const bytes = opt.saveState();
  for (const [v, shown] of [[bytes.buffer, '[object ArrayBuffer]'], [Array.from(bytes), '['], ['bytes', '"bytes"'], [null, 'null'], [undefined, 'undefined'], [new Float32Array(4), '[object Float32Array]']] as const) {
    throwsWith(() => opt.loadState(v as any), TypeError, 'sgd: loadState expects a Uint8Array, got', shown);
  }
  opt.dispose();
});

State.run();
