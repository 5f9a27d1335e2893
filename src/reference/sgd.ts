// SGD with momentum/Nesterov (Sutskever et al., 2013 in PyTorch's parameterisation).
import { elementwise, type ReferenceFactory } from './rule.js';

export const sgd: ReferenceFactory = (n, o) => {
  const b = new Float64Array(n);
  return elementwise(n, o, (i, g, p, t, lr) => {
    if (o.maximize) g = -g;
    if (o.decoupledWeightDecay) p -= lr * o.weightDecay * p; // Keras 3: θ ← θ − θ·wd·lr, then the update
    else g += o.weightDecay * p;
    if (o.momentum > 0) {
      b[i] = t === 1 ? g : o.momentum * b[i] + (1 - o.dampening) * g;
      g = o.nesterov ? g + o.momentum * b[i] : b[i];
    }
    return p - lr * g;
  });
};
