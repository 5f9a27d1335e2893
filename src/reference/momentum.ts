// EMA momentum: v ← βv + (1−β)g, θ ← θ − lr·v/(1−βᵗ) (bias correction optional).
import { elementwise, type ReferenceFactory } from './rule.js';

export const momentum: ReferenceFactory = (n, o) => {
  const v = new Float64Array(n);
  return elementwise(n, o, (i, g, p, t, lr) => {
    if (o.decoupledWeightDecay) p -= lr * o.weightDecay * p; // Keras 3: θ ← θ − θ·wd·lr, then the update
    else g += o.weightDecay * p;
    v[i] = o.beta * v[i] + (1 - o.beta) * g;
    return p - lr * (o.biasCorrection ? v[i] / (1 - o.beta ** t) : v[i]);
  });
};
