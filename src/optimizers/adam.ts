// torch.optim.Adam / AdamW → assembly/optim/adam.ts (one kernel, decoupled decay as a flag).
import { range } from '../options.js';
import { decoupledSpec, type Rule, type StepContext } from './rule.js';

const common = {
  lr: { type: 'number', default: 1e-3, check: range.nonNegative },
  beta1: { type: 'number', default: 0.9, check: range.unit },
  beta2: { type: 'number', default: 0.999, check: range.unit },
  eps: { type: 'number', default: 1e-8, check: range.positive },
  amsgrad: { type: 'boolean', default: false },
} as const;

function adamStep(always: boolean) {
  return ({ k, p, g, n, s, t, lr, o }: StepContext) => {
    const decoupled = always || o.decoupledWeightDecay;
    const bc1 = 1 - o.beta1 ** t;
    const bc2 = 1 - o.beta2 ** t;
    k.adam_f32(
      p, s[0], s[1], o.amsgrad ? s[2] : 0, g, n,
      -lr / bc1, o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, Math.sqrt(bc2), o.eps,
      decoupled ? 0 : o.weightDecay, decoupled ? 1 - lr * o.weightDecay : 1,
      o.amsgrad ? 1 : 0, o.maximize ? 1 : 0,
    );
  };
}

const states = (o: Record<string, any>) => (o.amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq']);

export const adam = {
  name: 'adam',
  spec: {
    ...common,
    weightDecay: { type: 'number', default: 0, check: range.nonNegative },
    decoupledWeightDecay: decoupledSpec,
    maximize: { type: 'boolean', default: false },
  },
  states,
  step: adamStep(false),
} satisfies Rule;

export const adamw = {
  name: 'adamw',
  spec: { ...common, weightDecay: { type: 'number', default: 1e-2, check: range.nonNegative } },
  states,
  step: adamStep(true),
} satisfies Rule;
