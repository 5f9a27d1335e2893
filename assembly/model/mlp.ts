/**
 * A whole MLP step in one call: forward through every dense layer, the loss, and backward
 * into the flat gradient buffer, driven by a layer table that src/models/mlp.ts writes into
 * linear memory (sizes and pointers; i32 words):
 *
 *   header  0 layers L · 1 activation (0 linear, 1 relu, 2 tanh, 3 sigmoid) · 2 loss (0 softmax
 *           cross-entropy, 1 mse, 2 sigmoid BCE) · 3 x (staged input [n, in]) · 4 y (staged targets)
 *           · 5, 6 two delta buffers · 7 out: correct count · 8 flags (bit 0: the Wᵀ panels are
 *           already packed — shards of one batch share panels packed once, src/threads/shard.ts)
 *   layer l at word 16 + 16·l:
 *           0 in K · 1 out M · 2 Mp = M rounded up to 4 (row stride of this layer's activations)
 *           · 3 W (params; b follows W as in PyTorch's layout) · 4 gW (grads; gb follows)
 *           · 5 packed Wᵀ+b panels (see gemm.ts) · 6 input activations · 7 their row stride (bytes)
 *           · 8 output activations [n, Mp] (after the activation; the last layer's are the logits)
 *
 * Layer l: Z = A·Wᵀ + b, A' = f(Z) (f = identity on the last layer). Backward with δ = ∂L/∂Z:
 *   gW = δᵀ·A, gb = Σ_rows δ, δ_prev = (δ·W) ⊙ f′(A)   (f′ from the activation's output)
 * The input gradient of layer 0 is never formed.
 */
import { gemm_f32, pack_wt_f32, colsum_f32 } from '../kernels/gemm';
import { softmax_xent_f32, mse_f32, bce_logits_f32, softmax_rows_f32, sigmoid_rows_f32 } from '../kernels/loss';
import { EPI_DRELU } from '../inline/act';

// @ts-ignore: decorator
@inline function word(table: usize, i: i32): i32 {
  return load<i32>(table + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function lw(table: usize, l: i32, i: i32): i32 {
  return load<i32>(table + (<usize>(16 + 16 * l + i) << 2));
}

/**
 * mode 0: loss and gradient (returns Σ of the loss terms, grads overwritten);
 * mode 1: loss only (returns Σ, grads untouched); mode 2: predictions (the last layer's
 * activations become probabilities for the classification losses; returns 0); mode 3: as
 * mode 0 but layer 0's gW and gb are left to mlp_grad0_rows_f32 (δ₀ stays in its delta buffer).
 * scale: the mean's 1/N for the gradient (N = n rows, or n·out elements), computed in f64.
 * The correct-row count (classification losses) is stored at header word 7.
 */
export function mlp_run_f32(table: usize, n: i32, mode: i32, scale: f32): f64 {
  const L = word(table, 0);
  const act = word(table, 1);
  const loss = word(table, 2);
  const packed = (word(table, 8) & 1) != 0;
  for (let l = 0; l < L; l++) {
    const K = lw(table, l, 0), M = lw(table, l, 1), Mp = lw(table, l, 2);
    const wt = <usize>lw(table, l, 5);
    if (!packed) pack_wt_f32(wt, <usize>lw(table, l, 3), <usize>lw(table, l, 3) + (<usize>(M * K) << 2), M, K);
    const ain = <usize>lw(table, l, 6), astride = lw(table, l, 7), aout = <usize>lw(table, l, 8);
    gemm_f32(aout, Mp << 2, ain, astride, 4, wt, 32, (K + 1) << 5, n, K, Mp, 1, l + 1 < L ? act : 0, 0, 0);
  }
  const last = L - 1;
  const M = lw(table, last, 1), zs = lw(table, last, 2) << 2;
  const z = <usize>lw(table, last, 8);
  const stats = table + 28;
  if (mode == 2) {
    if (loss == 0) softmax_rows_f32(z, zs, n, M);
    else if (loss == 2) sigmoid_rows_f32(z, zs, n, M);
    return 0;
  }
  let delta = mode == 0 || mode == 3 ? <usize>word(table, 5) : 0;
  let spare = <usize>word(table, 6);
  const y = <usize>word(table, 4);
  let total: f64;
  if (loss == 0) total = softmax_xent_f32(z, zs, y, delta, n, M, scale, stats);
  else if (loss == 1) total = mse_f32(z, zs, y, delta, n, M, scale, stats);
  else total = bce_logits_f32(z, zs, y, delta, n, M, scale, stats);
  if (mode != 0 && mode != 3) return total;
  for (let l = last; l >= 0; l--) {
    if (l == 0 && mode == 3) break;
    const K = lw(table, l, 0), M = lw(table, l, 1), Mp = lw(table, l, 2);
    const w = <usize>lw(table, l, 3), gw = <usize>lw(table, l, 4);
    const ain = <usize>lw(table, l, 6), astride = lw(table, l, 7);
    // gW [M, K] = δᵀ·A: rows are outputs j, depth is the batch.
    gemm_f32(gw, K << 2, delta, 4, Mp << 2, ain, astride, 32, M, n, K, 0, 0, 0, 0);
    colsum_f32(gw + (<usize>(M * K) << 2), delta, Mp << 2, n, M);
    if (l > 0) {
      // δ_prev [n, K] = (δ·W) ⊙ f′(A), A = the previous layer's output (row stride astride).
      gemm_f32(spare, astride, delta, Mp << 2, 4, w, K << 2, 32, n, M, K, 0, act == 0 ? 0 : act - 1 + EPI_DRELU, ain, astride);
      const t = delta;
      delta = spare;
      spare = t;
    }
  }
  return total;
}

/**
 * Rows [j0, j0 + count) of layer 0's weight gradient gW = δ₀ᵀ·X and of gb = Σ_rows δ₀, after
 * a mode-3 pass over the same n rows. Every element sums the rows in the same order as mode 0
 * does, so any split into row blocks gives mode 0's bits (shards cut this, the largest product
 * of a pass, into pieces that balance the agents: src/threads/shard.ts).
 */
export function mlp_grad0_rows_f32(table: usize, n: i32, j0: i32, count: i32): void {
  const L = word(table, 0);
  const K = lw(table, 0, 0), M = lw(table, 0, 1), Mp = lw(table, 0, 2);
  const gw = <usize>lw(table, 0, 4);
  const ain = <usize>lw(table, 0, 6), astride = lw(table, 0, 7);
  // Backward alternates between the two delta buffers from the last layer's (word 5).
  const delta = <usize>word(table, (L - 1) & 1 ? 6 : 5) + (<usize>j0 << 2);
  gemm_f32(gw + (<usize>(j0 * K) << 2), K << 2, delta, 4, Mp << 2, ain, astride, 32, count, n, K, 0, 0, 0, 0);
  colsum_f32(gw + (<usize>(M * K + j0) << 2), delta, Mp << 2, n, count);
}
