// loadState takes bytes that may come from anywhere: each header field replaced by a hostile
// value (with a valid checksum, so the content checks are what decides) and random byte edits
// either load a state equal to what the bytes say — saveState() gives it back — or are refused
// with an Error, the optimizer's params, state, counters, options and the engine's memory unchanged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { init, type Engine, type Optimizer } from '../../src/index.js';
import { crc32, decodeState } from '../../src/optimizers/state.js';
import { bitsEqual } from '../_helpers.js';

const S = suite('optimizers/state-untrusted');

let sd: Engine;
S.before(async () => {
  sd = await init();
});

const SIZE = 7;
const MAKERS: [string, Record<string, unknown>, boolean][] = [
  ['adam', { lr: 0.01, amsgrad: true }, false],
  ['nadam', { lr: 0.01 }, false],
  ['sgd', { lr: 0.1, momentum: 0.9 }, true],
  ['lamb', { lr: 0.01, clipNorm: 1 }, false],
];

function make(i: number): Optimizer {
  const [name, o, grouped] = MAKERS[i];
  const opt = sd.optimizer(name, { size: SIZE, ...o });
  if (grouped) opt.group(0, 3, { lrScale: 0.5 });
  return opt;
}

function stepped(i: number, n: number): Optimizer {
  const opt = make(i);
  for (let t = 1; t <= n; t++) {
    opt.grads.set(Float32Array.from({ length: SIZE }, (_, j) => Math.sin(j * 3 + t)));
    opt.step();
  }
  return opt;
}

/** The bytes of a header object (anything JSON.stringify takes) over the original arrays. */
function bytesOf(header: unknown, arrays: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) ?? 'null');
  const head = (12 + json.length + 3) & ~3;
  const out = new Uint8Array(head + arrays.length + 4);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x54534453, true);
  dv.setUint32(4, 1, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(arrays, head);
  dv.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

function split(bytes: Uint8Array): { header: any; arrays: Uint8Array } {
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len)));
  return { header, arrays: bytes.slice((12 + len + 3) & ~3, bytes.length - 4) };
}

const nasty = fc.oneof(
  fc.constantFrom<unknown>(null, true, '', 'adam', 'x', -1, 0, 1, 0.5, 1e300, -1e300, 2 ** 53, 2 ** 31, [], {}, [1], ['exp_avg'], { lr: 1 }, [null], [1e400]),
  fc.integer({ min: -3, max: 40 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 6 }),
);

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

const sortKeys = (v: unknown): unknown =>
  v === null || typeof v !== 'object' ? v : Array.isArray(v) ? v.map(sortKeys) : Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as any)[k])]));

/** loadState(bytes) into a stepped optimizer of kind i: loads what the bytes say, or refuses and changes nothing. */
function check(i: number, bytes: Uint8Array, what: string): 'loaded' | 'refused' {
  const opt = stepped(i, 2); // differs from the source, so a partial write would show
  const before = opt.saveState();
  const mem = sd.memoryBytes;
  try {
    opt.loadState(bytes);
  } catch (e) {
    assert.ok(e instanceof Error, `${what}: threw ${String(e)}`);
    const msg = (e as Error).message;
    assert.match(msg, /^(state |adam|nadam|sgd|lamb)/, `${what}: ${msg}`);
    assert.not.match(msg, /Cannot read|is not a function|is not iterable|of undefined|of null/, `${what}: raw message ${msg}`);
    assert.ok(Buffer.from(opt.saveState()).equals(Buffer.from(before)), `${what}: refused but the optimizer changed`);
    assert.is(sd.memoryBytes, mem, `${what}: memory changed`);
    opt.dispose();
    return 'refused';
  }
  // Loaded: saving gives back the state the bytes describe (options compared by value).
  const a = decodeState(bytes);
  const b = decodeState(opt.saveState());
  assert.equal(sortKeys({ ...a, arrays: [] }), sortKeys({ ...b, arrays: [] }), `${what}: loaded header differs`);
  a.arrays.forEach((arr, k) => assert.ok(bitsEqual(arr, b.arrays[k]), `${what}: array ${k} differs`));
  opt.dispose();
  return 'loaded';
}

