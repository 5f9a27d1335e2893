// sd.sharpness: how much the loss can rise within a small ball around the current params,
// estimated by random probing. Each sample is a Gaussian direction filter-normalised as in
// sd.landscape (Li et al., 2018: each weight row rescaled to the norm of the same row of the
// params; biases not perturbed), so `radius` is relative: every filter moves by radius × its
// own norm, and the numbers compare across models whose weights differ in scale. The point
// probed is θ + radius·d (the surface of the filter-normalised ball, where the rise is
// largest for a convex-ish neighbourhood). Params are put back afterwards.
//
// Reported: the largest rise max_i L(θ + radius·d_i) − L(θ) over the samples, Keskar et
// al.'s normalisation of it (÷ (1 + L(θ)), as landscape's `sharpness`), the mean rise and
// every sampled loss. A random-direction estimate is a lower bound on the true maximum in
// the ball (adversarial/SAM-style ascent would find more); compare models at the same radius,
// samples and seed.
import type { Core } from '../core/core.js';
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';
import { parseOptions, range, type OptionsOf, type Spec } from '../options.js';
import { direction } from './landscape.js';
import { checkModelData, Random, snapshot } from './loop.js';
import { checkIdle } from '../train/busy.js';

export interface SharpnessResult {
  radius: number;
  samples: number;
  /** Loss at the current params. */
  center: number;
  /** max L(θ + radius·d) − L(θ): the largest rise found (≥ 0 when some probe rose). */
  maxRise: number;
  /** maxRise / (1 + center) (Keskar et al., 2017). */
  sharpness: number;
  meanRise: number;
  /** Loss at each probe, in sample order. */
  losses: number[];
  rows: number;
}

const SPEC = {
  radius: { type: 'number', default: 0.05, check: range.positive },
  samples: { type: 'integer', default: 20, check: range.atLeast(1) },
  seed: { type: 'integer', default: 0 },
} satisfies Spec;

/** Above this, a run would take too long to be a tool call (one evaluation per sample). */
export const MAX_SAMPLES = 100_000;

/** sd.sharpness's options, from the spec above. */
export type SharpnessOptions = OptionsOf<typeof SPEC>;

export function sharpness(_core: Core, model: Model, data: Dataset, options?: SharpnessOptions): SharpnessResult {
  checkIdle('sharpness', model);
  const o = parseOptions('sharpness', SPEC, options);
  if (o.samples > MAX_SAMPLES) throw new RangeError(`sharpness: samples must be at most ${MAX_SAMPLES}, got ${o.samples}`);
  const first = checkModelData('sharpness', model, data);
  const d = data as Dataset;
  const theta = Float64Array.from(model.buffer.params);
  const groups = model.groups();
  const rng = new Random(o.seed);
  const restore = snapshot(model);
  const losses: number[] = [];
  try {
    for (let s = 0; s < o.samples; s++) {
      const dir = direction(theta, groups, rng);
      const q = model.buffer.params; // re-read: evaluation may grow memory
      for (let i = 0; i < theta.length; i++) q[i] = theta[i] + o.radius * dir[i];
      losses.push(model.evaluate(d.x, d.y, d.count).loss);
    }
  } finally {
    restore();
  }
  const center = first.loss;
  // A non-finite probe makes the neighbourhood infinitely sharp.
  const maxLoss = losses.reduce((m, l) => (Number.isFinite(l) ? Math.max(m, l) : Infinity), -Infinity);
  const maxRise = maxLoss - center;
  const meanRise = losses.reduce((a, l) => a + (Number.isFinite(l) ? l : Infinity), 0) / losses.length - center;
  return { radius: o.radius, samples: o.samples, center, maxRise, sharpness: maxRise / (1 + center), meanRise, losses, rows: d.count };
}
