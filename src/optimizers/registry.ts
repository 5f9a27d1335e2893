// Name → update rule. Each rule lives in its own file, mirroring assembly/optim/.
import { didYouMean, show } from '../options.js';
import { adadelta } from './adadelta.js';
import { adagrad } from './adagrad.js';
import { adam, adamw } from './adam.js';
import { adamax } from './adamax.js';
import { lamb } from './lamb.js';
import { lion } from './lion.js';
import { momentum } from './momentum.js';
import { nadam } from './nadam.js';
import { radam } from './radam.js';
import { rmsprop } from './rmsprop.js';
import type { Rule } from './rule.js';
import type { Core } from '../core/core.js';
import { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';

/** Every optimizer, in the order of the fixtures README's table. */
const TABLE = { sgd, momentum, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, lion, lamb } satisfies Record<string, Rule>;
/** Each rule with its spec's literal type: the source of OptimizerOptions (src/optimizers/types.ts). */
export type RuleTable = typeof TABLE;
export const RULES: Record<string, Rule> = TABLE;

export function ruleFor(name: unknown): Rule {
  if (typeof name !== 'string') throw new TypeError(`optimizer: name must be a string, got ${show(name)}`);
  const rule = Object.prototype.hasOwnProperty.call(RULES, name) ? RULES[name] : undefined;
  if (!rule) {
    const hint = didYouMean(name, Object.keys(RULES));
    throw new TypeError(`optimizer: unknown optimizer '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${Object.keys(RULES).join(', ')}`);
  }
  return rule;
}

export const OPTIMIZER_NAMES = (): string[] => Object.keys(RULES);

/** An optimizer by name on a core's memory (what sd.optimizer() makes). */
export function createOptimizer(core: Core, name: string, options: object): Optimizer {
  return new Optimizer(core.kernels, core.mem, ruleFor(name), options);
}
