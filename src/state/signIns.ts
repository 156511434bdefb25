// Sign-ins waiting for Teams' token exchange, with the command the user typed, in the state
// every instance shares: the signin/tokenExchange may reach another instance than the message
// that started it. Tokens never come here (they stay in memory); only who asked and what for.

import { Records, StateUnavailableError } from './port';
import { Forgotten, dropAllWaiting, dropWaiting } from './signInDrops';
import { SignInChanges } from './signInChanges';
import { KEEP_MS, endExpired, noteDue } from './signInExpiry';
import { ENTRY, SignInNow, Stored, live, locate, settle, settleAt } from './signInLookup';
import { isRan, ranForUser, ranMark, waiting } from './signInRanMarks';
import { SignInFailureMarks, UndoMark } from './signInFailureMarks';
import type { SignInReason } from './signInStates';
import { updateRecord } from './update';

/** What the sign-in pages need besides the user: never a token, only why and for whom. */
export interface PendingMeta {
  /** The user's tenant (the activity's), so the end page can check the token's `tid`. */
  readonly tenantId?: string;
  /** Why the silent SSO exchange failed, once it has: the start page asks for consent or MFA. */
  readonly reason?: SignInReason;
  /** The claims challenge of an MFA / Conditional Access failure (a JSON object as text). */
  readonly claims?: string;
  /** The user name of the user's own SSO token (loginHint.ts), for Entra's `login_hint`: the
   * start page then offers that account first. Never in the sign-in link. */
  readonly loginHint?: string;
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
/** An entry still stored, whether or not its time to wait is over (takeFor, takeLate). */
const stored = <T>(value: Stored<T> | null | undefined): PendingSignIn<T> | null => waiting<PendingSignIn<T>>(value);

/** The sign-ins that wait: added, looked up, taken to run and forgotten here; changed in place
 * while they wait (a card sent again, a failed exchange, a token exchange's lease) in signInChanges.ts. */
export class PendingSignIns<T> extends SignInChanges<T> {
  private readonly maxPerUser: number;
  /** Teams' signin/failure reports told already (per card), shared by every instance. */
  readonly failures: SignInFailureMarks;

  constructor(records: Records, opts: SignInsOptions = {}) {
    super(records, { ttlMs: opts.ttlMs ?? 15 * 60_000, now: opts.now ?? Date.now });
    this.maxPerUser = opts.maxPerUser ?? 5;
    this.failures = new SignInFailureMarks(records, this.clock.ttlMs, this.clock.now);
  }

  /**
   * Remembers a sign-in; `forgotten` hears each older one of the user's it forgot (maxPerUser). Its
   * entry is written last: a store that fails (StateUnavailableError) leaves no entry that a sign
   * in or the expiry pass could run or end later, so the caller that tells the person it failed
   * writes the command's one audit line (contract §6), and nobody else. An index entry with no
   * entry is passed over. An entry write whose failure came after it landed (an answer lost) is
   * removed here, through the compare and swap that lets only one caller end it (signInDrops.ts);
   * when that removal fails too, the store most likely holds nothing (a write refused is not
   * stored), so the failure is still the caller's to tell.
   *
   * A sign out (forgetUser, on any instance) may read the user's index between its write and the
   * entry's: it finds no entry to forget and deletes the index, and the entry written after would
   * wait for a sign-in the user no longer wants, out of every later sign out's reach. So the index
   * is read again once the entry is written: when it no longer names `id`, the entry is forgotten
   * here, through the same compare and swap, and `gone` hears it (a sign out deleted the index; its
   * command ended: its one audit line), or `forgotten` (newer sign-ins of the user pushed it out);
   * false then, and the caller asks for no sign-in. True while it waits.
   */
  async add(
    id: string,
    aadObjectId: string,
    payload: T,
    meta: PendingMeta = {},
    forgotten?: Forgotten<T>,
    gone?: Forgotten<T>,
  ): Promise<boolean> {
    const user = aadObjectId.toLowerCase();
    const entry: PendingSignIn<T> = { ...meta, id, aadObjectId: user, payload, createdAt: this.clock.now() };
    await noteDue(this.records, this.clock, id, entry.createdAt);
    let dropped: string[] = [];
    await updateRecord<{ ids: string[] }>(
      this.records,
      USER + user,
      (current) => {
        const ids = [...(current?.ids ?? []).filter((x) => x !== id), id];
        dropped = ids.slice(0, Math.max(0, ids.length - this.maxPerUser));
        return { next: { ids: ids.slice(dropped.length) } };
      },
      { ttlMs: this.clock.ttlMs },
    );
    await dropAllWaiting<T>(this.records, dropped, this.waitingNow, forgotten);
    try {
      // Readable after its time is over, until the one caller that ends it tells so (signInExpiry.ts).
      await this.records.put(ENTRY + id, entry, { ttlMs: this.clock.ttlMs + KEEP_MS });
    } catch (e) {
      if (e instanceof StateUnavailableError) await dropWaiting<T>(this.records, id, this.waitingNow).catch(() => null);
      throw e;
    }
    let index: { ids: string[] } | undefined;
    try {
      index = (await this.records.get<{ ids: string[] }>(USER + user))?.value;
    } catch (e) {
      // The entry is stored and the store cannot say more: it waits, and its one line comes from
      // its sign-in or the expiry pass. Telling the caller the store failed would add a second.
      if (e instanceof StateUnavailableError) return true;
      throw e;
    }
    if (index?.ids.includes(id)) return true;
    // A store that fails now leaves the entry to the expiry pass, which ends it with its one line;
    // nobody was given its id, so nothing else can run or end it.
    const mine = await dropWaiting<T>(this.records, id, this.waitingNow).catch(() => null);
    // An index without it: newer sign-ins of the user pushed it out (their drops found no entry).
    if (mine) (index ? forgotten : gone)?.(mine.entry, mine.expired);
    return false;
  }

