// The saveState() byte format:
//   "SDST" | u32 version | u32 header length | header JSON (UTF-8) | zero pad to 4 |
//   f32 arrays (params, then each state buffer, `size` floats each, little-endian) | u32 CRC-32
// The header names the optimizer, options, size, counters, scalars and state buffers.

const MAGIC = 0x54534453; // "SDST" little-endian
/** Float32Array memory order; the format is little-endian, so big-endian hosts go float by float. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export const STATE_VERSION = 1;

export interface SavedState {
  optimizer: string;
  options: Record<string, any>;
  size: number;
  stepCount: number;
  skippedSteps: number;
  scalars: number[];
  states: string[];
  /** Parameter groups (src/optimizers/groups.ts), when any were set; validated by the optimizer. */
  groups?: unknown;
  arrays: Float32Array[];
}

/** `littleEndian` is for tests of the big-endian fallback; the bytes are the same either way. */
export function encodeState(s: SavedState, littleEndian = LITTLE_ENDIAN): Uint8Array {
  const { arrays, ...header } = s;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headEnd = align4(12 + json.length);
  const total = headEnd + arrays.length * s.size * 4 + 4;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, STATE_VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  let off = headEnd;
  for (const a of arrays) {
    if (littleEndian) out.set(new Uint8Array(a.buffer, a.byteOffset, a.length * 4), off);
    else for (let i = 0; i < a.length; i++) dv.setFloat32(off + 4 * i, a[i], true);
    off += a.length * 4;
  }
  dv.setUint32(off, crc32(out.subarray(0, off)), true);
  return out;
}

export function decodeState(bytes: Uint8Array, littleEndian = LITTLE_ENDIAN): SavedState {
  if (bytes.length < 16) throw new Error(`state is truncated: ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error('state is not simdescent optimizer state (bad magic bytes)');
  const version = dv.getUint32(4, true);
  if (version !== STATE_VERSION) throw new Error(`state format version ${version} is not supported (expected ${STATE_VERSION})`);
  const stored = dv.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored) throw new Error('state checksum mismatch: the bytes are corrupt or truncated');
  const jsonLen = dv.getUint32(8, true);
  if (12 + jsonLen > bytes.length - 4) throw new Error('state is truncated: header runs past the end');
  let header: any;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLen)));
  } catch {
    throw new Error('state header is not valid JSON');
  }
  const { optimizer, options, size, stepCount, skippedSteps, scalars, states, groups } = checkHeader(header);
  const headEnd = align4(12 + jsonLen);
  const count = states.length + 1;
  if (headEnd + count * size * 4 + 4 !== bytes.length) {
    throw new Error(`state length ${bytes.length} does not match its header (${count} arrays of ${size} floats)`);
  }
  const arrays: Float32Array[] = [];
  let off = headEnd;
  for (let a = 0; a < count; a++) {
    const arr = new Float32Array(size);
    // A byte copy works whatever the alignment of `bytes` (a file read may start anywhere).
    if (littleEndian) new Uint8Array(arr.buffer).set(bytes.subarray(off, off + size * 4));
    else for (let i = 0; i < size; i++) arr[i] = dv.getFloat32(off + 4 * i, true);
    off += size * 4;
    arrays.push(arr);
  }
  return { optimizer, options, size, stepCount, skippedSteps, scalars, states, ...(groups !== undefined ? { groups } : {}), arrays };
}

const HEADER_KEYS = ['optimizer', 'options', 'size', 'stepCount', 'skippedSteps', 'scalars', 'states', 'groups'];
const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** Every header field, typed and in range, before anything is read from the arrays. */
function checkHeader(h: any): Omit<SavedState, 'arrays'> {
  const bad = (why: string): never => {
    throw new Error(`state header is missing fields or has wrong types: ${why}`);
  };
  if (h === null || typeof h !== 'object' || Array.isArray(h)) bad(`the header must be an object, got ${typeof h}`);
  for (const k of Object.keys(h)) if (!HEADER_KEYS.includes(k)) bad(`unknown field '${k.slice(0, 40)}'`);
  const { optimizer, options, size, stepCount, skippedSteps, scalars, states, groups } = h;
  if (typeof optimizer !== 'string') bad('optimizer must be a string');
  if (options === null || typeof options !== 'object' || Array.isArray(options)) bad('options must be an object');
  if (!count(size) || size < 1) bad(`size must be a whole number ≥ 1, got ${String(size)}`);
  if (!count(stepCount)) bad(`stepCount must be a whole number ≥ 0, got ${String(stepCount)}`);
  if (!count(skippedSteps)) bad(`skippedSteps must be a whole number ≥ 0, got ${String(skippedSteps)}`);
  // Persistent scalars (NAdam's μ product) are finite by construction; JSON turns NaN into null.
  if (!Array.isArray(scalars) || !scalars.every((v) => typeof v === 'number' && Number.isFinite(v))) bad('scalars must be an array of finite numbers');
  if (!Array.isArray(states) || !states.every((v) => typeof v === 'string')) bad('states must be an array of names');
  return { optimizer, options, size, stepCount, skippedSteps, scalars, states, ...(groups !== undefined ? { groups } : {}) };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

let tables: Uint32Array[] | undefined;

/** CRC-32 (IEEE 802.3, as zlib), slicing by 8: eight table lookups per 8 bytes. */
export function crc32(data: Uint8Array): number {
  if (!tables) {
    const t0 = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t0[n] = c >>> 0;
    }
    tables = [t0];
    for (let j = 1; j < 8; j++) {
      const prev = tables[j - 1];
      const t = new Uint32Array(256);
      for (let n = 0; n < 256; n++) t[n] = t0[prev[n] & 0xff] ^ (prev[n] >>> 8);
      tables.push(t);
    }
  }
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables;
  let crc = 0xffffffff;
  let i = 0;
  const n = data.length;
  // Whole little-endian words straight from memory where the bytes are 4-aligned.
  if (LITTLE_ENDIAN && n >= 16) {
    while ((data.byteOffset + i) & 3) crc = t0[(crc ^ data[i++]) & 0xff] ^ (crc >>> 8);
    const words = new Uint32Array(data.buffer, data.byteOffset + i, (n - i) >>> 2);
    const pairs = words.length & ~1;
    for (let w = 0; w < pairs; w += 2) {
      const a = crc ^ words[w];
      const b = words[w + 1];
      crc = t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
        t3[b & 0xff] ^ t2[(b >>> 8) & 0xff] ^ t1[(b >>> 16) & 0xff] ^ t0[b >>> 24];
    }
    i += pairs * 4;
  }
  for (; i < n; i++) crc = t0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
