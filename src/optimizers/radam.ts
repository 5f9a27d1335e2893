// torch.optim.RAdam → assembly/optim/radam.ts. ρt, the rectification r and the branch are
// decided here in f64, once per step, as torch does in Python floats.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, type Rule } from './rule.js';

export const radam = {
  name: 'radam',
  spec: {
    lr: { type: 'number', default: 1e-3, check: range.nonNegative },
    beta1: { type: 'number', default: 0.9, check: range.unit },
    beta2: { type: 'number', default: 0.999, check: range.unit },
    eps: { type: 'number', default: 1e-8, check: range.positive },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
  },
  states: () => ['exp_avg', 'exp_avg_sq'],
  step({ k, p, g, n, s, t, lr, o }) {
    const { beta1: b1, beta2: b2 } = o;
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
    const rectified = rhoT > 5;
    const rect = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 1;
    k.radam_f32(p, s[0], s[1], g, n, lr, bc1, b1, 1 - b1, b2, 1 - b2, Math.sqrt(bc2), o.eps, rect, ...decayTerms(o, lr), rectified ? 1 : 0);
  },
} satisfies Rule;
