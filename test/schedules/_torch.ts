// PyTorch 1.13.1's lr_scheduler classes transliterated (stateful, stepped once per step, the
// recursive get_lr forms where PyTorch has them): an independent reference for options and
// horizons the fixtures don't cover. Tests only.

/** StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, PolynomialLR: the recursive (chainable) forms. */
export function recursive(name: string, o: any, steps: number): number[] {
  const lrs: number[] = [];
  let lr = o.lr;
  for (let e = 0; e < steps; e++) {
    switch (name) {
      case 'step':
        if (e !== 0 && e % o.stepSize === 0) lr = lr * o.gamma;
        break;
      case 'multiStep':
        if (o.milestones.includes(e)) lr = lr * o.gamma ** o.milestones.filter((m: number) => m === e).length;
        break;
      case 'exponential':
        if (e !== 0) lr = lr * o.gamma;
        break;
      case 'cosine': {
        const T = o.tMax, min = o.lrMin;
        if (e === 0) lr = o.lr;
        else if ((e - 1 - T) % (2 * T) === 0) lr = lr + ((o.lr - min) * (1 - Math.cos(Math.PI / T))) / 2;
        else lr = ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - min) + min;
        break;
      }
      case 'linear': {
        const { startFactor: s, endFactor: f, totalIters: n } = o;
        if (e === 0) lr = lr * s;
        else if (e <= n) lr = lr * (1 + (f - s) / (n * s + (e - 1) * (f - s)));
        break;
      }
      case 'polynomial':
        if (e !== 0 && e <= o.totalIters) lr = lr * ((1 - e / o.totalIters) / (1 - (e - 1) / o.totalIters)) ** o.power;
        break;
      default:
        throw new Error(name);
    }
    lrs.push(lr);
  }
  return lrs;
}

/** CosineAnnealingWarmRestarts stepped without an epoch argument (T_cur += 1), real T_mult allowed. */
export function sgdrSteps(o: { lr: number; t0: number; tMult: number; lrMin: number }, steps: number): number[] {
  const lrs: number[] = [];
  let tCur = 0, tI = o.t0;
  for (let e = 0; e < steps; e++) {
    if (e > 0) {
      tCur = tCur + 1;
      if (tCur >= tI) {
        tCur = tCur - tI;
        tI = tI * o.tMult;
      }
    }
    lrs.push(o.lrMin + ((o.lr - o.lrMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2);
  }
  return lrs;
}

/** CyclicLR.get_lr at last_epoch = t: [lr, momentum]. */
export function cyclicLR(o: any, t: number): [number, number] {
  const up = o.stepSizeUp, down = o.stepSizeDown ?? up;
  const totalSize = up + down, stepRatio = up / totalSize;
  const cycle = Math.floor(1 + t / totalSize);
  const x = 1 + t / totalSize - cycle;
  const scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
  const fn = o.mode === 'triangular' ? () => 1 : o.mode === 'triangular2' ? (c: number) => 1 / 2 ** (c - 1) : (i: number) => o.gamma ** i;
  const arg = o.mode === 'expRange' ? t : cycle;
  const lr = o.lrMin + (o.lrMax - o.lrMin) * scaleFactor * fn(arg);
  const bm = o.baseMomentum ?? 0.8, mm = o.maxMomentum ?? 0.9;
  const momentum = mm - (mm - bm) * scaleFactor * fn(arg);
  return [lr, momentum];
}

/** OneCycleLR.get_lr at step_num = t: [lr, momentum]. */
export function oneCycleLR(o: any, t: number): [number, number] {
  const T = o.totalSteps, p = o.pctStart ?? 0.3;
  const g: Record<string, number> = {};
  g.initial_lr = o.lrMax / (o.divFactor ?? 25);
  g.max_lr = o.lrMax;
  g.min_lr = g.initial_lr / (o.finalDivFactor ?? 1e4);
  g.max_momentum = o.maxMomentum ?? 0.95;
  g.base_momentum = o.baseMomentum ?? 0.85;
  const phases = o.threePhase
    ? [
        { end_step: p * T - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: 2 * p * T - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        { end_step: T - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
      ]
    : [
        { end_step: p * T - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: T - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
      ];
  const anneal = (o.annealStrategy ?? 'cos') === 'cos'
    ? (start: number, end: number, pct: number) => end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1)
    : (start: number, end: number, pct: number) => (end - start) * pct + start;
  let startStep = 0;
  for (let i = 0; i < phases.length; i++) {
    const ph = phases[i];
    if (t <= ph.end_step || i === phases.length - 1) {
      const pct = (t - startStep) / (ph.end_step - startStep);
      return [anneal(g[ph.start_lr], g[ph.end_lr], pct), anneal(g[ph.start_momentum], g[ph.end_momentum], pct)];
    }
    startStep = ph.end_step;
  }
  throw new Error('unreachable');
}

/** ReduceLROnPlateau: feed metrics, get the lr after each. */
export function plateauLR(o: any, metrics: number[]): number[] {
  const mode = o.mode ?? 'min', factor = o.factor ?? 0.1, patience = o.patience ?? 10;
  const threshold = o.threshold ?? 1e-4, tm = o.thresholdMode ?? 'rel', cooldown = o.cooldown ?? 0;
  const minLr = o.lrMin ?? 0, eps = o.eps ?? 1e-8;
  let lr = o.lr, best = mode === 'min' ? Infinity : -Infinity, bad = 0, cd = 0;
  const isBetter = (a: number) =>
    mode === 'min' && tm === 'rel' ? a < best * (1 - threshold)
    : mode === 'min' ? a < best - threshold
    : tm === 'rel' ? a > best * (threshold + 1)
    : a > best + threshold;
  return metrics.map((m) => {
    if (isBetter(m)) { best = m; bad = 0; } else bad += 1;
    if (cd > 0) { cd -= 1; bad = 0; }
    if (bad > patience) {
      const nl = Math.max(lr * factor, minLr);
      if (lr - nl > eps) lr = nl;
      cd = cooldown;
      bad = 0;
    }
    return lr;
  });
}
