// Type-level checks (compiled by `npm test`'s tsc step, nothing runs): the option types and the
// runtime specs they come from name the same keys, and a spec that drifts from a hand-written
// options type is a compile error.
import type { RuleTable } from '../../src/optimizers/registry.js';
import type { SharedSpec } from '../../src/optimizers/optimizer.js';
import type { OptimizerName, OptimizerOptions } from '../../src/optimizers/types.js';
import type { ScheduleOptions } from '../../src/schedules/options.js';
import type { ScheduleName } from '../../src/schedules/types.js';
import type { FitSpec } from '../../src/train/options.js';
import type { FitOptions } from '../../src/train/types.js';
import type { MlpOptions, MlpSpec } from '../../src/models/mlp.js';
import type { OptionsOf, SpecFor } from '../../src/options.js';
import type { LrFinderOptions } from '../../src/tools/lr-finder.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const agree = <T extends true>(): T => true as T;

// Every optimizer's option keys are its rule's spec keys plus the shared ones, no more, no fewer.
agree<{ [N in OptimizerName]: Equal<keyof OptimizerOptions[N], keyof RuleTable[N]['spec'] | keyof SharedSpec> }[OptimizerName]>();
agree<Equal<OptimizerName, keyof RuleTable>>();
// And the value types follow the spec's runtime types.
agree<Equal<OptimizerOptions['adam']['amsgrad'], boolean | undefined>>();
agree<Equal<OptimizerOptions['sgd']['momentum'], number | undefined>>();
// Every schedule name has its options type.
agree<Equal<keyof ScheduleOptions, ScheduleName>>();
agree<Equal<ScheduleOptions['cyclic']['mode'], 'triangular' | 'triangular2' | 'expRange' | undefined>>();
// fit's and mlp's specs are checked against their hand-written (documented) types: same keys.
agree<Equal<keyof FitSpec, keyof FitOptions>>();
agree<Equal<keyof MlpSpec, keyof MlpOptions>>();
agree<Equal<LrFinderOptions['mode'], 'exponential' | 'linear' | undefined>>();

// SpecFor refuses a spec that drifts from its type: a missing key, an extra key, a wrong runtime type.
type Demo = { epochs?: number; unit?: 'a' | 'b' };
// @ts-expect-error unit is missing from the spec
({ epochs: { type: 'integer' } }) satisfies SpecFor<Demo>;
// @ts-expect-error extra is not an option of Demo
({ epochs: { type: 'integer' }, unit: { type: 'string' }, extra: { type: 'number' } }) satisfies SpecFor<Demo>;
// @ts-expect-error epochs is a number, not a string
({ epochs: { type: 'string' }, unit: { type: 'string' } }) satisfies SpecFor<Demo>;
// @ts-expect-error 'c' is not a value of unit
({ epochs: { type: 'integer' }, unit: { type: 'string', values: ['a', 'c'] } }) satisfies SpecFor<Demo>;
({ epochs: { type: 'integer' }, unit: { type: 'string', values: ['a', 'b'] } }) satisfies SpecFor<Demo>;
// OptionsOf keeps string values literal and refuses others.
const spec = { mode: { type: 'string', values: ['x', 'y'] as const }, n: { type: 'number' } } as const;
const ok: OptionsOf<typeof spec> = { mode: 'x', n: 1 };
// @ts-expect-error 'z' is not one of the spec's values
const bad: OptionsOf<typeof spec> = { mode: 'z' };
export { ok, bad };
