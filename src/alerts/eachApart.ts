// Works the items of a periodic pass (reminders, channels' digests, teams to heal) one by one so
// that one item whose work fails on every pass (a fault for that item, such as a record it cannot
// read) holds up none after it: without this, it failed the pass at the same place every period,
// and the items behind it (in the same stable order each time) were never reached. The first
// failure still goes up once every item had its turn, so the pass is logged as failed. A store
// that cannot be reached (StateUnavailableError) or a stop goes up at once: every later item
// would fail alike, and the next period tries them all again.

import { StateUnavailableError } from '../state/port';

/** Runs `work` on each item in order; how many succeeded. Rejects as above. */
export async function eachApart<T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
  stop?: AbortSignal,
): Promise<number> {
  let done = 0;
  let failed: { readonly error: unknown } | null = null;
  for (const item of items) {
    stop?.throwIfAborted();
    try {
      await work(item);
      done++;
    } catch (error) {
      if (error instanceof StateUnavailableError || stop?.aborted) throw error;
      failed ??= { error };
    }
  }
  if (failed) throw failed.error;
  return done;
}
