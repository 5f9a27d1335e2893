// LAMB (You et al., 2020), the whole buffer as one layer: trust ratio ‖θ‖/‖r‖ (1 if either is 0).
import type { ReferenceFactory } from './rule.js';

export const lamb: ReferenceFactory = (n, o) => {
  const m = new Float64Array(n), v = new Float64Array(n), r = new Float64Array(n);
  let t = 0;
  return {
    step(p, g, lr = o.lr) {
      t++;
      let pp = 0, rr = 0;
      for (let i = 0; i < n; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
        r[i] = m[i] / (1 - o.beta1 ** t) / (Math.sqrt(v[i] / (1 - o.beta2 ** t)) + o.eps) + o.weightDecay * p[i];
        pp += p[i] * p[i];
        rr += r[i] * r[i];
      }
      const ratio = pp === 0 || rr === 0 ? 1 : Math.sqrt(pp) / Math.sqrt(rr);
      for (let i = 0; i < n; i++) p[i] = p[i] - lr * ratio * r[i];
    },
  };
};
