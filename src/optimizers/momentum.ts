// EMA momentum (no PyTorch counterpart; defaults from API.md) → assembly/optim/momentum.ts.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, type Rule } from './rule.js';

export const momentum = {
  name: 'momentum',
  spec: {
    lr: { type: 'number', default: 1e-2, check: range.nonNegative },
    beta: { type: 'number', default: 0.9, check: range.unit },
    biasCorrection: { type: 'boolean', default: true },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
  },
  states: () => ['velocity'],
  step({ k, p, g, n, s, t, lr, o }) {
    const c = o.biasCorrection ? -lr / (1 - o.beta ** t) : -lr;
    k.momentum_f32(p, s[0], g, n, c, o.beta, 1 - o.beta, ...decayTerms(o, lr));
  },
} satisfies Rule;
