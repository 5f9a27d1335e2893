// Lion (no PyTorch counterpart; defaults from API.md) → assembly/optim/lion.ts.
import { range } from '../options.js';
import type { Rule } from './rule.js';

export const lion = {
  name: 'lion',
  spec: {
    lr: { type: 'number', default: 1e-4, check: range.nonNegative },
    beta1: { type: 'number', default: 0.9, check: range.unit },
    beta2: { type: 'number', default: 0.99, check: range.unit },
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
  },
  states: () => ['exp_avg'],
  step({ k, p, g, n, s, lr, o }) {
    k.lion_f32(p, s[0], g, n, -lr, o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, 1 - lr * o.weightDecay);
  },
} satisfies Rule;
