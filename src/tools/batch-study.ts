// Placeholder until the practitioner tools land (issue 5).
import type { Engine } from '../engine.js';

export function batchStudy(_engine: Engine, _model: any, _data: any, _options: any): any {
  throw new Error('sd.batchStudy is not available yet');
}
