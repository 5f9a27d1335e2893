// Bookkeeping that decides when a run stops early: the divergence guard (on by default)
// and early stopping. Plain data, so a checkpoint can hold it.

export interface TrackerState {
  /** Debiased EMA of the batch loss, its raw accumulator and count. */
  ema: number;
  emaCount: number;
  bestSmoothed: number;
  firstSmoothed: number;
  /** Early stopping: best monitored value, its epoch, epochs without improvement. */
  best: number;
  bestEpoch: number;
  wait: number;
}

export const freshTracker = (): TrackerState => ({
  ema: 0,
  emaCount: 0,
  bestSmoothed: Infinity,
  firstSmoothed: NaN,
  best: NaN,
  bestEpoch: 0,
  wait: 0,
});

/**
 * Feed one batch loss; returns a reason string when the run has diverged. A run diverges
 * when the loss is non-finite, or when the smoothed loss exceeds `factor` × its best value
 * and also the smoothed loss at the start (so the rise after an SGDR restart, from a very
 * low loss, is not mistaken for divergence).
 */
export function divergenceCheck(s: TrackerState, loss: number, factor: number, smoothing: number): string | undefined {
  if (!Number.isFinite(loss)) return `the training loss became ${loss}`;
  s.emaCount++;
  s.ema = (1 - smoothing) * s.ema + smoothing * loss;
  const smoothed = s.ema / (1 - (1 - smoothing) ** s.emaCount);
  if (s.emaCount === 1) s.firstSmoothed = smoothed;
  if (smoothed < s.bestSmoothed) s.bestSmoothed = smoothed;
  if (smoothed > factor * s.bestSmoothed && smoothed > s.firstSmoothed) {
    return `the smoothed training loss ${smoothed.toPrecision(4)} rose above ${factor} × its best ${s.bestSmoothed.toPrecision(4)}`;
  }
  return undefined;
}

/** Early stopping / best-epoch tracking; returns whether this epoch improved on the best. */
export function improve(s: TrackerState, value: number, epoch: number, mode: 'min' | 'max', minDelta: number): boolean {
  const better = Number.isNaN(s.best) || (mode === 'min' ? value < s.best - minDelta : value > s.best + minDelta);
  if (better) {
    s.best = value;
    s.bestEpoch = epoch;
    s.wait = 0;
  } else {
    s.wait++;
  }
  return better;
}
