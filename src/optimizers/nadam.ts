// torch.optim.NAdam (with the PyTorch ≥ 2.0 μ-product fix) → assembly/optim/nadam.ts.
// The running product Π = μ1·…·μt is a float32 value, as torch's 0-dim float tensor, kept in
// scalars so that saveState() carries it.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, f32, type Rule } from './rule.js';

export const nadam = {
  name: 'nadam',
  spec: {
    lr: { type: 'number', default: 2e-3, check: range.nonNegative },
    beta1: { type: 'number', default: 0.9, check: range.unit },
    beta2: { type: 'number', default: 0.999, check: range.unit },
    eps: { type: 'number', default: 1e-8, check: range.positive },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
    momentumDecay: { type: 'number', default: 4e-3, check: range.nonNegative },
  },
  states: () => ['exp_avg', 'exp_avg_sq'],
  scalars: { mu_product: 1 },
  step({ k, p, g, n, s, t, lr, o, scalars }) {
    const mu = o.beta1 * (1 - 0.5 * 0.96 ** (t * o.momentumDecay));
    const muNext = o.beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.momentumDecay));
    const prod = f32(scalars[0] * f32(mu));
    const prodNext = f32(prod * f32(muNext));
    const c1 = (-lr * (1 - mu)) / (1 - prod);
    const c2 = (-lr * muNext) / (1 - prodNext);
    k.nadam_f32(p, s[0], s[1], g, n, c1, c2, o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, 1 - o.beta2 ** t, o.eps, ...decayTerms(o, lr));
    scalars[0] = prod;
  },
} satisfies Rule;
