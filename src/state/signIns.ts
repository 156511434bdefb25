// Sign-ins waiting for Teams' token exchange, with the command the user typed, in the state
// every instance shares: the signin/tokenExchange may reach another instance than the message
// that started it. Tokens never come here (they stay in memory); only who asked and what for.

import { Expiry, Records } from './port';
import { Forgotten, dropAllWaiting } from './signInDrops';
import { ExpiryClock, KEEP_MS, endExpired, noteDue, waitingNowOf } from './signInExpiry';
import { ENTRY, MOVED, SignInNow, Stored, live, locate, ownOrMoved, settle, settleAt } from './signInLookup';
import type { WaitingNow } from './signInLookup';
import { ranMark } from './signInRanMarks';
import { SignInFailureMarks, UndoMark } from './signInFailureMarks';
import type { SignInReason } from './signInStates';
import { Change, updateRecord } from './update';

/** What the sign-in pages need besides the user: never a token, only why and for whom. */
export interface PendingMeta {
  /** The user's tenant (the activity's), so the end page can check the token's `tid`. */
  readonly tenantId?: string;
  /** Why the silent SSO exchange failed, once it has: the start page asks for consent or MFA. */
  readonly reason?: SignInReason;
  /** The claims challenge of an MFA / Conditional Access failure (a JSON object as text). */
  readonly claims?: string;
}

/** A token exchange of the sign-in on its way: who holds it and until when (the state's clock). */
export interface ExchangeLease {
  readonly by: string;
  readonly until: number;
}

export interface PendingSignIn<T> extends PendingMeta {
  readonly id: string;
  readonly aadObjectId: string;
  readonly payload: T;
  readonly createdAt: number;
  /** Set while a token exchange holds the sign-in; the entry stays, so a holder that dies loses
   * nothing: its lease ends and the sign-in is there for the next exchange and the sign-in pages. */
  readonly lease?: ExchangeLease;
  /** The id of the card last sent for this sign-in when not `id` (sent again: moveTo): a failure
   * Teams reports now is that card's, which the user was not told about yet. */
  readonly card?: string;
}

export interface SignInsOptions {
  /** How long a remembered command waits for sign-in. */
  readonly ttlMs?: number;
  /** Remembered commands per user; the newest are kept. */
  readonly maxPerUser?: number;
  readonly now?: () => number;
}

const USER = 'signin-user:';

export class PendingSignIns<T> {
  private readonly ttlMs: number;
  private readonly maxPerUser: number;
  private readonly now: () => number;
  /** Teams' signin/failure reports told already (per card), shared by every instance. */
  readonly failures: SignInFailureMarks;
  /** The entry when it waits now (not run, its time not over): signInExpiry.ts. */
  private readonly waitingNow: WaitingNow<T>;
  private readonly clock: ExpiryClock;

  constructor(
    private readonly records: Records,
    opts: SignInsOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 15 * 60_000;
    this.maxPerUser = opts.maxPerUser ?? 5;
    this.now = opts.now ?? Date.now;
    this.failures = new SignInFailureMarks(records, this.ttlMs, this.now);
    this.clock = { ttlMs: this.ttlMs, now: this.now };
    this.waitingNow = waitingNowOf<T>(this.clock);
  }

  /** Remembers a sign-in; `forgotten` hears each older one of the user's it forgot (maxPerUser). */
  async add(
    id: string,
    aadObjectId: string,
    payload: T,
    meta: PendingMeta = {},
    forgotten?: Forgotten<T>,
  ): Promise<void> {
    const user = aadObjectId.toLowerCase();
    const entry: PendingSignIn<T> = { ...meta, id, aadObjectId: user, payload, createdAt: this.now() };
    await noteDue(this.records, this.clock, id, entry.createdAt);
    // Readable after its time is over, until the one caller that ends it tells so (signInExpiry.ts).
    await this.records.put(ENTRY + id, entry, { ttlMs: this.ttlMs + KEEP_MS });
    let dropped: string[] = [];
    await updateRecord<{ ids: string[] }>(
      this.records,
      USER + user,
      (current) => {
        const ids = [...(current?.ids ?? []).filter((x) => x !== id), id];
        dropped = ids.slice(0, Math.max(0, ids.length - this.maxPerUser));
        return { next: { ids: ids.slice(dropped.length) } };
      },
      { ttlMs: this.ttlMs },
    );
    await dropAllWaiting<T>(this.records, dropped, this.waitingNow, forgotten);
  }

  /** The waiting entry of `id` (or of the sign-in a card sent again was moved from), or null. */
  async get(id: string): Promise<PendingSignIn<T> | null> {
    return live(await locate<T>(this.records, id), this.waitingNow)?.value ?? null;
  }

  /** Waiting, or gone and whether its command ran (signInLookup.ts), from one lookup. */
  async lookup(id: string): Promise<SignInNow<T>> {
    return settle(this.records, id, await locate<T>(this.records, id), this.waitingNow);
  }

  /** Whether the command of `id` was taken to run lately, by any instance (lookup). A sign out
   * after it ran leaves the mark: the command did run. */
  async ran(id: string): Promise<boolean> {
    return (await this.lookup(id)).ran;
  }

