// torch.optim.RMSprop → assembly/optim/rmsprop.ts (centred and momentum are flags).
import { range } from '../options.js';
import { decayTerms, decoupledSpec, type Rule } from './rule.js';

export const rmsprop = {
  name: 'rmsprop',
  spec: {
    lr: { type: 'number', default: 1e-2, check: range.nonNegative },
    alpha: { type: 'number', default: 0.99, check: range.unit },
    eps: { type: 'number', default: 1e-8, check: range.positive },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
    momentum: { type: 'number', default: 0, check: range.nonNegative },
    centered: { type: 'boolean', default: false },
  },
  states(o) {
    const s = ['square_avg'];
    if (o.centered) s.push('grad_avg');
    if (o.momentum > 0) s.push('momentum_buffer');
    return s;
  },
  step({ k, p, g, n, s, lr, o }) {
    const c = o.centered;
    const m = o.momentum > 0;
    const [wd, decay] = decayTerms(o, lr);
    k.rmsprop_f32(
      p, s[0], c ? s[1] : 0, m ? s[c ? 2 : 1] : 0, g, n,
      -lr, o.alpha, 1 - o.alpha, o.eps, wd, decay, o.momentum, c ? 1 : 0, m ? 1 : 0,
    );
  },
} satisfies Rule;
