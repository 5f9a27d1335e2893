// Batched evaluation of a dataset through the model's staging area (no allocation per batch).
import { gatherRows, type Dataset } from '../data/index.js';
import type { Model } from '../models/model.js';

let identityCache = new Uint32Array(0);

export function evaluateDataset(model: Model, d: Dataset, batch: number): { loss: number; accuracy?: number } {
  if (identityCache.length < d.count) {
    identityCache = new Uint32Array(d.count);
    for (let i = 0; i < d.count; i++) identityCache[i] = i;
  }
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < d.count; start += batch) {
    const end = Math.min(start + batch, d.count);
    const staged = model.stage(end - start);
    gatherRows(d, identityCache, start, end, staged.x, staged.y);
    const r = model.evaluateStaged(end - start);
    lossSum += r.lossSum;
    correct += r.correct;
  }
  const classification = model.loss !== 'mse';
  return classification ? { loss: lossSum / d.count, accuracy: correct / d.count } : { loss: lossSum / d.count };
}
