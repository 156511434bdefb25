// Where a sign-in is in the shared state (signIns.ts), and what became of it once it no longer
// waits, in one lookup: a token exchange or a signin/verifyState that finds it gone asks next
// whether its command ran, and that answer comes from the same reads, none made twice. A gone
// sign-in costs at most three reads (its entry, the pointer of a card sent again, and the record
// an older instance wrote of a run), four when it was reached through a card sent again.

import type { Entry, Records } from './port';
import { RanMark, isRan } from './signInRanMarks';
import type { PendingSignIn } from './signIns';

export const ENTRY = 'signin:';
/** The id of a card sent again for a waiting sign-in (moveTo) → the id its entry is kept under. */
export const MOVED = 'signin-moved:';
/** Where an older instance noted a command taken to run, apart from its entry: still read, so
 * its runs still answer "it ran" while instances of both kinds share the store. It is written
 * under the entry's own id only (the entry's `id`, never the id of a card sent again, which
 * always leads to that entry through MOVED), so only the id an entry is kept under is asked. */
const RAN = 'signin-ran:';

export type Stored<T> = PendingSignIn<T> | RanMark;

/**
 * A sign-in now: waiting (its entry; for take, the entry it took to run), or gone, when `ran`
 * says whether its command was taken to run lately by any instance (another client's token
 * exchange, the sign-in pages' verifyState): false when it is unknown, expired, or forgotten by a
 * sign out while it waited, and when the state store cannot say (a gone sign-in is answered the
 * same either way: Teams gets 200; only the words to the user and the log tell them apart).
 */
export type SignInNow<T> =
  | { readonly entry: PendingSignIn<T>; readonly ran: false }
  /** `answered` (with `ran`): its press was answered without running; `by`: the take that ended
   * it, when it named itself (signInRanMarks.ts). */
  | { readonly entry: null; readonly ran: boolean; readonly answered?: true; readonly by?: string };

/** Where the entry of a sign-in is kept (its own key, or that of the sign-in a card sent again was
 * moved from), and what is stored there: a waiting entry, the mark of its run, or nothing. */
export interface Located<T> {
  /** The id the entry is kept under: `ENTRY + entryId` is its key. */
  readonly entryId: string;
  readonly stored: Entry<Stored<T>> | null;
}

/**
 * The order every reader and writer of a sign-in's entry follows: `at` its own id first, and only
 * when it finds nothing there (null), at the id a card sent again was moved from (`moved` true),
 * whose answer stands whatever it is. Null when nothing is at its own id and it was not moved.
 */
export async function ownOrMoved<R>(
  records: Records,
  id: string,
  at: (entryId: string, moved: boolean) => Promise<R | null>,
): Promise<R | null> {
  const own = await at(id, false);
  if (own !== null) return own;
  const moved = await records.get<{ id: string }>(MOVED + id);
  return moved ? at(moved.value.id, true) : null;
}

/** Finds the entry of `id`: under its own key first, and only when nothing is there, through a
 * move. Null when neither is there. A store that fails throws. */
export function locate<T>(records: Records, id: string): Promise<Located<T> | null> {
  return ownOrMoved(records, id, async (entryId, moved) => {
    const stored = await records.get<Stored<T>>(ENTRY + entryId);
    return stored || moved ? { entryId, stored } : null;
  });
}

/** The entry stored for a sign-in when it still waits now: null when absent, when its command ran,
 * and when its time to wait is over (an expired entry stays readable a while, for the one caller
 * that ends it with its audit line: signInExpiry.ts). */
export type WaitingNow<T> = (stored: Stored<T> | null | undefined) => PendingSignIn<T> | null;

/** The waiting entry `locate` found, with its version; null when its command ran or it is gone. */
export function live<T>(found: Located<T> | null, waitingNow: WaitingNow<T>): Entry<PendingSignIn<T>> | null {
  const value = waitingNow(found?.stored?.value);
  return value && found?.stored ? { value, version: found.stored.version } : null;
}

/** What `locate` found, as waiting or gone: for a gone one, whether it ran, asking the older
 * instances' record only when no mark of a run stands in the entry's place. */
export function settle<T>(
  records: Records,
  id: string,
  found: Located<T> | null,
  waitingNow: WaitingNow<T>,
): Promise<SignInNow<T>> {
  return settleAt(records, found?.entryId ?? id, found?.stored?.value ?? null, waitingNow);
}

/** `settle` for what is stored under the entry id `entryId` now. An entry whose time to wait is
 * over is gone, and did not run. */
export async function settleAt<T>(
  records: Records,
  entryId: string,
  stored: Stored<T> | null,
  waitingNow: WaitingNow<T>,
): Promise<SignInNow<T>> {
  if (stored && isRan(stored)) {
    return {
      entry: null,
      ran: true,
      ...(stored.answered ? { answered: true } : {}),
      ...(stored.by ? { by: stored.by } : {}),
    };
  }
  const entry = waitingNow(stored);
  if (entry) return { entry, ran: false };
  if (stored) return { entry: null, ran: false };
  return { entry: null, ran: await ranByOlder(records, entryId) };
}

/** Whether an older instance noted the run of the entry kept under `entryId`; false when the
 * store cannot say (the sign-in is gone either way). */
async function ranByOlder(records: Records, entryId: string): Promise<boolean> {
  try {
    return (await records.get(RAN + entryId)) !== null;
  } catch {
    return false;
  }
}
