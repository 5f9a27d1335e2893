// NAdam (Dozat, 2016) with PyTorch's momentum-decay schedule μt = β1(1 − ½·0.96^(tψ)).
import type { ReferenceFactory } from './rule.js';

export const nadam: ReferenceFactory = (n, o) => {
  const m = new Float64Array(n), v = new Float64Array(n);
  let t = 0;
  let prod = 1;
  return {
    step(p, grad, lr = o.lr) {
      t++;
      const mu = o.beta1 * (1 - 0.5 * 0.96 ** (t * o.momentumDecay));
      const muNext = o.beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.momentumDecay));
      prod *= mu;
      for (let i = 0; i < n; i++) {
        if (o.decoupledWeightDecay) p[i] = p[i] - lr * o.weightDecay * p[i];
        const g = grad[i] + (o.decoupledWeightDecay ? 0 : o.weightDecay * p[i]);
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
        const d = Math.sqrt(v[i] / (1 - o.beta2 ** t)) + o.eps;
        p[i] = p[i] - lr * (1 - mu) / (1 - prod) * g / d - lr * muNext / (1 - prod * muNext) * m[i] / d;
      }
    },
  };
};
