// What the trainer and the tools need from a model. The MLP (src/models/mlp.ts) implements it.
import type { ParamBuffer } from '../buffer.js';

export type LossName = 'softmaxCrossEntropy' | 'mse' | 'sigmoidBinaryCrossEntropy';
export type Targets = Int32Array | Float32Array;

/** A named slice of the flat parameter buffer (PyTorch state_dict names: `layer0.weight`, `layer0.bias`, …). */
export interface ParamGroup {
  name: string;
  offset: number;
  length: number;
}

export interface Model {
  /** The flat parameter buffer (layout documented per model). */
  readonly buffer: ParamBuffer;
  readonly inputs: number;
  readonly outputs: number;
  readonly loss: LossName;
  /** Mean loss over the n rows; overwrites buffer.grads with its gradient. */
  lossAndGrad(x: Float32Array, y: Targets, n: number): number;
  /** n·outputs values (probabilities for the classification losses). */
  predict(x: Float32Array, n: number): Float32Array;
  /** Mean loss and, for classification losses, accuracy in [0, 1]. Grads untouched. */
  evaluate(x: Float32Array, y: Targets, n: number): { loss: number; accuracy?: number };
  /**
   * Zero-copy staging for trainers: live views of the model's WASM input/target scratch
   * for n rows. Fill them, then call lossAndGradStaged(n) / evaluateStaged(n); no validation.
   */
  stage(n: number): { x: Float32Array; y: Targets };
  lossAndGradStaged(n: number): number;
  /** Sum of losses over the n staged rows and the count of correct predictions. */
  evaluateStaged(n: number): { lossSum: number; correct: number };
  /** Plain-data description that rebuilds the model: { kind: 'mlp', layers, activation, loss, seed }. */
  toJSON(): Record<string, unknown>;
  /** Where each tensor lives in buffer.params / buffer.grads, in layout order. */
  groups(): ParamGroup[];
  dispose(): void;
}
