// Forgetting waiting sign-ins (signIns.ts) without running their commands: a sign out, a sign-in
// cancelled in its window, or more waiting for one user than are kept. A command forgotten so has
// ended (contract §6 owes its one audit line), so each drop tells what it removed, and only the
// caller whose compare and swap removed an entry hears of it: of callers racing on any instance (a
// sign out on each, a token exchange or verifyState taking it to run) exactly one removes or takes
// it, and only that one may tell that the command ended.

import type { Records } from './port';
import type { Stored } from './signInLookup';
import { ENTRY } from './signInLookup';
import { waiting } from './signInRanMarks';
import type { PendingSignIn } from './signIns';
import { updateRecord } from './update';

/** Forgets the sign-in `id` if it still waits; the mark of a run stays. The entry this call
 * removed, or null (absent, ran, or removed by another caller). */
export async function dropWaiting<T>(records: Records, id: string): Promise<PendingSignIn<T> | null> {
  let removed: PendingSignIn<T> | null = null;
  await updateRecord<Stored<T>>(
    records,
    ENTRY + id,
    (current) => {
      // Called once per attempt: the decision of the last one is the one that was written.
      removed = waiting(current);
      return removed ? 'remove' : 'keep';
    },
    'keep',
  );
  return removed;
}

/** Hears a waiting sign-in as soon as it was forgotten without running (its command ended), before
 * anything else can fail: a store that fails on the next one loses no word of this one. */
export type Forgotten<T> = (entry: PendingSignIn<T>) => void;

/** dropWaiting for each of `ids`, in order, telling `forgotten` of each entry this call removed. */
export async function dropAllWaiting<T>(
  records: Records,
  ids: readonly string[],
  forgotten?: Forgotten<T>,
): Promise<void> {
  for (const id of ids) {
    const entry = await dropWaiting<T>(records, id);
    if (entry) forgotten?.(entry);
  }
}
