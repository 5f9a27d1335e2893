// Learning-rate schedules: pure functions of the step (or fractional epoch), plain data for
// checkpoints; plateau is the one driven by metrics. Formulas and usage: docs/schedules.md.
export { sample, isSchedule, isPlateau, scheduleOptionNames, type SampleOptions, type BuiltSchedule } from './registry.js';
export { schedule, type ScheduleFactory } from './schedule.js';
export { SCHEDULE_NAMES } from './types.js';
export type { Schedule, PlateauSchedule, PlateauState, ScheduleJSON, ScheduleName, ScheduleSpec, ScheduleChild } from './types.js';
export type { ScheduleOptions } from './options.js';
export type { SgdrCycle } from './cosine.js';
