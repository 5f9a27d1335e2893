// Placeholder until the trainer lands (issue 4).
import type { Engine } from '../engine.js';
import type { Model } from '../models/model.js';

export async function fit(_engine: Engine, _model: Model, _data: unknown, _options: Record<string, any> = {}): Promise<any> {
  throw new Error('sd.fit is not available yet');
}
