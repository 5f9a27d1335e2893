// sd.race: optimizers side by side, either on a 2-D test surface (trajectories and losses,
// synchronous) or on a dataset (validation curves per optimizer from the same init and the
// same batch order; a Promise, see ./data-race.ts).
import type { Core } from '../core/core.js';
import { createOptimizer } from '../optimizers/registry.js';
import type { Optimizer, OptimizerSettings } from '../optimizers/optimizer.js';
import { parseOptions, didYouMean, show, typed, type OptionsOf, type Spec } from '../options.js';
import type { OptimizerChoice } from '../optimizers/types.js';
import { optimizerEntry, withContext } from './common.js';
import { dataRace, type DataRaceOptions, type DataRaceResult } from './data-race.js';
import { SURFACES, SURFACE_NAMES, isSurfaceName, type Point, type SurfaceName } from './surfaces.js';

export interface SurfaceRun {
  name: string;
  /** The optimizer's options in force (defaults filled in, lr included). */
  options: OptimizerSettings;
  /** [x, y] before each step: steps + 1 points, the start first. */
  path: number[][];
  /** Surface value at each point of `path`. */
  losses: number[];
}

export interface SurfaceRaceResult {
  surface: SurfaceName;
  label: string;
  start: Point;
  steps: number;
  domain: { x: [number, number]; y: [number, number] };
  minima: { point: Point; value: number }[];
  saddles: Point[];
  runs: SurfaceRun[];
}

const MAX_STEPS = 1_000_000;
const DEFAULT_OPTIMIZERS = ['sgd', 'momentum', 'adam'];

const SURFACE_SPEC = {
  surface: typed<SurfaceName>()({ type: 'string' }),
  /** [x, y]; default the surface's own start. */
  start: typed<readonly [number, number]>()({ type: 'array' }),
  steps: { type: 'integer', default: 500, check: (v) => (v >= 1 && v <= MAX_STEPS ? undefined : `must be in [1, ${MAX_STEPS}]`) },
  optimizers: typed<readonly OptimizerChoice[]>()({ type: 'array', check: (v) => (v.length ? undefined : 'must name at least one optimizer') }),
} satisfies Spec;

/** sd.race's options on a 2-D surface (surface required), from the spec above. */
export type SurfaceRaceOptions = OptionsOf<typeof SURFACE_SPEC> & { surface: SurfaceName };

export function race(core: Core, options: SurfaceRaceOptions): SurfaceRaceResult;
export function race(core: Core, options: DataRaceOptions): Promise<DataRaceResult>;
export function race(core: Core, options: SurfaceRaceOptions | DataRaceOptions): SurfaceRaceResult | Promise<DataRaceResult>;
export function race(core: Core, options: any): any {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`race: options must be an object { surface, ... } or { data, model, ... }, got ${show(options)}`);
  }
  if (options.data !== undefined) {
    if (options.surface !== undefined) throw new TypeError('race: give either surface or data, not both');
    return dataRace(core, options);
  }
  return surfaceRace(core, options);
}

function surfaceRace(core: Core, options: Record<string, any>): SurfaceRaceResult {
  const o = parseOptions('race', SURFACE_SPEC, options, ['data']);
  if (o.surface === undefined) throw new TypeError(`race: surface (one of ${SURFACE_NAMES.join(', ')}) or data is required`);
  if (!isSurfaceName(o.surface)) {
    const hint = didYouMean(o.surface, SURFACE_NAMES);
    throw new TypeError(`race: unknown surface '${o.surface}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${SURFACE_NAMES.join(', ')}`);
  }
  const s = SURFACES[o.surface as SurfaceName];
  let start: Point = [...s.start];
  if (o.start !== undefined) {
    if (o.start.length !== 2) throw new RangeError(`race: start must be [x, y], got ${show(o.start)}`);
    o.start.forEach((v: unknown, i: number) => {
      if (typeof v !== 'number') throw new TypeError(`race: start[${i}] must be a number, got ${show(v)}`);
      if (!Number.isFinite(v)) throw new RangeError(`race: start[${i}] must be finite, got ${v}`);
    });
    start = [o.start[0], o.start[1]];
  }
  const entries = (o.optimizers ?? DEFAULT_OPTIMIZERS).map((v: unknown, i: number) => optimizerEntry(`race: optimizers[${i}]`, v));

  // Build every optimizer before running any, so bad options throw before work is done.
  const opts = [];
  try {
    for (let i = 0; i < entries.length; i++) {
      try {
        opts.push(createOptimizer(core, entries[i].name, { size: 2, ...entries[i].options }));
      } catch (e) {
        withContext(`race: optimizers[${i}]`, e);
      }
    }
    const runs = opts.map((opt) => runOne(opt, s.value, s.gradient, start, o.steps));
    return {
      surface: s.name,
      label: s.label,
      start,
      steps: o.steps,
      domain: { x: [...s.domain.x], y: [...s.domain.y] },
      minima: s.minima.map((m) => ({ point: [...m.point], value: m.value })),
      saddles: s.saddles.map((p) => [...p]),
      runs,
    };
  } finally {
    for (const opt of opts) opt.dispose();
  }
}

function runOne(
  opt: Optimizer,
  value: (x: number, y: number) => number,
  gradient: (x: number, y: number) => Point,
  start: Point,
  steps: number,
): SurfaceRun {
  const p = opt.params;
  const g = opt.grads;
  p[0] = start[0];
  p[1] = start[1];
  const path: number[][] = [];
  const losses: number[] = [];
  for (let t = 0; ; t++) {
    // The optimizer keeps float32 params; the surface is evaluated in double at those points.
    const x = p[0], y = p[1];
    path.push([x, y]);
    losses.push(value(x, y));
    if (t === steps) break;
    const [gx, gy] = gradient(x, y);
    g[0] = gx;
    g[1] = gy;
    opt.step();
  }
  return { name: opt.name, options: opt.options, path, losses };
}

