// Opening a trained run directory for predict and evaluate: the library's loadRun with its
// errors as one-line usage errors naming --run, and the new rows' table read the same way train reads its CSV.
import type { Engine } from '../engine.js';
import { type SavedRun, loadRun } from '../tools/saved-run.js';
import { UsageError, oneLine } from './errors.js';

export async function openRun(sd: Engine, dir: string): Promise<SavedRun> {
  try {
    return await loadRun(sd, dir);
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError || (err as Error).name === 'UsageError') {
      throw new UsageError(`--run ${dir}: ${oneLine((err as Error).message).replace(/^loadRun: /, '')}`);
    }
    throw err;
  }
}

/** The table's problem as a usage error naming the file (columns that differ, a bad cell). */
export function tableError(file: string, err: unknown): never {
  if (err instanceof TypeError || err instanceof RangeError) throw new UsageError(`${file}: ${oneLine(err.message)}`);
  throw err;
}
