// torch.optim.SGD → assembly/optim/sgd.ts.
import { range } from '../options.js';
import { decayTerms, decoupledSpec, type Rule } from './rule.js';

export const sgd = {
  name: 'sgd',
  spec: {
    lr: { type: 'number', default: 1e-3, check: range.nonNegative },
    momentum: { type: 'number', default: 0, check: range.nonNegative },
    dampening: { type: 'number', default: 0, check: range.unitClosed },
    nesterov: { type: 'boolean', default: false },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
    maximize: { type: 'boolean', default: false },
  },
  validate(o) {
    if (o.nesterov && !(o.momentum > 0)) {
      throw new RangeError(`sgd: nesterov requires momentum > 0, got momentum ${o.momentum}`);
    }
    if (o.nesterov && o.dampening !== 0) {
      throw new RangeError(`sgd: nesterov requires dampening 0, got dampening ${o.dampening}`);
    }
  },
  states: (o) => (o.momentum > 0 ? ['momentum_buffer'] : []),
  step({ k, p, g, n, s, t, lr, o }) {
    const m = o.momentum > 0;
    const [wd, decay] = decayTerms(o, lr);
    k.sgd_f32(p, m ? s[0] : 0, g, n, -lr, o.momentum, 1 - o.dampening, wd, decay, m ? 1 : 0, t === 1 ? 1 : 0, o.nesterov ? 1 : 0, o.maximize ? 1 : 0);
  },
} satisfies Rule;
