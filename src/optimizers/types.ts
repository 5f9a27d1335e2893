// The optimizers' public option types, derived from the rule specs the runtime validates with
// (src/optimizers/registry.ts, src/optimizers/optimizer.ts): a key added to a spec is an option of
// the type, and a key the spec lacks is a compile error.
import type { OptionsOf } from '../options.js';
import type { ParamBuffer } from '../buffer.js';
import type { RuleTable } from './registry.js';
import type { SharedSpec } from './optimizer.js';

/** Every optimizer `sd.optimizer(name, …)` knows. */
export type OptimizerName = keyof RuleTable;

/** Options every optimizer takes besides its own: clipNorm, clipValue, skipNonFinite. */
export type SharedOptimizerOptions = OptionsOf<SharedSpec>;

/** Name → that optimizer's options (`OptimizerOptions['adam']`), shared options included. */
export type OptimizerOptions = { [N in OptimizerName]: OptionsOf<RuleTable[N]['spec']> & SharedOptimizerOptions };

/** Where an optimizer's params live: a buffer from sd.buffer (or model.buffer), or a size for a new one. */
export type OptimizerTarget = { buffer: ParamBuffer; size?: undefined } | { size: number; buffer?: undefined };

/** `sd.optimizer(name, options)`'s options for optimizer N. */
export type OptimizerArgs<N extends OptimizerName> = OptimizerOptions[N] & OptimizerTarget;

/** An optimizer named with its options, as fit, lrFinder and batchStudy take it: `{ name: 'sgd', lr: 0.1, momentum: 0.9 }`. */
export type OptimizerConfig = { [N in OptimizerName]: { name: N } & OptimizerOptions[N] }[OptimizerName];

/** How the tools name an optimizer: a bare name (its defaults) or a name with options. */
export type OptimizerChoice = OptimizerName | OptimizerConfig;