  /** Takes the entry for the one caller that may run it (the sign-in pages' verifyState), leaving
   * the mark of its run in its place (compare and swap), remembered as long as a sign-in may wait:
   * `entry` is what it took; null when absent or taken by another, with whether it ran (lookup).
   * A lease does not stop it: the exchange that holds it then finds it gone (finish), runs nothing. */
  async take(id: string): Promise<SignInNow<T>> {
    const found = await locate<T>(this.records, id);
    const entry = live(found, this.waitingNow);
    if (!found || !entry) return settle(this.records, id, found, this.waitingNow);
    const key = ENTRY + found.entryId;
    const mark = ranMark(entry.value.id, this.now());
    if ((await this.records.replace(key, mark, entry.version, { ttlMs: this.ttlMs })) !== null) {
      return { entry: entry.value, ran: false };
    }
    // Changed since it was read. Still waiting (an exchange leased it, or noted why it failed, on
    // any instance): taken all the same, for "nothing waits" would ask the user to send again a
    // command that still runs. Otherwise another caller took it, or a sign out forgot it.
    let taken: PendingSignIn<T> | null = null;
    const now = await updateRecord<Stored<T>>(
      this.records,
      key,
      (current) => {
        taken = this.waitingNow(current);
        return taken ? { next: ranMark(taken.id, this.now()) } : 'keep';
      },
      { ttlMs: this.ttlMs },
    );
    return taken ? { entry: taken, ran: false } : settleAt(this.records, found.entryId, now, this.waitingNow);
  }

  /**
   * Lets this user's waiting sign-in `from` be found under `to` too, for a card sent again (a
   * fresh token exchange), without the reason its page asked for (that sign-in is done): false
   * when it is not waiting for this user. Still one entry, so whichever card completes, its
   * command runs once; and nothing is taken out and put back, so a state store that fails, or an
   * instance that dies, midway leaves it waiting under `from`, whose card still runs it. `to` is
   * noted as the card last sent, whose signin/failure is then told anew (firstFailureReport).
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
    await this.records.put(MOVED + to, { id: kept }, { ttlMs: this.ttlMs });
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
      return mine && current ? { next: { ...current, lease: { by, until: this.now() + ms } } } : 'keep';
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
        return taken !== null ? { next: ranMark(taken.id, this.now()) } : 'keep';
      },
      { ttlMs: this.ttlMs },
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
    return entry.lease !== undefined && entry.lease.by !== by && entry.lease.until > this.now();
  }

  /** The newest sign-in still waiting for this user (of those `match` accepts, when given). */
  async latestFor(aadObjectId: string, match?: (payload: T) => boolean): Promise<string | null> {
    const ids = (await this.records.get<{ ids: string[] }>(USER + aadObjectId.toLowerCase()))?.value.ids ?? [];
    for (const id of [...ids].reverse()) {
      const entry = this.waitingNow((await this.records.get<Stored<T>>(ENTRY + id))?.value);
      if (entry && (!match || match(entry.payload))) return id;
    }
    return null;
  }

  /**
   * The first report, on any instance, of a failure of the card this user's waiting sign-in `id`
   * was last sent on (its own, or the one sent again: moveTo): the undo of that mark, for when the
   * card it leads to is not sent, so that a later report sends it. Null after (signInFailureMarks.ts).
   */
  async firstFailureReport(id: string, aadObjectId: string, conversationId: string): Promise<UndoMark | null> {
    const card = this.waitingNow((await this.records.get<Stored<T>>(ENTRY + id))?.value)?.card ?? id;
    return this.failures.firstReport(card, id, aadObjectId, conversationId);
  }

  /**
   * The card last sent for this user's waiting sign-in `id` goes again as it was (its move failed:
   * verifyState): a failure Teams reports of it now is news, so its mark no longer stands.
   */
  async sentAgain(id: string, aadObjectId: string): Promise<void> {
    const entry = live(await locate<T>(this.records, id), this.waitingNow)?.value;
    if (entry && entry.aadObjectId === aadObjectId.toLowerCase()) {
      await this.failures.forget(entry.card ?? entry.id, aadObjectId);
    }
  }

  /** A sign out: forgets the user's sign-ins that wait (`forgotten` hears each this call forgot, as
   * it forgets it: signInDrops.ts); those whose command ran still say so. */
  async forgetUser(aadObjectId: string, forgotten?: Forgotten<T>): Promise<void> {
    const key = USER + aadObjectId.toLowerCase();
    const ids = (await this.records.get<{ ids: string[] }>(key))?.value.ids ?? [];
    await dropAllWaiting<T>(this.records, ids, this.waitingNow, forgotten);
    await this.records.delete(key);
  }

  /** The periodic pass: ends the sign-ins whose time ran out, telling `ended` (signInExpiry.ts). */
  endExpired(ended: Forgotten<T>, stop?: AbortSignal): Promise<number> {
    return endExpired<T>(this.records, this.clock, ended, stop);
  }
}