  /** The waiting entry of `id` (or of the sign-in a card sent again was moved from), or null. */
  async get(id: string): Promise<PendingSignIn<T> | null> {
    return live(await locate<T>(this.records, id), this.waitingNow)?.value ?? null;
  }

  /** Waiting, or gone and whether its command ran (signInLookup.ts), from one lookup. */
  async lookup(id: string): Promise<SignInNow<T>> {
    return settle(this.records, id, await locate<T>(this.records, id), this.waitingNow);
  }

  /** Whether the command of `id`, a sign-in of this user, was taken to run lately, by any instance
   * (lookup). A sign out after it ran leaves the mark: the command did run. */
  async ran(id: string, aadObjectId: string): Promise<boolean> {
    return (await this.ended(id, aadObjectId)) !== null;
  }

  /** ran, telling a command that ran from a press answered without running (signInRanMarks.ts). */
  async ended(id: string, aadObjectId: string): Promise<'ran' | 'answered' | null> {
    const now = await this.lookupFor(id, aadObjectId);
    if (now.entry || !now.ran) return null;
    return 'answered' in now && now.answered ? 'answered' : 'ran';
  }

  /** lookup, for this user: the run of another user's sign-in is not theirs to hear of (ran false).
   * `now` tells which entries wait (those whose time is not over, unless told otherwise). */
  async lookupFor(id: string, aadObjectId: string, now = this.waitingNow): Promise<SignInNow<T>> {
    const found = await locate<T>(this.records, id);
    const stored = found?.stored?.value;
    if (stored && isRan(stored) && !ranForUser(stored, aadObjectId)) return { entry: null, ran: false };
    return settle(this.records, id, found, now);
  }

  /** Takes the entry for the one caller that may run it (the sign-in pages' verifyState), leaving
   * the mark of its run in its place (compare and swap), remembered as long as a sign-in may wait:
   * `entry` is what it took; null when absent or taken by another, with whether it ran (lookup).
   * A lease does not stop it: the exchange that holds it then finds it gone (finish), runs nothing.
   * `answered`: taken to end with the answer its press got, not to run; the mark says so, and `by`
   * which take wrote it (a take the store reported failed reads it again: takeResent). */
  async take(id: string, answered = false, by?: string, now = this.waitingNow): Promise<SignInNow<T>> {
    const found = await locate<T>(this.records, id);
    const entry = live(found, now);
    if (!found || !entry) return settle(this.records, id, found, now);
    const key = ENTRY + found.entryId;
    const mark = ranMark(entry.value.id, this.clock.now(), entry.value.aadObjectId, answered, by);
    if ((await this.records.replace(key, mark, entry.version, { ttlMs: this.clock.ttlMs })) !== null) {
      return { entry: entry.value, ran: false };
    }
    // Changed since it was read. Still waiting (an exchange leased it, or noted why it failed, on
    // any instance): taken all the same, for "nothing waits" would ask the user to send again a
    // command that still runs. Otherwise another caller took it, or a sign out forgot it.
    let taken: PendingSignIn<T> | null = null;
    const after = await updateRecord<Stored<T>>(
      this.records,
      key,
      (current) => {
        taken = now(current);
        return taken ? { next: ranMark(taken.id, this.clock.now(), taken.aadObjectId, answered, by) } : 'keep';
      },
      { ttlMs: this.clock.ttlMs },
    );
    return taken ? { entry: taken, ran: false } : settleAt(this.records, found.entryId, after, now);
  }

  /** take, also of an entry whose time to wait is over while it is still stored (the periodic pass
   * has not ended it): for a press Teams re-sent with the sign-in pages' state, which runs now
   * whatever is taken (signInPagePath.ts verify), so the pass, finding it taken, writes no second audit line. */
  takeLate(id: string): Promise<SignInNow<T>> {
    return this.take(id, false, undefined, stored);
  }

  /**
   * Takes this user's waiting sign-in `id` for the press Teams re-sent with their SSO token after
   * its loginRequest (Universal Actions), when `matches` its command: that press runs now, so
   * nothing may run it again nor end it as abandoned (take). One that waits for another user, or
   * for another of theirs, stays waiting (null, not ran); one that ran for another user is not
   * this user's to hear of (null, not ran). `answered`: the press was answered without running (take).
   * One whose time to wait is over is taken too while it is stored (the periodic pass has not ended
   * it): its presser is here now, and the pass, finding it taken, writes no second audit line.
   */
  async takeFor(
    id: string,
    aadObjectId: string,
    matches: (payload: T) => boolean,
    answered = false,
    by?: string,
  ): Promise<SignInNow<T>> {
    const now = await this.lookupFor(id, aadObjectId, stored);
    if (!now.entry) return now;
    if (now.entry.aadObjectId !== aadObjectId.toLowerCase() || !matches(now.entry.payload)) {
      return { entry: null, ran: false };
    }
    return this.take(id, answered, by, stored);
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
