// --schedule a*b (a product of factors) and --swa-lr after another schedule (SWALR takes over at
// --start): the two schedule shapes made of schedules that flags can express. Each given flag
// goes to every factor that takes it; the swalr flags stay with swalr.
import { SCHEDULE_NAMES, scheduleOptionNames, type ScheduleName } from '../schedules/index.js';
import { UsageError, kebab } from './errors.js';

const SWALR_KEYS = ['swaLr', 'annealEpochs', 'annealStrategy', 'start'];

export interface Composed {
  name: string;
  options: Record<string, unknown>;
}

function known(name: string): ScheduleName {
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`--schedule: unknown schedule '${name}' in a product; known: ${SCHEDULE_NAMES.join(', ')}`);
  }
  return name as ScheduleName;
}

/**
 * The composite config, or undefined for a plain schedule. `fill` adds a schedule's epoch-length
 * defaults (tMax = --epochs…) to its options; `lr` is the base lr.
 */
export function composeSchedule(
  name: string, given: Record<string, unknown>, lr: number, fill: (name: string, options: Record<string, unknown>) => void,
): Composed | undefined {
  const swa = name !== 'swalr' && given.swaLr !== undefined;
  if (!name.includes('*') && !swa) return undefined;
  const rest = Object.fromEntries(Object.entries(given).filter(([k]) => !swa || !SWALR_KEYS.includes(k)));
  let inner: Composed;
  if (name.includes('*')) {
    const factors = name.split('*').map((n) => known(n.trim()));
    const used = new Set<string>();
    const schedules = factors.map((f) => {
      const takes = scheduleOptionNames(f);
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rest)) if (takes.includes(k)) (options[k] = v), used.add(k);
      fill(f, options);
      delete options.lr; // a factor: the product builds it with lr 1
      return { schedule: f, options };
    });
    const unused = Object.keys(rest).find((k) => !used.has(k));
    if (unused) throw new UsageError(`--${kebab(unused)} applies to none of ${factors.join(', ')}`);
    inner = { name: 'product', options: { lr, schedules } };
  } else {
    const options = { ...rest };
    fill(name, options);
    inner = { name, options };
  }
  if (!swa) return inner;
  const o: Record<string, unknown> = { swaLr: given.swaLr, schedule: { schedule: inner.name, options: inner.options } };
  for (const k of SWALR_KEYS.slice(1)) if (given[k] !== undefined) o[k] = given[k];
  return { name: 'swalr', options: o };
}
