// The public `schedule`: the registry's function, typed per name from the schedules' own specs
// (src/schedules/options.ts), so an unknown name or option is a compile error. A file of its own:
// the registry stays free of the option types, which name every schedule class.
import { schedule as byName, type BuiltSchedule } from './registry.js';
import type { ScheduleOptions } from './options.js';
import type { SgdrCycle } from './cosine.js';
import type { PlateauSchedule, Schedule, ScheduleName } from './types.js';

/** The options argument of schedule(name, …): required when the schedule has required options (every one today). */
type OptionsArg<N extends ScheduleName> = {} extends ScheduleOptions[N] ? [options?: ScheduleOptions[N]] : [options: ScheduleOptions[N]];

export interface ScheduleFactory {
  (name: 'plateau', ...options: OptionsArg<'plateau'>): PlateauSchedule & BuiltSchedule;
  (name: 'cosineWarmRestarts', ...options: OptionsArg<'cosineWarmRestarts'>): BuiltSchedule & { cycleAt(t: number): SgdrCycle };
  <N extends 'cyclic' | 'oneCycle'>(name: N, ...options: OptionsArg<N>): BuiltSchedule & { momentumAt(t: number): number | undefined };
  <N extends ScheduleName>(name: N, ...options: OptionsArg<N>): BuiltSchedule;
  /** Rebuilds a schedule from its toJSON() (or the same data read back from a file). */
  fromJSON(data: unknown): Schedule;
}

/** A schedule by name with its options (names and options of docs/schedules.md). */
export const schedule: ScheduleFactory = byName;
