// Name → update rule. Each rule lives in its own file, mirroring assembly/optim/.
import { didYouMean, show } from '../options.js';
import { adam, adamw } from './adam.js';
import type { Rule } from './rule.js';
import { sgd } from './sgd.js';

export const RULES: Record<string, Rule> = { sgd, adam, adamw };

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
