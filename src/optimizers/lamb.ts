// LAMB (no PyTorch counterpart; defaults from API.md) → assembly/optim/lamb.ts: one call,
// a norm pass then the update pass, the whole buffer treated as one layer.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, type Rule } from './rule.js';

export const lamb = {
  name: 'lamb',
  spec: {
    lr: { type: 'number', default: 1e-3, check: range.nonNegative },
    beta1: { type: 'number', default: 0.9, check: range.unit },
    beta2: { type: 'number', default: 0.999, check: range.unit },
    eps: { type: 'number', default: 1e-6, check: range.positive },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
  },
  states: () => ['exp_avg', 'exp_avg_sq'],
  scratch: 1, // r, between the norm pass and the update pass
  step({ k, p, g, n, s, r, t, lr, o }) {
    const { beta1: b1, beta2: b2 } = o;
    k.lamb_f32(p, s[0], s[1], g, r[0], n, lr, 1 - b1 ** t, b1, 1 - b1, b2, 1 - b2, 1 - b2 ** t, o.eps, ...decayTerms(o, lr));
  },
} satisfies Rule;
