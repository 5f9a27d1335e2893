// torch.optim.Adamax → assembly/optim/adamax.ts.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, type Rule } from './rule.js';

export const adamax = {
  name: 'adamax',
  spec: {
    lr: { type: 'number', default: 2e-3, check: range.nonNegative },
    beta1: { type: 'number', default: 0.9, check: range.unit },
    beta2: { type: 'number', default: 0.999, check: range.unit },
    eps: { type: 'number', default: 1e-8, check: range.positive },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
  },
  states: () => ['exp_avg', 'exp_inf'],
  step({ k, p, g, n, s, t, lr, o }) {
    k.adamax_f32(p, s[0], s[1], g, n, -lr / (1 - o.beta1 ** t), o.beta1, 1 - o.beta1, o.beta2, o.eps, ...decayTerms(o, lr));
  },
} satisfies Rule;
