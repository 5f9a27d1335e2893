// Placeholder until the practitioner tools land (issue 5).
import type { Engine } from '../engine.js';

export function landscape(_engine: Engine, _model: any, _data: any, _options: any): any {
  throw new Error('sd.landscape is not available yet');
}
