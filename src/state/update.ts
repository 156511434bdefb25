// The one compare-and-swap loop: read a record, compute its next value, write it only if nobody
// changed it meanwhile, and try again when somebody did. Between attempts it waits a random time
// up to a bound that doubles with each attempt ("full jitter"): the writers that lost spread out
// over a window that grows until they no longer collide, however many there are, instead of
// coming back together within a few milliseconds and losing again.

import { Expiry, Records, StateUnavailableError } from './port';
import { Try, retryWithin } from './retryWithin';

/** What `change` decides: the next value, `keep` to leave the record as it is, or `remove`. A
 * next value may name its own expiry when it depends on what the record held (the call's applies
 * otherwise). */
export type Change<T> = { readonly next: T; readonly expiry?: Expiry } | 'keep' | 'remove';

/** How long the loop may go on (defaults below). */
export interface UpdateLimits {
  /** How many attempts at most (default 50). */
  readonly attempts?: number;
  /** How long to go on trying, waits included (default 8 s): no attempt starts after it. */
  readonly budgetMs?: number;
}

const ATTEMPTS = 50;
/** A call ends within this budget plus its last attempt: one read and one write, each under the
 * adapter's own deadline (10 s per call on Azure; on SQLite the lock wait, 5 s by default), so
 * within about 28 s on Azure and 18 s on SQLite at worst, and about 8 s while the store answers
 * promptly and other writers keep winning. */
const BUDGET_MS = 8_000;
/** The bound of the first wait, doubled after each lost attempt up to the cap. */
const FIRST_WAIT_MS = 4;
const MAX_WAIT_MS = 1_000;

/** Applies `change` atomically to one record (a change that reads other records decides again on
 * every attempt, so it sees what landed meanwhile); returns the value it ended with (null if absent).
 * `expiry` is what every write does to the record's expiry (see port.ts): with `'keep'`, a record
 * that exists keeps the expiry it has, and one that `change` makes from nothing is created
 * without one (there was nothing to keep), so a writer of a record with a retention that may
 * create it names the retention instead. Throws StateUnavailableError when other writers kept
 * winning for the whole budget. */
export async function updateRecord<T>(
  records: Records,
  key: string,
  change: (current: T | null) => Change<T> | Promise<Change<T>>,
  expiry: Expiry,
  limits: UpdateLimits = {},
): Promise<T | null> {
  const ended = await retryWithin(
    async (): Promise<Try<T | null>> => {
      const current = await records.get<T>(key);
      // A change may read other records first (awaited only then, so a plain one costs no tick).
      const decided = change(current?.value ?? null);
      const decision = decided instanceof Promise ? await decided : decided;
      if (decision === 'keep') return { done: current?.value ?? null };
      if (decision === 'remove') {
        if (!current || (await records.delete(key, current.version))) return { done: null };
      } else {
        const to = decision.expiry ?? expiry;
        const written = current
          ? await records.replace(key, decision.next, current.version, to)
          : await records.create(key, decision.next, to === 'keep' ? 'none' : to);
        if (written !== null) return { done: decision.next };
      }
      return { missed: 'changed' };
    },
    {
      until: Date.now() + (limits.budgetMs ?? BUDGET_MS),
      clock: () => Date.now(),
      attempts: limits.attempts ?? ATTEMPTS,
      // Full jitter: a random wait up to a bound that doubles after each lost attempt, up to the cap.
      pauseMs: (attempt) => Math.random() * Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (attempt - 1)),
    },
  );
  if ('done' in ended) return ended.done;
  throw new StateUnavailableError(`state store: "${key.slice(0, 40)}" kept changing under ${ended.attempts} attempts`);
}
