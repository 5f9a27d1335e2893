// `train --resume DIR` with flags: the same values as the saved run are fine (repeating the
// command that started it just works); a real change is refused, naming each flag with its
// saved and given value. --data is the one exception: it means "continue on this data".
import type { Command } from 'commander';
import { RULES, ruleFor } from '../optimizers/registry.js';
import { UsageError, kebab } from './errors.js';
import { SCHEDULE_ALIASES, SCHEDULE_KEYS } from './flags.js';
import { absolute, fingerprint, isFileData, type Fingerprint } from './tabular.js';

/** Flags that may always accompany --resume (everything else must match DIR/run.json). */
export const RESUME_FLAGS = new Set(['resume', 'epochs', 'out', 'quiet', 'json', 'scalar', 'fma', 'workers', 'png']);

interface SavedConfig {
  data: Record<string, any>;
  model: Record<string, any>;
  optimizer: Record<string, any> & { name: string };
  schedule?: { name: string; options: Record<string, unknown>; warmup?: number };
  scheduleUnit: string;
  batchSize: number | 'full';
  earlyStopping?: number;
  seed: number;
}

/** The saved value a flag stands for, or undefined when the flag is unknown here (then any value is a change). */
function savedValue(c: SavedConfig, key: string): { value: unknown } | undefined {
  const data = ['label', 'header', 'samples', 'standardize', 'test', 'validation', 'task', 'id'];
  if (data.includes(key)) return { value: c.data[key] };
  if (key === 'layers') return { value: c.model.layers };
  if (['activation', 'loss'].includes(key)) return { value: c.model[key] };
  if (key === 'seed') return { value: c.seed };
  if (key === 'batchSize') return { value: c.batchSize };
  if (key === 'earlyStopping') return { value: c.earlyStopping };
  if (key === 'scheduleUnit') return { value: c.scheduleUnit };
  if (key === 'optimizer') return { value: c.optimizer.name };
  const rule = RULES[c.optimizer.name];
  if (key === 'lr') return { value: c.optimizer.lr ?? rule?.spec.lr?.default };
  if (key === 'clipNorm' || key === 'clipValue') return { value: c.optimizer[key] };
  if (rule && key in rule.spec) return { value: c.optimizer[key] ?? rule.spec[key].default };
  if (key === 'schedule') return { value: c.schedule?.name };
  if (key === 'warmup') return { value: c.schedule?.warmup };
  if (key in SCHEDULE_KEYS) return { value: c.schedule?.options[key] };
  return undefined;
}

function normalise(key: string, v: unknown): unknown {
  if (key === 'optimizer' && typeof v === 'string') {
    try {
      return ruleFor(v).name;
    } catch {
      return v;
    }
  }
  if (key === 'schedule' && typeof v === 'string') return SCHEDULE_ALIASES[v] ?? v;
  return v;
}

const show = (v: unknown) => (v === undefined ? 'unset' : Array.isArray(v) ? v.join(',') : String(v));

/** UsageError naming every flag given with --resume whose value differs from run.json's. */
export function checkResumeFlags(saved: SavedConfig, o: Record<string, any>, cmd: Command, runFile: string): void {
  const changes: string[] = [];
  const seen = new Set<string>();
  for (const opt of cmd.options) {
    const key = opt.attributeName();
    if (seen.has(key) || cmd.getOptionValueSource(key) !== 'cli' || RESUME_FLAGS.has(key) || key === 'data') continue;
    seen.add(key);
    const given = normalise(key, o[key]);
    // --standardize and --no-standardize share a key: name the one given.
    const flag = typeof given === 'boolean' && !given && !opt.negate ? `--no-${kebab(key)}` : typeof given === 'boolean' && given && opt.negate ? `--${kebab(key)}` : opt.long!;
    const s = savedValue(saved, key);
    if (s === undefined) changes.push(`${flag} (not a setting of the saved run)`);
    else if (JSON.stringify(normalise(key, s.value)) !== JSON.stringify(given)) changes.push(`${flag} (run.json has ${show(s.value)}, given ${show(given)})`);
  }
  if (changes.length === 0) return;
  const what = changes.length === 1 ? changes[0].replace(' (', ' cannot be changed when resuming (') : `${changes.length} flags cannot be changed when resuming: ${changes.join(', ')}`;
  throw new UsageError(
    `${what}; the run's settings come from ${runFile} (always allowed with --resume: --epochs, --out, --quiet, --json, --workers, --scalar, --fma, --png; --data to continue on other data)`,
  );
}

/**
 * The data a resumed run trains on: the saved file, unless it changed since (refused, with the
 * way out), or the file --data names ("continue on this data": the new path and fingerprint are
 * recorded). Returns a notice line when the data moved on.
 */
export function resumeData(saved: SavedConfig, o: Record<string, any>, cmd: Command): string | undefined {
  const d = saved.data;
  const givenData = cmd.getOptionValueSource('data') === 'cli' ? (o.data as string) : undefined;
  if (!isFileData(d.data)) {
    if (givenData !== undefined && givenData !== d.data) throw new UsageError(`--data cannot be changed when resuming a run on the built-in dataset '${d.data}' (given ${givenData})`);
    return undefined;
  }
  if (givenData !== undefined) {
    if (!isFileData(givenData)) throw new UsageError(`--data ${givenData}: the run was trained on a CSV file (${d.data}); continue it on a CSV file`);
    const path = absolute(givenData);
    const fp = fingerprint(path);
    const same = path === d.data && sameFingerprint(fp, d.fingerprint);
    d.data = path;
    d.fingerprint = fp;
    return same ? undefined : `continuing on ${givenData} (${fp.size} bytes, sha256 ${fp.sha256.slice(0, 12)}…) with the run's preprocessor`;
  }
  if (d.fingerprint) {
    const fp = fingerprint(d.data);
    if (!sameFingerprint(fp, d.fingerprint)) {
      const how = fp.size !== d.fingerprint.size ? `${d.fingerprint.size} → ${fp.size} bytes` : 'same size, different content';
      throw new UsageError(`the data file ${d.data} changed since the run was saved (${how}); to continue on it as it is now, pass --data ${d.data}`);
    }
  }
  return undefined;
}

function sameFingerprint(a: Fingerprint, b: Fingerprint | undefined): boolean {
  return !!b && a.size === b.size && a.sha256 === b.sha256;
}
