// Adadelta (Zeiler, 2012), with PyTorch's lr factor.
import { elementwise, type ReferenceFactory } from './rule.js';

export const adadelta: ReferenceFactory = (n, o) => {
  const s = new Float64Array(n), u = new Float64Array(n);
  return elementwise(n, o, (i, g, p, _t, lr) => {
    if (o.decoupledWeightDecay) p -= lr * o.weightDecay * p; // Keras 3: θ ← θ − θ·wd·lr, then the update
    else g += o.weightDecay * p;
    s[i] = o.rho * s[i] + (1 - o.rho) * g * g;
    const delta = Math.sqrt(u[i] + o.eps) / Math.sqrt(s[i] + o.eps) * g;
    u[i] = o.rho * u[i] + (1 - o.rho) * delta * delta;
    return p - lr * delta;
  });
};
