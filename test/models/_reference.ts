// Float64 reference MLP for the tests: forward pass and mean loss from the equations, in
// plain TypeScript, and gradients by central finite differences of that forward pass.
export interface Net {
  layers: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'linear';
  loss: 'softmaxCrossEntropy' | 'mse' | 'sigmoidBinaryCrossEntropy';
}

const act = {
  relu: (v: number) => (v > 0 ? v : 0),
  tanh: Math.tanh,
  sigmoid: (v: number) => 1 / (1 + Math.exp(-v)),
  linear: (v: number) => v,
};

/** Last-layer outputs (logits) for n rows, float64 throughout. */
export function forward(net: Net, params: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  let a = Float64Array.from(x as ArrayLike<number>);
  let at = 0;
  const L = net.layers.length - 1;
  for (let l = 0; l < L; l++) {
    const K = net.layers[l], M = net.layers[l + 1];
    const z = new Float64Array(n * M);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < M; j++) {
        let s = params[at + M * K + j];
        for (let k = 0; k < K; k++) s += a[i * K + k] * params[at + j * K + k];
        z[i * M + j] = l + 1 < L ? act[net.activation](s) : s;
      }
    }
    at += M * K + M;
    a = z;
  }
  return a;
}

/** Mean loss as PyTorch defines it (cross-entropy: over rows; mse and BCE: over elements). */
export function meanLoss(net: Net, params: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  const z = forward(net, params, x, n);
  const m = net.layers[net.layers.length - 1];
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (net.loss === 'softmaxCrossEntropy') {
      let mx = -Infinity;
      for (let j = 0; j < m; j++) mx = Math.max(mx, z[i * m + j]);
      let s = 0;
      for (let j = 0; j < m; j++) s += Math.exp(z[i * m + j] - mx);
      total += -(z[i * m + y[i]] - mx - Math.log(s));
    } else {
      // BCE targets for one output may come as labels; both layouts index as i·m + j.
      for (let j = 0; j < m; j++) {
        const v = z[i * m + j], t = y[i * m + j];
        total += net.loss === 'mse' ? (v - t) ** 2 : Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
      }
    }
  }
  return net.loss === 'softmaxCrossEntropy' ? total / n : total / (n * m);
}

/** Central differences of meanLoss in float64 with step h. */
export function numericGrad(net: Net, params: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, n: number, h = 1e-6): Float64Array {
  const p = Float64Array.from(params as ArrayLike<number>);
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    p[i] = v + h;
    const up = meanLoss(net, p, x, y, n);
    p[i] = v - h;
    const down = meanLoss(net, p, x, y, n);
    p[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}
