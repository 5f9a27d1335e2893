// Placeholder until the practitioner tools land (issue 5).
import type { Engine } from '../engine.js';

export function race(_engine: Engine, _options: any): any {
  throw new Error('sd.race is not available yet');
}
