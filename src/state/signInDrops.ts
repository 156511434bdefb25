// Forgetting remembered sign-ins (signIns.ts) without running their commands: a sign out, a
// sign-in cancelled in its window, more waiting for one user than are kept, or a wait whose time
// is over (signInExpiry.ts). A command forgotten so has ended (contract §6 owes its one audit
// line), so each drop tells what it removed, and only the caller whose compare and swap removed an
// entry hears of it: of callers racing on any instance (a sign out on each, the expiry pass, a
// token exchange or verifyState taking it to run) exactly one removes or takes it, and only that
// one may tell that the command ended.

import type { Records } from './port';
import { ENTRY, Stored, WaitingNow } from './signInLookup';
import { waiting } from './signInRanMarks';
import type { PendingSignIn } from './signIns';
import { updateRecord } from './update';

/** Hears a remembered sign-in as soon as it was forgotten without running (its command ended),
 * before anything else can fail: a store that fails on the next one loses no word of this one.
 * `expired`: its time to wait was over when it was forgotten. */
export type Forgotten<T> = (entry: PendingSignIn<T>, expired: boolean) => void;

/**
 * Forgets the sign-in `id` unless its command ran (the mark of a run stays): one still waiting, or
 * one whose time is over (`waitingNow` tells them apart); with `expiredOnly`, only the latter.
 * What this call removed, or null (absent, ran, or removed by another caller).
 */
export async function dropWaiting<T>(
  records: Records,
  id: string,
  waitingNow: WaitingNow<T>,
  expiredOnly = false,
): Promise<{ entry: PendingSignIn<T>; expired: boolean } | null> {
  let removed: { entry: PendingSignIn<T>; expired: boolean } | null = null;
  await updateRecord<Stored<T>>(
    records,
    ENTRY + id,
    (current) => {
      // Called once per attempt: the decision of the last one is the one that was written.
      const entry = waiting(current);
      const expired = entry !== null && waitingNow(entry) === null;
      removed = entry && (expired || !expiredOnly) ? { entry, expired } : null;
      return removed ? 'remove' : 'keep';
    },
    'keep',
  );
  return removed;
}

/** dropWaiting for each of `ids`, in order, telling `forgotten` of each entry this call removed. */
export async function dropAllWaiting<T>(
  records: Records,
  ids: readonly string[],
  waitingNow: WaitingNow<T>,
  forgotten?: Forgotten<T>,
): Promise<void> {
  for (const id of ids) {
    const dropped = await dropWaiting<T>(records, id, waitingNow);
    if (dropped) forgotten?.(dropped.entry, dropped.expired);
  }
}
