// Adam (Kingma & Ba, 2015) with AMSGrad (Reddi et al., 2018); AdamW (Loshchilov & Hutter, 2019).
import { elementwise, type ReferenceFactory } from './rule.js';

const make = (decoupled: boolean): ReferenceFactory => (n, o) => {
  const m = new Float64Array(n), v = new Float64Array(n), vmax = new Float64Array(n);
  return elementwise(n, o, (i, g, p, t, lr) => {
    if (o.maximize) g = -g;
    if (decoupled || o.decoupledWeightDecay) p *= 1 - lr * o.weightDecay;
    else g += o.weightDecay * p;
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
    let vv = v[i];
    if (o.amsgrad) vv = vmax[i] = Math.max(vmax[i], v[i]);
    return p - (lr / (1 - o.beta1 ** t)) * m[i] / (Math.sqrt(vv) / Math.sqrt(1 - o.beta2 ** t) + o.eps);
  });
};

export const adam = make(false);
export const adamw = make(true);
