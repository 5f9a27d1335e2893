// sd.landscape: the loss on a line or plane through the current params, along random
// Gaussian directions filter-normalised as in Li et al., 2018, "Visualizing the Loss
// Landscape of Neural Nets": each filter (a row of a weight matrix: one output unit's
// incoming weights) of a direction is rescaled to the norm of the same filter of the params,
// so the picture does not depend on the scale invariance of the weights. Bias directions are
// zero, as in the paper. Each grid point is one batched evaluation in WASM over the data; the
// params are put back afterwards.
import type { Core } from '../core/core.js';
import type { Dataset } from '../data/index.js';
import type { Model, ParamGroup } from '../models/model.js';
import { parseOptions, range, typed, type OptionsOf, type Spec } from '../options.js';
import { checkModelData, Random, snapshot } from './loop.js';
import { checkIdle } from '../train/busy.js';

export interface LandscapeResult {
  dims: 1 | 2;
  span: number;
  steps: number;
  /** Offsets along the first direction (and the second, for 2-D): steps values in [−span, span]. */
  alphas: number[];
  betas?: number[];
  /** 1-D: losses[i] at alphas[i]. 2-D: losses[j][i] at (alphas[i], betas[j]). */
  losses: number[] | number[][];
  /** The loss at the current params (offset 0). */
  center: number;
  /**
   * Keskar et al.'s sharpness (2017, "On Large-Batch Training for Deep Learning") on this slice:
   * (max L − center) / (1 + center). Larger is sharper; compare at the same span and grid.
   */
  sharpness: number;
  rows: number;
}

/** Grid points per call: beyond this, one result array alone would be unwieldy. */
export const MAX_POINTS = 1_000_000;

const SPEC = {
  dims: typed<1 | 2>()({ type: 'integer', default: 2, check: (v) => (v === 1 || v === 2 ? undefined : 'must be 1 or 2') }),
  steps: { type: 'integer', default: 21, check: range.atLeast(2) },
  span: { type: 'number', default: 1, check: range.nonNegative },
  seed: { type: 'integer', default: 0 },
} satisfies Spec;

/** sd.landscape's options, from the spec above. */
export type LandscapeOptions = OptionsOf<typeof SPEC>;

export function landscape(_core: Core, model: Model, data: Dataset, options?: LandscapeOptions): LandscapeResult {
  checkIdle('landscape', model);
  const o = parseOptions('landscape', SPEC, options);
  const points = o.steps ** o.dims;
  if (points > MAX_POINTS) {
    throw new RangeError(`landscape: a ${o.dims}-D grid of steps ${o.steps} has ${points} points, more than ${MAX_POINTS}; lower steps`);
  }
  const size = model?.buffer?.size;
  if (typeof size === 'number' && size * 8 * (o.dims + 1) > 2 ** 31) {
    throw new RangeError(`landscape: ${o.dims} directions of ${size} parameters need ${size * 8 * (o.dims + 1)} bytes; too large`);
  }
  const first = checkModelData('landscape', model, data);
  const d = data as Dataset;
  const theta = Float64Array.from(model.buffer.params);
  const rng = new Random(o.seed);
  const groups = model.groups();
  const dir1 = direction(theta, groups, rng);
  const dir2 = o.dims === 2 ? direction(theta, groups, rng) : undefined;
  const axis = Array.from({ length: o.steps }, (_, i) => (o.span === 0 ? 0 : -o.span + (2 * o.span * i) / (o.steps - 1)));

  const restore = snapshot(model);
  try {
    const at = (a: number, b: number): number => {
      const q = model.buffer.params; // re-read: evaluation may grow memory
      for (let k = 0; k < theta.length; k++) q[k] = theta[k] + a * dir1[k] + (dir2 ? b * dir2[k] : 0);
      return model.evaluate(d.x, d.y, d.count).loss;
    };
    let losses: number[] | number[][];
    if (o.dims === 1) losses = axis.map((a) => at(a, 0));
    else losses = axis.map((b) => axis.map((a) => at(a, b)));
    const flat = (losses as any[]).flat() as number[];
    const center = first.loss;
    // The maximum over the grid; a non-finite point makes the slice infinitely sharp.
    const top = flat.reduce((m, l) => (Number.isFinite(l) ? Math.max(m, l) : Infinity), center);
    const sharpness = (top - center) / (1 + center);
    const out: LandscapeResult = { dims: o.dims, span: o.span, steps: o.steps, alphas: axis, losses, center, sharpness, rows: d.count };
    if (o.dims === 2) out.betas = axis.slice();
    return out;
  } finally {
    restore();
  }
}

/** A Gaussian direction, filter-normalised per weight row; zero on biases. */
export function direction(theta: Float64Array, groups: ParamGroup[], rng: Random): Float64Array {
  const d = new Float64Array(theta.length);
  groups.forEach((g, k) => {
    if (/bias$/.test(g.name)) return; // zero, as Li et al.
    // Rows of a weight matrix: its length over the length of the bias that follows it.
    const next = groups[k + 1];
    const rows = next && /bias$/.test(next.name) && g.length % next.length === 0 ? next.length : 1;
    const cols = g.length / rows;
    for (let r = 0; r < rows; r++) {
      const o = g.offset + r * cols;
      let nd = 0, nt = 0;
      for (let c = 0; c < cols; c++) {
        const v = rng.normal();
        d[o + c] = v;
        nd += v * v;
        nt += theta[o + c] * theta[o + c];
      }
      const s = nd > 0 ? Math.sqrt(nt) / Math.sqrt(nd) : 0;
      for (let c = 0; c < cols; c++) d[o + c] *= s;
    }
  });
  return d;
}
