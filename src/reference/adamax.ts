// Adamax (Kingma & Ba, 2015, §7.1), eps inside the max as PyTorch.
import { elementwise, type ReferenceFactory } from './rule.js';

export const adamax: ReferenceFactory = (n, o) => {
  const m = new Float64Array(n), u = new Float64Array(n);
  return elementwise(n, o, (i, g, p, t, lr) => {
    if (o.decoupledWeightDecay) p -= lr * o.weightDecay * p; // Keras 3: θ ← θ − θ·wd·lr, then the update
    else g += o.weightDecay * p;
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
    u[i] = Math.max(o.beta2 * u[i], Math.abs(g) + o.eps);
    return p - (lr / (1 - o.beta1 ** t)) * m[i] / u[i];
  });
};
