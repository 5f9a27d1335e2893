// The saveState() byte format:
//   "SDST" | u32 version | u32 header length | header JSON (UTF-8) | zero pad to 4 |
//   f32 arrays (params, then each state buffer, `size` floats each, little-endian) | u32 CRC-32
// The header names the optimizer, options, size, counters, scalars and state buffers.

const MAGIC = 0x54534453; // "SDST" little-endian
export const STATE_VERSION = 1;

export interface SavedState {
  optimizer: string;
  options: Record<string, any>;
  size: number;
  stepCount: number;
  skippedSteps: number;
  scalars: number[];
  states: string[];
  arrays: Float32Array[];
}

export function encodeState(s: SavedState): Uint8Array {
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
    for (let i = 0; i < a.length; i++, off += 4) dv.setFloat32(off, a[i], true);
  }
  dv.setUint32(off, crc32(out.subarray(0, off)), true);
  return out;
}

export function decodeState(bytes: Uint8Array): SavedState {
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
  const { optimizer, options, size, stepCount, skippedSteps, scalars, states } = header ?? {};
  if (typeof optimizer !== 'string' || typeof options !== 'object' || !Number.isInteger(size) || size < 1 ||
      !Number.isInteger(stepCount) || stepCount < 0 || !Number.isInteger(skippedSteps) || !Array.isArray(scalars) ||
      !Array.isArray(states)) {
    throw new Error('state header is missing fields or has wrong types');
  }
  const headEnd = align4(12 + jsonLen);
  const count = states.length + 1;
  if (headEnd + count * size * 4 + 4 !== bytes.length) {
    throw new Error(`state length ${bytes.length} does not match its header (${count} arrays of ${size} floats)`);
  }
  const arrays: Float32Array[] = [];
  let off = headEnd;
  for (let a = 0; a < count; a++) {
    const arr = new Float32Array(size);
    for (let i = 0; i < size; i++, off += 4) arr[i] = dv.getFloat32(off, true);
    arrays.push(arr);
  }
  return { optimizer, options, size, stepCount, skippedSteps, scalars, states, arrays };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3), as zlib. */
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
