/**
 * Losses on the last layer's outputs z [n, m] (row stride zs bytes), each returning the sum
 * of its elementwise (or per-row) losses in f64 and, when dz ≠ 0, writing ∂(mean loss)/∂z
 * into dz (same stride) with `scale` = the mean's 1/N computed in f64 by the caller. `stats`
 * receives the number of correctly classified rows (i32) where the loss classifies.
 *
 * The per-element arithmetic is f32 and scalar (one row of ≤ a few dozen logits does not pay
 * for vectors), so both builds compute identical values.
 */
import { sigmoidf } from '../inline/act';

/**
 * Softmax cross-entropy with integer labels y [n] (torch.nn.functional.cross_entropy):
 * log-softmax through the row maximum (never overflows), ℓᵢ = −(z_y − max − log Σ exp(z − max)),
 * ∂/∂z = (softmax(z) − onehot(y))·scale with softmax = exp(z − max) / Σ exp(z − max). Accuracy: argmax (first maximum) equals the label.
 */
export function softmax_xent_f32(z: usize, zs: i32, y: usize, dz: usize, n: i32, m: i32, scale: f32, stats: usize): f64 {
  let total: f64 = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = z + <usize>i * <usize>zs;
    let mx = load<f32>(row);
    let arg = 0;
    for (let j = 1; j < m; j++) {
      const v = load<f32>(row + (<usize>j << 2));
      if (v > mx) {
        mx = v;
        arg = j;
      }
    }
    // e = exp(z − max) is computed once: summed for the loss, kept in dz for the gradient.
    const drow = dz + <usize>i * <usize>zs;
    let s: f32 = 0;
    for (let j = 0; j < m; j++) {
      const e = Mathf.exp(load<f32>(row + (<usize>j << 2)) - mx);
      if (dz) store<f32>(drow + (<usize>j << 2), e);
      s += e;
    }
    const label = load<i32>(y + (<usize>i << 2));
    if (arg == label) correct++;
    total -= <f64>(load<f32>(row + (<usize>label << 2)) - mx - Mathf.log(s));
    if (dz) {
      // softmax = e / s; (softmax − onehot) · scale
      for (let j = 0; j < m; j++) {
        const p = load<f32>(drow + (<usize>j << 2)) / s;
        store<f32>(drow + (<usize>j << 2), (j == label ? p - <f32>1 : p) * scale);
      }
    }
  }
  store<i32>(stats, correct);
  return total;
}

/** Mean squared error against targets y [n, m] (dense, stride m): Σ (z − y)², ∂/∂z = (z − y)·scale (scale = 2/(n·m)). */
export function mse_f32(z: usize, zs: i32, y: usize, dz: usize, n: i32, m: i32, scale: f32, stats: usize): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const row = z + <usize>i * <usize>zs;
    const trow = y + (<usize>i * <usize>m << 2);
    const drow = dz + <usize>i * <usize>zs;
    for (let j = 0; j < m; j++) {
      const e = load<f32>(row + (<usize>j << 2)) - load<f32>(trow + (<usize>j << 2));
      total += <f64>(e * e);
      if (dz) store<f32>(drow + (<usize>j << 2), e * scale);
    }
  }
  store<i32>(stats, 0);
  return total;
}

/**
 * Binary cross-entropy on logits against targets y [n, m] in [0, 1] (torch BCEWithLogitsLoss):
 * ℓ = max(z, 0) − z·y + log1p(exp(−|z|)) (stable for any z), ∂/∂z = (σ(z) − y)·scale.
 * Accuracy: a row counts when every output agrees with its target at threshold 0.5
 * (σ(z) ≥ 0.5 ⇔ z ≥ 0 against y ≥ 0.5); with one output that is ordinary accuracy.
 */
export function bce_logits_f32(z: usize, zs: i32, y: usize, dz: usize, n: i32, m: i32, scale: f32, stats: usize): f64 {
  let total: f64 = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = z + <usize>i * <usize>zs;
    const trow = y + (<usize>i * <usize>m << 2);
    const drow = dz + <usize>i * <usize>zs;
    let ok = true;
    for (let j = 0; j < m; j++) {
      const v = load<f32>(row + (<usize>j << 2));
      const t = load<f32>(trow + (<usize>j << 2));
      total += <f64>(max<f32>(v, 0) - v * t + Mathf.log1p(Mathf.exp(-Mathf.abs(v))));
      if ((v >= 0) != (t >= <f32>0.5)) ok = false;
      if (dz) store<f32>(drow + (<usize>j << 2), (sigmoidf(v) - t) * scale);
    }
    if (ok) correct++;
  }
  store<i32>(stats, correct);
  return total;
}

/** In-place softmax of each row of z [n, m] (stride zs): predict() for softmaxCrossEntropy. */
export function softmax_rows_f32(z: usize, zs: i32, n: i32, m: i32): void {
  for (let i = 0; i < n; i++) {
    const row = z + <usize>i * <usize>zs;
    let mx = load<f32>(row);
    for (let j = 1; j < m; j++) mx = max<f32>(mx, load<f32>(row + (<usize>j << 2)));
    let s: f32 = 0;
    for (let j = 0; j < m; j++) {
      const e = Mathf.exp(load<f32>(row + (<usize>j << 2)) - mx);
      store<f32>(row + (<usize>j << 2), e);
      s += e;
    }
    for (let j = 0; j < m; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) / s);
  }
}

/** In-place logistic σ(z) of z [n, m] (stride zs): predict() for sigmoidBinaryCrossEntropy. */
export function sigmoid_rows_f32(z: usize, zs: i32, n: i32, m: i32): void {
  for (let i = 0; i < n; i++) {
    const row = z + <usize>i * <usize>zs;
    for (let j = 0; j < m; j++) store<f32>(row + (<usize>j << 2), sigmoidf(load<f32>(row + (<usize>j << 2))));
  }
}
