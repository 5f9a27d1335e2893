// LAMB (You et al., 2020), the whole buffer as one layer: trust ratio ‖θ‖/‖r‖ (1 if either is 0).
// Decay inside r (the paper) or, decoupled, Keras 3's Lamb: θ ← θ − θ·wd·lr first, then the ratio
// from that θ and an r without decay.
import type { ReferenceFactory } from './rule.js';

export const lamb: ReferenceFactory = (n, o) => {
  const m = new Float64Array(n), v = new Float64Array(n), r = new Float64Array(n);
  let t = 0;
  return {
    step(p, g, lr = o.lr) {
      t++;
      let pp = 0, rr = 0;
      const dec = o.decoupledWeightDecay;
      const q = Float64Array.from(p, (x) => (dec ? x - x * o.weightDecay * lr : x));
      for (let i = 0; i < n; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
        r[i] = m[i] / (1 - o.beta1 ** t) / (Math.sqrt(v[i] / (1 - o.beta2 ** t)) + o.eps) + (dec ? 0 : o.weightDecay * q[i]);
        pp += q[i] * q[i];
        rr += r[i] * r[i];
      }
      const ratio = pp === 0 || rr === 0 ? 1 : Math.sqrt(pp) / Math.sqrt(rr);
      for (let i = 0; i < n; i++) p[i] = q[i] - lr * ratio * r[i];
    },
  };
};
