// RMSprop (Hinton, 2012), centred variant (Graves, 2013), with momentum on g/d.
import { elementwise, type ReferenceFactory } from './rule.js';

export const rmsprop: ReferenceFactory = (n, o) => {
  const s = new Float64Array(n), a = new Float64Array(n), b = new Float64Array(n);
  return elementwise(n, o, (i, g, p, _t, lr) => {
    if (o.decoupledWeightDecay) p -= lr * o.weightDecay * p; // Keras 3: θ ← θ − θ·wd·lr, then the update
    else g += o.weightDecay * p;
    s[i] = o.alpha * s[i] + (1 - o.alpha) * g * g;
    let d: number;
    if (o.centered) {
      a[i] = o.alpha * a[i] + (1 - o.alpha) * g;
      d = Math.sqrt(s[i] - a[i] * a[i]) + o.eps;
    } else d = Math.sqrt(s[i]) + o.eps;
    if (o.momentum > 0) {
      b[i] = o.momentum * b[i] + g / d;
      return p - lr * b[i];
    }
    return p - lr * g / d;
  });
};
