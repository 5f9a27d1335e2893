// Lion (Chen et al., 2023): sign of an interpolation, decoupled weight decay.
import { elementwise, type ReferenceFactory } from './rule.js';

export const lion: ReferenceFactory = (n, o) => {
  const m = new Float64Array(n);
  return elementwise(n, o, (i, g, p, _t, lr) => {
    const c = o.beta1 * m[i] + (1 - o.beta1) * g;
    m[i] = o.beta2 * m[i] + (1 - o.beta2) * g;
    return p - lr * (Math.sign(c) + o.weightDecay * p);
  });
};
