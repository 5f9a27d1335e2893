// torch.optim.Adagrad → assembly/optim/adagrad.ts.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, fill, type Rule } from './rule.js';

export const adagrad = {
  name: 'adagrad',
  spec: {
    lr: { type: 'number', default: 1e-2, check: range.nonNegative },
    lrDecay: { type: 'number', default: 0, check: range.nonNegative },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
    initialAccumulatorValue: { type: 'number', default: 0, check: range.nonNegative },
    eps: { type: 'number', default: 1e-10, check: range.positive },
  },
  states: () => ['sum'],
  init({ k, n, s, o }) {
    if (o.initialAccumulatorValue !== 0) fill(k, s[0], n, o.initialAccumulatorValue);
  },
  step({ k, p, g, n, s, t, lr, o }) {
    const clr = lr / (1 + (t - 1) * o.lrDecay);
    k.adagrad_f32(p, s[0], g, n, -clr, o.eps, ...decayTerms(o, lr));
  },
} satisfies Rule;
