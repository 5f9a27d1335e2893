// Name → reference factory, mirroring src/optimizers/registry.ts (tests only).
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
import type { ReferenceFactory } from './rule.js';
import { sgd } from './sgd.js';

export const REFERENCES: Record<string, ReferenceFactory> = { sgd, momentum, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, lion, lamb };
export type { Reference, ReferenceFactory } from './rule.js';
