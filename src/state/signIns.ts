// Sign-ins waiting for Teams' token exchange, with the command the user typed, in the state
// every instance shares: the signin/tokenExchange may reach another instance than the message
// that started it. Tokens never come here (they stay in memory); only who asked and what for.

import { Entry, Records } from './port';
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

const ENTRY = 'signin:';
const USER = 'signin-user:';
/** The id of a card sent again for a waiting sign-in (moveTo) → the id its entry is kept under. */
const MOVED = 'signin-moved:';
/** A sign-in whose command was taken to run (take, finish): the user's other clients and windows
 * then hear "it ran", not "send it again". Only the id and when; never a token. */
const RAN = 'signin-ran:';

export class PendingSignIns<T> {
  private readonly ttlMs: number;
  private readonly maxPerUser: number;
  private readonly now: () => number;
  /** Teams' signin/failure reports told already (per card), shared by every instance. */
  readonly failures: SignInFailureMarks;

  constructor(
    private readonly records: Records,
    opts: SignInsOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 15 * 60_000;
    this.maxPerUser = opts.maxPerUser ?? 5;
    this.now = opts.now ?? Date.now;
    this.failures = new SignInFailureMarks(records, this.ttlMs, this.now);
  }

  async add(id: string, aadObjectId: string, payload: T, meta: PendingMeta = {}): Promise<void> {
    const user = aadObjectId.toLowerCase();
    const entry: PendingSignIn<T> = { ...meta, id, aadObjectId: user, payload, createdAt: this.now() };
    await this.records.put(ENTRY + id, entry, { ttlMs: this.ttlMs });
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
    for (const old of dropped) await this.records.delete(ENTRY + old);
  }

  async get(id: string): Promise<PendingSignIn<T> | null> {
    return (await this.found(id))?.entry.value ?? null;
  }

  /** Removes the entry for the one caller that may run it (the sign-in pages' verifyState): null
   * when absent or taken by another. A lease does not stop it: the exchange that holds it then
   * finds it gone (finish) and runs nothing. */
  async take(id: string): Promise<PendingSignIn<T> | null> {
    const found = await this.found(id);
    if (!found) return null;
    if (!(await this.records.delete(found.key, found.entry.version))) return null;
    await this.noteRan(found.entry.value.id);
    return found.entry.value;
  }

  /**
   * Whether the command of `id` (or of the sign-in a card sent again was moved from) was taken to
   * run lately, by any instance: false when it is unknown, expired, forgotten by a sign out, or
   * the record was not written (ran() then answers as for a sign-in that is gone).
   */
  async ran(id: string): Promise<boolean> {
    if (await this.records.get(RAN + id)) return true;
    const moved = await this.records.get<{ id: string }>(MOVED + id);
    return moved !== null && (await this.records.get(RAN + moved.value.id)) !== null;
  }

  /** After the one caller removed the entry to run it: for as long as a sign-in may wait, the
   * cards of that sign-in still around (the user's other clients) can say so. Best effort: the
   * command runs whatever the store does now, since it is no longer waiting anywhere. */
  private async noteRan(entryId: string): Promise<void> {
    try {
      await this.records.put(RAN + entryId, { at: this.now() }, { ttlMs: this.ttlMs });
    } catch {
      // Not recorded: a later verifyState of this sign-in answers as for one that is gone.
    }
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

  /** The entry of `id` and its key: its own, or that of the sign-in it was moved from (moveTo). */
  private async found(id: string): Promise<{ key: string; entry: Entry<PendingSignIn<T>> } | null> {
    const own = await this.records.get<PendingSignIn<T>>(ENTRY + id);
    if (own) return { key: ENTRY + id, entry: own };
    const moved = await this.records.get<{ id: string }>(MOVED + id);
    if (!moved) return null;
    const entry = await this.records.get<PendingSignIn<T>>(ENTRY + moved.value.id);
    return entry ? { key: ENTRY + moved.value.id, entry } : null;
  }

  /** Changes the entry of `id` in place (compare and swap, its expiry kept), found as `found`
   * finds it: under its own key first, and only when nothing is there, through a move. */
  private async change(
    id: string,
    change: (current: PendingSignIn<T> | null) => Change<PendingSignIn<T>>,
  ): Promise<PendingSignIn<T> | null> {
    let seen = false;
    const after = await updateRecord<PendingSignIn<T>>(
      this.records,
      ENTRY + id,
      (current) => {
        seen = current !== null;
        return change(current);
      },
      'keep',
    );
    if (seen) return after;
    const moved = await this.records.get<{ id: string }>(MOVED + id);
    if (!moved) return null;
    return updateRecord<PendingSignIn<T>>(this.records, ENTRY + moved.value.id, change, 'keep');
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
   * The exchange `by` succeeded: removes the entry (compare and swap) unless another exchange
   * holds it now or it is gone (a sign out, or the sign-in pages' verifyState, took it). True for
   * the one caller that removed it: only that one runs the command.
   */
  async finish(id: string, by: string): Promise<boolean> {
    let removed = null as string | null;
    await this.change(id, (current) => {
      removed = current !== null && !this.held(current, by) ? current.id : null;
      return removed !== null ? 'remove' : 'keep';
    });
    if (removed === null) return false;
    await this.noteRan(removed);
    return true;
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
      const entry = await this.records.get<PendingSignIn<T>>(ENTRY + id);
      if (entry && (!match || match(entry.value.payload))) return id;
    }
    return null;
  }

  /**
   * The first report, on any instance, of a failure of the card this user's waiting sign-in `id`
   * was last sent on (its own, or the one sent again: moveTo): the undo of that mark, for when the
   * card it leads to is not sent, so that a later report sends it. Null after (signInFailureMarks.ts).
   */
  async firstFailureReport(id: string, aadObjectId: string, conversationId: string): Promise<UndoMark | null> {
    const card = (await this.records.get<PendingSignIn<T>>(ENTRY + id))?.value.card ?? id;
    return this.failures.firstReport(card, id, aadObjectId, conversationId);
  }

  /**
   * The card last sent for this user's waiting sign-in `id` goes again as it was (its move failed:
   * verifyState): a failure Teams reports of it now is news, so its mark no longer stands.
   */
  async sentAgain(id: string, aadObjectId: string): Promise<void> {
    const found = await this.found(id);
    const entry = found?.entry.value;
    if (entry && entry.aadObjectId === aadObjectId.toLowerCase()) {
      await this.failures.forget(entry.card ?? entry.id, aadObjectId);
    }
  }

  async forgetUser(aadObjectId: string): Promise<void> {
    const key = USER + aadObjectId.toLowerCase();
    const ids = (await this.records.get<{ ids: string[] }>(key))?.value.ids ?? [];
    for (const id of ids) await this.records.delete(ENTRY + id);
    await this.records.delete(key);
  }
}
