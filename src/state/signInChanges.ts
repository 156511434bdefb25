// The changes made in place to a sign-in that waits (signIns.ts): a card sent again (moveTo), why
// its silent exchange failed (note), and a token exchange's hold on it (lease, finish, release).
// Each is one compare and swap on the sign-in's one entry, found as every reader finds it
// (signInLookup.ts); none takes the entry out and puts it back, so a state store that fails, or an
// instance that dies, midway leaves the sign-in, and its command, as it was.

import { Expiry, Records } from './port';
import { ExpiryClock, waitingNowOf } from './signInExpiry';
import { ENTRY, MOVED, Stored, ownOrMoved } from './signInLookup';
import type { WaitingNow } from './signInLookup';
import { ranMark } from './signInRanMarks';
import type { PendingMeta, PendingSignIn } from './signIns';
import { Change, updateRecord } from './update';

/** The in-place changes of PendingSignIns (signIns.ts), which adds, takes and forgets sign-ins. */
export class SignInChanges<T> {
  /** The entry when it waits now (not run, its time not over): signInExpiry.ts. */
  protected readonly waitingNow: WaitingNow<T>;

  constructor(
    protected readonly records: Records,
    protected readonly clock: ExpiryClock,
  ) {
    this.waitingNow = waitingNowOf<T>(clock);
  }

  /**
   * Lets this user's waiting sign-in `from` be found under `to` too, for a card sent again (a
   * fresh token exchange), without the reason its page asked for (that sign-in is done): false
   * when it is not waiting for this user. Still one entry, so whichever card completes, its
   * command runs once; and nothing is taken out and put back, so a state store that fails, or an
   * instance that dies, midway leaves it waiting under `from`, whose card still runs it. `to` is
   * noted as the card last sent, whose signin/failure is then told anew (firstFailureReport, signIns.ts).
   */
  async moveTo(from: string, to: string, aadObjectId: string): Promise<boolean> {
    const user = aadObjectId.toLowerCase();
    let kept: string | null = null;
    await this.change(from, (current) => {
      kept = current !== null && current.aadObjectId === user ? current.id : null;
      if (!current || kept === null) return 'keep';
      const { reason: _done, claims: _met, ...rest } = current;
      return { next: { ...rest, card: to } };
    });
    if (kept === null) return false;
    await this.records.put(MOVED + to, { id: kept }, { ttlMs: this.clock.ttlMs });
    return true;
  }

  /** Changes the entry of `id` in place (compare and swap, its expiry kept unless `expiry` says),
   * found as `locate` finds it: under its own key first, and only when nothing is there, through a
   * move. `change` sees a sign-in whose command ran as absent; the answer is null for it too. */
  private async change(
    id: string,
    change: (current: PendingSignIn<T> | null) => Change<Stored<T>>,
    expiry: Expiry = 'keep',
  ): Promise<PendingSignIn<T> | null> {
    const changed = await ownOrMoved(this.records, id, async (entryId, moved) => {
      let seen = false;
      const after = await updateRecord<Stored<T>>(
        this.records,
        ENTRY + entryId,
        (current) => {
          seen = current !== null;
          return change(this.waitingNow(current));
        },
        expiry,
      );
      return seen || moved ? { after } : null;
    });
    return this.waitingNow(changed?.after);
  }

  /**
   * Notes on a waiting entry of this user why its silent exchange failed, in place (compare and
   * swap, its expiry kept): false when it is not waiting for this user. Never taken out and put
   * back, so a state store that fails midway leaves the entry, and its command, as it was.
   */
  async note(id: string, aadObjectId: string, meta: PendingMeta): Promise<boolean> {
    const user = aadObjectId.toLowerCase();
    const after = await this.change(id, (current) =>
      current && current.aadObjectId === user ? { next: { ...current, ...meta } } : 'keep',
    );
    return after !== null && after.aadObjectId === user;
  }

  /**
   * Marks this user's waiting entry as held by the exchange `by` for `ms`, in place (its expiry
   * kept): the entry, or null when it is not waiting for this user or another exchange holds it
   * (on any instance: compare and swap, so of concurrent exchanges exactly one holds it). A lease
   * that ended (its holder died or hung) no longer counts.
   */
  async lease(id: string, aadObjectId: string, by: string, ms: number): Promise<PendingSignIn<T> | null> {
    const user = aadObjectId.toLowerCase();
    let mine = false;
    const after = await this.change(id, (current) => {
      mine = current !== null && current.aadObjectId === user && !this.held(current, by);
      return mine && current ? { next: { ...current, lease: { by, until: this.clock.now() + ms } } } : 'keep';
    });
    return mine ? after : null;
  }

  /**
   * The exchange `by` succeeded: puts the mark of its run in the entry's place (compare and swap,
   * remembered as long as a sign-in may wait) unless another exchange holds it now or it is gone
   * (a sign out, or the sign-in pages' verifyState, took it). True for the one caller that wrote
   * the mark: only that one runs the command.
   */
  async finish(id: string, by: string): Promise<boolean> {
    let taken: PendingSignIn<T> | null = null;
    await this.change(
      id,
      (current) => {
        taken = current !== null && !this.held(current, by) ? current : null;
        return taken !== null ? { next: ranMark(taken.id, this.clock.now(), taken.aadObjectId) } : 'keep';
      },
      { ttlMs: this.clock.ttlMs },
    );
    return taken !== null;
  }

  /** The exchange `by` failed: ends its lease in place and notes why, for the start page. */
  async release(id: string, by: string, meta: PendingMeta = {}): Promise<void> {
    await this.change(id, (current) => {
      if (current?.lease?.by !== by) return 'keep';
      const { lease: _ended, ...rest } = current;
      return { next: { ...rest, ...meta } };
    });
  }

  /** True when another exchange than `by` holds the entry now. */
  private held(entry: PendingSignIn<T>, by: string): boolean {
    return entry.lease !== undefined && entry.lease.by !== by && entry.lease.until > this.clock.now();
  }
}
