// Shared by the optimizer suites: every optimizer with the option variants that change its
// kernel path (flags, decay terms), and seeded data that reaches the SIMD body and the tail.
import { Random } from '../../src/random.js';

export const NAMES = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'lion', 'lamb'];

/** [name, options] pairs: defaults first, then the variants. */
export const VARIANTS: Array<[string, Record<string, any>]> = [
  ['sgd', { lr: 0.05 }],
  ['sgd', { lr: 0.01, momentum: 0.9 }],
  ['sgd', { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
  ['sgd', { lr: 0.01, momentum: 0.5, dampening: 0.3, maximize: true }],
  ['sgd', { lr: 0.05, weightDecay: 0.1, decoupledWeightDecay: true }],
  ['sgd', { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.1, decoupledWeightDecay: true, maximize: true }],
  ['momentum', {}],
  ['momentum', { beta: 0.8, biasCorrection: false }],
  ['momentum', { weightDecay: 0.05 }],
  ['momentum', { weightDecay: 0.5, decoupledWeightDecay: true }],
  ['adagrad', {}],
  ['adagrad', { lrDecay: 0.1, weightDecay: 0.01, initialAccumulatorValue: 0.1 }],
  ['adagrad', { weightDecay: 0.5, decoupledWeightDecay: true }],
  ['rmsprop', {}],
  ['rmsprop', { centered: true }],
  ['rmsprop', { momentum: 0.9, weightDecay: 0.01 }],
  ['rmsprop', { centered: true, momentum: 0.9 }],
  ['rmsprop', { centered: true, momentum: 0.9, weightDecay: 0.5, decoupledWeightDecay: true }],
  ['adadelta', {}],
  ['adadelta', { weightDecay: 0.01, lr: 0.5 }],
  ['adadelta', { weightDecay: 0.1, decoupledWeightDecay: true }],
  ['adam', {}],
  ['adam', { amsgrad: true, weightDecay: 0.01 }],
  ['adam', { maximize: true }],
  ['adam', { weightDecay: 0.1, decoupledWeightDecay: true, amsgrad: true }],
  ['adamw', {}],
  ['adamw', { amsgrad: true }],
  ['adamax', {}],
  ['adamax', { weightDecay: 0.01 }],
  ['adamax', { weightDecay: 0.5, decoupledWeightDecay: true }],
  ['nadam', {}],
  ['nadam', { weightDecay: 0.01, momentumDecay: 0.01 }],
  ['nadam', { weightDecay: 0.5, decoupledWeightDecay: true }],
  ['radam', {}],
  ['radam', { weightDecay: 0.01 }],
  ['radam', { weightDecay: 0.5, decoupledWeightDecay: true }],
  ['lion', {}],
  ['lion', { weightDecay: 0.1 }],
  ['lamb', {}],
  ['lamb', { weightDecay: 0.01 }],
  ['lamb', { weightDecay: 0.5, decoupledWeightDecay: true }],
];

export const label = (name: string, o: Record<string, any>): string =>
  `${name}${Object.keys(o).length ? ' ' + JSON.stringify(o) : ''}`;

/** Seeded normal values of a few magnitudes (and some exact zeros), the same for every run. */
export function data(n: number, seed: number, scale = 1): Float32Array {
  const r = new Random(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.float();
    out[i] = u < 0.05 ? 0 : r.normal() * scale * (u < 0.5 ? 1 : u < 0.8 ? 1e-2 : 10);
  }
  return out;
}

/** The gradient of step t (1-based) for a run of length n. */
export const gradAt = (n: number, t: number): Float32Array => data(n, 1000 + t);
