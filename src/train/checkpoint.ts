// A fit() checkpoint as bytes, for files: "SDCK" | u32 version | u32 JSON length | JSON |
// pad to 4 | u32 optimizer-state length | optimizer state | pad to 4 | u32 best-param count |
// f32 best params | u32 CRC-32. Decoding checks everything before returning anything.
// JSON has no NaN, ±Infinity or −0, and a checkpoint holds them (an early-stopping best of NaN
// before the first epoch, a divergence tracker's Infinity): they travel as {"$f": "NaN"} and
// come back as the same numbers, so a run resumed from bytes matches one resumed from the object.
import { crc32 } from '../optimizers/state.js';
import type { Checkpoint } from './types.js';

const MAGIC = 0x4b434453; // "SDCK"
const VERSION = 1;

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const { optimizerState, bestParams, ...rest } = c;
  const json = new TextEncoder().encode(JSON.stringify(rest, keepNumbers));
  const a = pad(12 + json.length);
  const b = pad(a + 4 + optimizerState.length);
  const best = bestParams ?? new Float32Array(0);
  const total = b + 4 + best.length * 4 + 4;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  dv.setUint32(a, optimizerState.length, true);
  out.set(optimizerState, a + 4);
  dv.setUint32(b, bestParams ? best.length : 0xffffffff, true);
  for (let i = 0; i < best.length; i++) dv.setFloat32(b + 4 + i * 4, best[i], true);
  dv.setUint32(total - 4, crc32(out.subarray(0, total - 4)), true);
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('checkpoint must be a Uint8Array');
  if (bytes.length < 24) throw new Error(`checkpoint is truncated: ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error('not a simdescent checkpoint (bad magic bytes)');
  const version = dv.getUint32(4, true);
  if (version !== VERSION) throw new Error(`checkpoint format version ${version} is not supported (expected ${VERSION})`);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== dv.getUint32(bytes.length - 4, true)) {
    throw new Error('checkpoint checksum mismatch: the file is corrupt or truncated');
  }
  const jsonLen = dv.getUint32(8, true);
  const a = pad(12 + jsonLen);
  if (a + 4 > bytes.length) throw new Error('checkpoint is truncated: header runs past the end');
  let rest: any;
  try {
    rest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + jsonLen)), restoreNumbers);
  } catch {
    throw new Error('checkpoint header is not valid JSON');
  }
  if (rest === null || typeof rest !== 'object' || Array.isArray(rest)) throw new Error('checkpoint header is not a JSON object');
  if (rest.format !== 'simdescent-checkpoint/1') throw new Error('checkpoint header has an unknown format');
  const stateLen = dv.getUint32(a, true);
  const b = pad(a + 4 + stateLen);
  if (a + 4 + stateLen > bytes.length || b + 8 > bytes.length) throw new Error('checkpoint is truncated: optimizer state runs past the end');
  const optimizerState = bytes.slice(a + 4, a + 4 + stateLen);
  const count = dv.getUint32(b, true);
  let bestParams: Float32Array | undefined;
  if (count !== 0xffffffff) {
    if (b + 4 + count * 4 + 4 !== bytes.length) throw new Error('checkpoint length does not match its best-params count');
    bestParams = new Float32Array(count);
    for (let i = 0; i < count; i++) bestParams[i] = dv.getFloat32(b + 4 + i * 4, true);
  } else if (b + 8 !== bytes.length) throw new Error('checkpoint length does not match its layout (trailing bytes)');
  const out = { ...rest, optimizerState } as Checkpoint;
  if (bestParams) out.bestParams = bestParams;
  return out;
}

const NON_FINITE: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 };

function keepNumbers(_key: string, v: unknown): unknown {
  if (typeof v !== 'number' || (Number.isFinite(v) && !Object.is(v, -0))) return v;
  return { $f: Object.is(v, -0) ? '-0' : String(v) };
}

function restoreNumbers(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  const f = (v as { $f?: unknown }).$f;
  if (keys.length === 1 && keys[0] === '$f' && typeof f === 'string' && Object.prototype.hasOwnProperty.call(NON_FINITE, f)) return NON_FINITE[f];
  return v;
}

function pad(n: number): number {
  return (n + 3) & ~3;
}
