// Parameter groups: ranges of the flat buffer with their own lr multiplier, weight decay and
// frozen flag, as PyTorch's param_groups. The optimizer makes one fused kernel call per
// segment (each group, and each stretch no group covers, which keeps the optimizer's options).
import { parseOptions, range, show, type Spec } from '../options.js';

export interface GroupOptions {
  /** The group's lr is the optimizer's lr × lrScale (as a LambdaLR factor per group). Default 1. */
  lrScale?: number;
  /** Overrides the optimizer's weightDecay in this range (PyTorch's per-group weight_decay). */
  weightDecay?: number;
  /** Frozen ranges are not updated and their optimizer state stays as it is (requires_grad=False). */
  frozen?: boolean;
}

export interface ParamRange {
  offset: number;
  length: number;
  lrScale: number;
  weightDecay?: number;
  frozen: boolean;
}

export const GROUP_SPEC: Spec = {
  lrScale: { type: 'number', default: 1, check: range.nonNegative },
  weightDecay: { type: 'number', check: range.nonNegative },
  frozen: { type: 'boolean', default: false },
};

/** Validates one group against the buffer size and the groups already set; throws, changing nothing. */
export function checkGroup(who: string, size: number, existing: readonly ParamRange[], offset: unknown, length: unknown, options: unknown): ParamRange {
  if (typeof offset !== 'number') throw new TypeError(`${who}: group offset must be a number, got ${show(offset)}`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`${who}: group offset must be an integer ≥ 0, got ${offset}`);
  if (typeof length !== 'number') throw new TypeError(`${who}: group length must be a number, got ${show(length)}`);
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`${who}: group length must be an integer ≥ 1, got ${length}`);
  if (offset + length > size) {
    throw new RangeError(`${who}: group [${offset}, ${offset + length}) runs past the ${size} parameters`);
  }
  const o = parseOptions(`${who}: group`, GROUP_SPEC, options as object | undefined);
  for (const g of existing) {
    if (offset < g.offset + g.length && g.offset < offset + length) {
      throw new RangeError(`${who}: group [${offset}, ${offset + length}) overlaps group [${g.offset}, ${g.offset + g.length})`);
    }
  }
  const r: ParamRange = { offset, length, lrScale: o.lrScale, frozen: o.frozen };
  if (o.weightDecay !== undefined) r.weightDecay = o.weightDecay;
  return r;
}

/**
 * The buffer cut into segments in address order: each group, and the gaps between them
 * (gaps: lrScale 1, the optimizer's own weight decay, not frozen).
 */
export function segments(size: number, groups: readonly ParamRange[]): ParamRange[] {
  const sorted = [...groups].sort((a, b) => a.offset - b.offset);
  const out: ParamRange[] = [];
  let at = 0;
  for (const g of sorted) {
    if (g.offset > at) out.push({ offset: at, length: g.offset - at, lrScale: 1, frozen: false });
    out.push(g);
    at = g.offset + g.length;
  }
  if (at < size) out.push({ offset: at, length: size - at, lrScale: 1, frozen: false });
  return out;
}

/** Groups as saved in the optimizer state header; validated on load. */
export function decodeGroups(who: string, size: number, raw: unknown): ParamRange[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new Error(`${who}: state groups must be an array`);
  const out: ParamRange[] = [];
  for (const g of raw) {
    const { offset, length, ...opts } = g ?? {};
    try {
      // saveState writes lrScale and frozen: a missing one would silently take its default.
      for (const k of ['lrScale', 'frozen']) if (!Object.prototype.hasOwnProperty.call(opts, k)) throw new Error(`${k} is missing`);
      out.push(checkGroup(who, size, out, offset, length, opts));
    } catch (e) {
      throw new Error(`${who}: state holds an invalid group (${(e as Error).message})`);
    }
  }
  return out;
}
