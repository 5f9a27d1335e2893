// torch.optim.Adadelta → assembly/optim/adadelta.ts.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, type Rule } from './rule.js';

export const adadelta = {
  name: 'adadelta',
  spec: {
    lr: { type: 'number', default: 1, check: range.nonNegative },
    rho: { type: 'number', default: 0.9, check: range.unit },
    eps: { type: 'number', default: 1e-6, check: range.positive },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
  },
  states: () => ['square_avg', 'acc_delta'],
  step({ k, p, g, n, s, lr, o }) {
    k.adadelta_f32(p, s[0], s[1], g, n, -lr, o.rho, 1 - o.rho, o.eps, ...decayTerms(o, lr));
  },
} satisfies Rule;