S('each header field replaced by a hostile value (valid checksum): loads exactly or is refused, nothing changed', () => {
  const sources = MAKERS.map((_, i) => stepped(i, 3).saveState());
  let refused = 0;
  fc.assert(
    fc.property(fc.nat({ max: MAKERS.length - 1 }), fc.nat(), nasty, fc.boolean(), (i, pick, value, drop) => {
      const { header, arrays } = split(sources[i]);
      const all = paths(header);
      const path = all[pick % all.length];
      let at = header;
      for (const p of path.slice(0, -1)) at = at[p];
      if (drop) delete at[path[path.length - 1]];
      else at[path[path.length - 1]] = value;
      if (check(i, bytesOf(header, arrays), `${MAKERS[i][0]} ${path.join('.')} = ${drop ? '(dropped)' : JSON.stringify(value)}`) === 'refused') refused++;
    }),
    { seed: 41, numRuns: 400 },
  );
  assert.ok(refused > 250, `most are refused (${refused} of 400)`);
});

S('random byte edits and truncations, with and without a recomputed checksum', () => {
  const sources = MAKERS.map((_, i) => stepped(i, 3).saveState());
  // Where each source's float arrays start: edits aimed there (inArrays) describe legitimate
  // states, which must load exactly; without the aim, fc.nat()'s small numbers land mostly in
  // the JSON header (longer since h20's options), and the loaded path would go untested.
  const arraysAt = sources.map((b) => (12 + new DataView(b.buffer, b.byteOffset).getUint32(8, true) + 3) & ~3);
  let loaded = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: MAKERS.length - 1 }),
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      fc.option(fc.nat(), { nil: undefined }),
      fc.boolean(),
      (i, edits, fixCrc, cut, inArrays) => {
        let b = sources[i].slice();
        const from = inArrays ? arraysAt[i] : 0;
        const to = inArrays ? b.length - 4 : b.length;
        for (const { at, value } of edits) b[from + (at % (to - from))] = value;
        if (cut !== undefined) b = b.slice(0, cut % b.length);
        if (fixCrc && b.length >= 4) new DataView(b.buffer).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
        if (check(i, b, `${MAKERS[i][0]} edits ${JSON.stringify(edits)}${inArrays ? ' in the arrays' : ''} cut ${cut}`) === 'loaded') loaded++;
      },
    ),
    { seed: 43, numRuns: 400 },
  );
  // Edits inside the float arrays are legitimate states: those load, exactly.
  assert.ok(loaded > 0, `some edited states load (${loaded})`);
  // And for each optimizer, one byte of its last array flipped (checksum fixed) surely loads.
  for (let i = 0; i < sources.length; i++) {
    const b = sources[i].slice();
    b[b.length - 6] ^= 0x01;
    new DataView(b.buffer).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
    assert.is(check(i, b, `${MAKERS[i][0]} one array byte`), 'loaded', `${MAKERS[i][0]}: an edit inside the arrays loads`);
  }
});

S('named refusals for the fields the old check let through', () => {
  const src = stepped(1, 3).saveState(); // nadam: one persistent scalar
  const { header, arrays } = split(src);
  const cases: [string, (h: any) => void, string][] = [
    ['scalars [null] (a NaN in JSON)', (h) => (h.scalars = [null]), 'scalars must be an array of finite numbers'],
    ['stepCount 2^60', (h) => (h.stepCount = 2 ** 60), 'stepCount must be a whole number'],
    ['skippedSteps -1', (h) => (h.skippedSteps = -1), 'skippedSteps must be a whole number'],
    ['options []', (h) => (h.options = []), 'options must be an object'],
    ['options null', (h) => (h.options = null), 'options must be an object'],
    ['options {} (all defaults)', (h) => (h.options = { lr: 0.01 }), "option 'beta1' is missing"],
    ['an unknown field', (h) => (h.extra = 1), "unknown field 'extra'"],
  ];
  for (const [what, edit, msg] of cases) {
    const h = structuredClone(header);
    edit(h);
    const opt = stepped(1, 2);
    const before = opt.saveState();
    assert.throws(() => opt.loadState(bytesOf(h, arrays)), (e: Error) => e.message.includes(msg), what);
    assert.ok(Buffer.from(opt.saveState()).equals(Buffer.from(before)), `${what}: unchanged`);
    opt.dispose();
  }
});

S.run();
