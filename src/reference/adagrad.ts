// Adagrad (Duchi et al., 2011) with PyTorch's lr decay and eps outside the root.
import { elementwise, type ReferenceFactory } from './rule.js';

export const adagrad: ReferenceFactory = (n, o) => {
  const s = new Float64Array(n).fill(o.initialAccumulatorValue);
  return elementwise(n, o, (i, g, p, t, lr) => {
    if (o.decoupledWeightDecay) p -= lr * o.weightDecay * p; // Keras 3: θ ← θ − θ·wd·lr, then the update
    else g += o.weightDecay * p;
    s[i] += g * g;
    return p - (lr / (1 + (t - 1) * o.lrDecay)) * g / (Math.sqrt(s[i]) + o.eps);
  });
};
