// RAdam (Liu et al., 2020): variance rectification once ρt > 5, else bias-corrected momentum.
import { elementwise, type ReferenceFactory } from './rule.js';

export const radam: ReferenceFactory = (n, o) => {
  const m = new Float64Array(n), v = new Float64Array(n);
  const rhoInf = 2 / (1 - o.beta2) - 1;
  return elementwise(n, o, (i, g, p, t, lr) => {
    if (o.decoupledWeightDecay) p -= lr * o.weightDecay * p; // Keras 3: θ ← θ − θ·wd·lr, then the update
    else g += o.weightDecay * p;
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
    const mhat = m[i] / (1 - o.beta1 ** t);
    const bc2 = 1 - o.beta2 ** t;
    const rhoT = rhoInf - 2 * t * o.beta2 ** t / bc2;
    if (!(rhoT > 5)) return p - lr * mhat;
    const r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
    return p - lr * mhat * r * Math.sqrt(bc2) / (Math.sqrt(v[i]) + o.eps);
  });
};
