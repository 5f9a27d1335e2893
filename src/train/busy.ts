// One training at a time per model: fit() and the tools that step or probe a model's params
// hold its parameter buffer (and an optimizer handed to them) for the whole run. Two runs on
// one buffer would interleave their steps between awaits and both report success; a second
// caller is refused at once instead, before it reads or writes anything.
const busy = new WeakMap<object, string>();

/** Throws when `target` (a model, its buffer or an optimizer) is held by a run. */
export function checkIdle(where: string, ...targets: unknown[]): void {
  for (const t of keys(targets)) {
    const holder = busy.get(t);
    if (holder !== undefined) {
      throw new Error(
        `${where}: the model is busy with ${holder} (one training at a time per model); await it first, or use another model`,
      );
    }
  }
}

/**
 * Hold `targets` for a run named `holder` ("fit", "lrFinder"…); returns the release function,
 * which is idempotent. Throws, holding nothing, when any target is already held.
 */
export function acquire(holder: string, ...targets: unknown[]): () => void {
  checkIdle(holder, ...targets);
  const held = keys(targets);
  for (const t of held) busy.set(t, `a running ${holder}()`);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const t of held) busy.delete(t);
  };
}

/**
 * Runs `run` holding `target` for `holder`, released on every exit (errors and aborts too).
 * The hold is taken synchronously, before the first await, so a second caller in the same
 * tick is refused.
 */
export async function held<T>(holder: string, target: unknown, run: () => Promise<T>): Promise<T> {
  const release = acquire(holder, target);
  try {
    return await run();
  } finally {
    release();
  }
}

/** Is anything in `targets` held? */
export function isBusy(...targets: unknown[]): boolean {
  return keys(targets).some((t) => busy.has(t));
}

// A model is held through its parameter buffer, which its optimizers share; anything else
// that is an object (an optimizer, a malformed model) is held as itself.
function keys(targets: unknown[]): object[] {
  const out = new Set<object>();
  for (const t of targets) {
    if (t === null || typeof t !== 'object') continue;
    const b = (t as { buffer?: unknown }).buffer;
    out.add(b !== null && typeof b === 'object' ? b : t);
  }
  return [...out];
}
