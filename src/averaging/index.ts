// Weight averaging: SWA, EMA and snapshot ensembles.
export { Swa } from './swa.js';
export { Ema, type EmaOptions } from './ema.js';
export { SnapshotEnsemble } from './snapshots.js';
