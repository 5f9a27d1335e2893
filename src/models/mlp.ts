// Placeholder until the MLP lands (issue 4): keeps the Engine's surface stable.
import type { Engine } from '../engine.js';
import type { Model } from './model.js';

export interface MlpOptions {
  layers: number[];
  activation?: 'relu' | 'tanh' | 'sigmoid' | 'linear';
  loss?: 'softmaxCrossEntropy' | 'mse' | 'sigmoidBinaryCrossEntropy';
  seed?: number;
}

export function createMlp(_engine: Engine, _options: MlpOptions): Model {
  throw new Error('sd.mlp is not available yet');
}
