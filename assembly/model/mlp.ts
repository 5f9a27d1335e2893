/**
 * A whole MLP step in one call: forward through every dense layer, the loss, and backward
 * into the flat gradient buffer, driven by a layer table that src/models/mlp.ts writes into
 * linear memory (sizes and pointers; i32 words; the word names are src/core/layout.ts's):
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
import {
  MLP_HEADER_WORDS, MLP_LAYER_WORDS, MLP_LAYERS, MLP_ACTIVATION, MLP_LOSS, MLP_X, MLP_Y, MLP_DELTA_A, MLP_DELTA_B, MLP_CORRECT, MLP_FLAGS,
  MLP_FLAG_PACKED, MLP_MODE_GRAD, MLP_MODE_PREDICT, MLP_MODE_GRAD_BUT_0, MLP_L_IN, MLP_L_OUT, MLP_L_OUT_PAD, MLP_L_W, MLP_L_GW, MLP_L_PANELS, MLP_L_A_IN, MLP_L_A_STRIDE, MLP_L_A_OUT,
} from '../layout.generated';

// @ts-ignore: decorator
@inline function word(table: usize, i: i32): i32 {
  return load<i32>(table + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function lw(table: usize, l: i32, i: i32): i32 {
  return load<i32>(table + (<usize>(MLP_HEADER_WORDS + MLP_LAYER_WORDS * l + i) << 2));
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
  const L = word(table, MLP_LAYERS);
  const act = word(table, MLP_ACTIVATION);
  const loss = word(table, MLP_LOSS);
  const packed = (word(table, MLP_FLAGS) & MLP_FLAG_PACKED) != 0;
  for (let l = 0; l < L; l++) {
    const K = lw(table, l, MLP_L_IN), M = lw(table, l, MLP_L_OUT), Mp = lw(table, l, MLP_L_OUT_PAD);
    const wt = <usize>lw(table, l, MLP_L_PANELS);
    if (!packed) pack_wt_f32(wt, <usize>lw(table, l, MLP_L_W), <usize>lw(table, l, MLP_L_W) + (<usize>(M * K) << 2), M, K);
    const ain = <usize>lw(table, l, MLP_L_A_IN), astride = lw(table, l, MLP_L_A_STRIDE), aout = <usize>lw(table, l, MLP_L_A_OUT);
    gemm_f32(aout, Mp << 2, ain, astride, 4, wt, 32, (K + 1) << 5, n, K, Mp, 1, l + 1 < L ? act : 0, 0, 0);
  }
  const last = L - 1;
  const M = lw(table, last, MLP_L_OUT), zs = lw(table, last, MLP_L_OUT_PAD) << 2;
  const z = <usize>lw(table, last, MLP_L_A_OUT);
  const stats = table + (<usize>MLP_CORRECT << 2);
  if (mode == MLP_MODE_PREDICT) {
    if (loss == 0) softmax_rows_f32(z, zs, n, M);
    else if (loss == 2) sigmoid_rows_f32(z, zs, n, M);
    return 0;
  }
  let delta = mode == MLP_MODE_GRAD || mode == MLP_MODE_GRAD_BUT_0 ? <usize>word(table, MLP_DELTA_A) : 0;
  let spare = <usize>word(table, MLP_DELTA_B);
  const y = <usize>word(table, MLP_Y);
  let total: f64;
  if (loss == 0) total = softmax_xent_f32(z, zs, y, delta, n, M, scale, stats);
  else if (loss == 1) total = mse_f32(z, zs, y, delta, n, M, scale, stats);
  else total = bce_logits_f32(z, zs, y, delta, n, M, scale, stats);
  if (mode != MLP_MODE_GRAD && mode != MLP_MODE_GRAD_BUT_0) return total;
  for (let l = last; l >= 0; l--) {
    if (l == 0 && mode == MLP_MODE_GRAD_BUT_0) break;
    const K = lw(table, l, MLP_L_IN), M = lw(table, l, MLP_L_OUT), Mp = lw(table, l, MLP_L_OUT_PAD);
    const w = <usize>lw(table, l, MLP_L_W), gw = <usize>lw(table, l, MLP_L_GW);
    const ain = <usize>lw(table, l, MLP_L_A_IN), astride = lw(table, l, MLP_L_A_STRIDE);
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
  const L = word(table, MLP_LAYERS);
  const K = lw(table, 0, MLP_L_IN), M = lw(table, 0, MLP_L_OUT), Mp = lw(table, 0, MLP_L_OUT_PAD);
  const gw = <usize>lw(table, 0, MLP_L_GW);
  const ain = <usize>lw(table, 0, MLP_L_A_IN), astride = lw(table, 0, MLP_L_A_STRIDE);
  // Backward alternates between the two delta buffers from the last layer's (word 5).
  const delta = <usize>word(table, (L - 1) & 1 ? MLP_DELTA_B : MLP_DELTA_A) + (<usize>j0 << 2);
  gemm_f32(gw + (<usize>(j0 * K) << 2), K << 2, delta, 4, Mp << 2, ain, astride, 32, count, n, K, 0, 0, 0, 0);
  colsum_f32(gw + (<usize>(M * K + j0) << 2), delta, Mp << 2, n, count);
}
