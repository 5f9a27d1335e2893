// Snapshot ensembles (Huang et al., 2017, "Snapshot Ensembles: Train 1, get M for free"):
// keep the params at the end of each SGDR cycle (just before a warm restart) and predict with
// the mean of the snapshots' outputs (softmax probabilities for classification).
import type { Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';

export class SnapshotEnsemble {
  readonly snapshots: Float32Array[] = [];

  constructor(readonly model: Model) {}

  /** Keep a copy of the model's current params. */
  take(): void {
    this.snapshots.push(Float32Array.from(this.model.buffer.params));
  }

  /** Mean of every snapshot's predict() over the n rows (the live params are put back). */
  predict(x: Float32Array, n: number): Float32Array {
    if (this.snapshots.length === 0) throw new Error('snapshots: no snapshot taken yet');
    const live = Float32Array.from(this.model.buffer.params);
    const sum = new Float64Array(n * this.model.outputs);
    try {
      for (const s of this.snapshots) {
        this.model.buffer.params.set(s);
        const p = this.model.predict(x, n);
        for (let i = 0; i < p.length; i++) sum[i] += p[i];
      }
    } finally {
      this.model.buffer.params.set(live);
    }
    const out = new Float32Array(sum.length);
    for (let i = 0; i < sum.length; i++) out[i] = sum[i] / this.snapshots.length;
    return out;
  }

  /**
   * The ensemble's accuracy on a dataset (argmax of the mean probabilities; for one sigmoid
   * output, mean probability ≥ 0.5), or undefined for mse models.
   */
  accuracy(d: Dataset): number | undefined {
    const m = this.model;
    if (m.loss === 'mse') return undefined;
    const p = this.predict(d.x, d.count);
    if (m.loss === 'sigmoidBinaryCrossEntropy') {
      const y = d.y as Float32Array;
      let ok = 0;
      for (let i = 0; i < p.length; i++) if ((p[i] >= 0.5 ? 1 : 0) === (y[i] >= 0.5 ? 1 : 0)) ok++;
      return ok / p.length;
    }
    const k = m.outputs;
    const y = d.y as Int32Array;
    let correct = 0;
    for (let r = 0; r < d.count; r++) {
      let label = 0;
      for (let c = 1; c < k; c++) if (p[r * k + c] > p[r * k + label]) label = c;
      if (label === y[r]) correct++;
    }
    return correct / d.count;
  }
}
