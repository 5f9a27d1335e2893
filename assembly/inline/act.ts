// Activation epilogues shared by the matrix products: one vector form and one scalar form
// per code, computing the same f32 formula in the same order so that the SIMD and scalar
// builds agree bit for bit. Never exported from assembly/index.ts.

/** Epilogue codes: activations (forward) and multiplications by an activation's derivative (backward). */
export const EPI_NONE: i32 = 0;
export const EPI_RELU: i32 = 1;
export const EPI_TANH: i32 = 2;
export const EPI_SIGMOID: i32 = 3;
/** Backward: the derivative is written in terms of the activation's output a = f(z). */
export const EPI_DRELU: i32 = 5; //    g · [a > 0]        (torch threshold_backward)
export const EPI_DTANH: i32 = 6; //    g · (1 − a·a)      (torch tanh_backward)
export const EPI_DSIGMOID: i32 = 7; // g · (1 − a) · a    (torch sigmoid_backward)

// @ts-ignore: decorator
@inline export function sigmoidf(x: f32): f32 {
  return <f32>1 / (<f32>1 + Mathf.exp(-x));
}

/** Scalar epilogue of x at output position whose activation (for derivatives) is at d. */
// @ts-ignore: decorator
@inline export function epis(x: f32, kind: i32, d: usize): f32 {
  if (kind == EPI_NONE) return x;
  if (kind == EPI_RELU) return max<f32>(x, 0); // NaN propagates, as torch.relu
  if (kind == EPI_TANH) return Mathf.tanh(x);
  if (kind == EPI_SIGMOID) return sigmoidf(x);
  const a = load<f32>(d);
  if (kind == EPI_DRELU) return a > 0 ? x : 0;
  if (kind == EPI_DTANH) return x * (<f32>1 - a * a);
  return x * (<f32>1 - a) * a; // EPI_DSIGMOID
}

/** Vector epilogue of 4 outputs; tanh and sigmoid go lane by lane through the scalar form. */
// @ts-ignore: decorator
@inline export function epiv(v: v128, kind: i32, d: usize): v128 {
  if (kind == EPI_NONE) return v;
  if (kind == EPI_RELU) return f32x4.max(v, f32x4.splat(0));
  if (kind == EPI_DRELU) return v128.and(v, f32x4.gt(v128.load(d), f32x4.splat(0)));
  if (kind == EPI_DTANH) {
    const a = v128.load(d);
    return f32x4.mul(v, f32x4.sub(f32x4.splat(1), f32x4.mul(a, a)));
  }
  if (kind == EPI_DSIGMOID) {
    const a = v128.load(d);
    return f32x4.mul(f32x4.mul(v, f32x4.sub(f32x4.splat(1), a)), a);
  }
  let r = f32x4.splat(0);
  r = f32x4.replace_lane(r, 0, epis(f32x4.extract_lane(v, 0), kind, 0));
  r = f32x4.replace_lane(r, 1, epis(f32x4.extract_lane(v, 1), kind, 0));
  r = f32x4.replace_lane(r, 2, epis(f32x4.extract_lane(v, 2), kind, 0));
  r = f32x4.replace_lane(r, 3, epis(f32x4.extract_lane(v, 3), kind, 0));
  return r;
}
