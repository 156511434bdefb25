// The two one-time values of the sign-in fallback pages, on the state port so that the sign-in
// may start on one instance and end on another:
// - the authorize `state`: bound to the pending sign-in, its user and the PKCE verifier, from the
//   start page until Entra sends the browser back to the end page (single use, ~10 minutes);
// - the verify state handed to Teams by `authentication.notifySuccess`, which comes back in
//   `signin/verifyState` (single use, bound to the user who signed in, ~5 minutes).
// Single use holds across instances: a state is consumed by deleting it at the version read, and
// only one delete at that version can succeed.
// Keys are a hash of the state, so whoever can read the store cannot replay a live state.
// The start page is reachable by whoever holds a sign-in link (in a group chat, every member sees
// the Sign in card), so the authorize states one pending sign-in may make are counted and capped:
// a flood of starts makes a bounded number of records and writes, and the states made before it
// (the person's own, in flight) stay valid.

import { createHash } from 'node:crypto';
import { randomToken } from '../auth/pages/pkce';
import { Records, StateUnavailableError } from './port';

export type SignInReason = 'consent' | 'mfa' | 'expired';

/** What the end page needs to redeem the code and check who signed in. */
export interface AuthorizeBinding {
  readonly pendingId: string;
  /** The user the pending sign-in belongs to (the activity's `from.aadObjectId`). */
  readonly aadObjectId: string;
  /** That user's tenant, when the pending sign-in knows it. */
  readonly tenantId?: string;
  readonly codeVerifier: string;
  /** The claims challenge sent on the authorize request, sent again when the code is redeemed. */
  readonly claims?: string;
  /**
   * The user's sign-out mark (SignOutMarks.current) as the start page found it, null when they had
   * not signed out: the end page keeps its token while the mark is still the same (no sign out since).
   * Absent: not known (no shared sign-out marks), and the end page needs the pending sign-in waiting.
   */
  readonly signOutMark?: string | null;
}

interface AuthorizeRecord extends AuthorizeBinding {
  readonly expiresAt: number;
}

interface VerifyRecord {
  readonly pendingId: string;
  readonly aadObjectId: string;
  readonly expiresAt: number;
}

export type VerifyProblem =
  /** Never issued, already used, or forgotten by the store after it expired. */
  | 'unknown'
  | 'expired'
  /** Issued to another user: not consumed, the user it belongs to may still use it. */
  | 'otherUser';

export type VerifyResult = { readonly pendingId: string } | { readonly problem: VerifyProblem };

export interface SignInStatesOptions {
  readonly now?: () => number;
  readonly authorizeTtlMs?: number;
  readonly verifyTtlMs?: number;
  /** How many authorize states one pending sign-in may make within `startsWindowMs` (default 10). */
  readonly maxStartsPerSignIn?: number;
  /** How long a pending sign-in's count of starts lives, from its first start (default 15 minutes,
   * a pending sign-in's own lifetime). */
  readonly startsWindowMs?: number;
}

/** The pending sign-in has made as many authorize states as it may: its start page says to send
 * the command again (a new pending sign-in), and nothing was written. */
export class TooManyStartsError extends Error {
  constructor() {
    super('this pending sign-in has started too many times');
    this.name = 'TooManyStartsError';
  }
}

interface StartsRecord {
  readonly count: number;
}

/** Attempts at a count another instance changed meanwhile, before giving up (503). */
const COUNT_ATTEMPTS = 5;

const hashOf = (state: string): string => createHash('sha256').update(state, 'utf8').digest('base64url');
const sameUser = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class SignInStates {
  private readonly now: () => number;
  private readonly authorizeTtlMs: number;
  private readonly verifyTtlMs: number;
  private readonly maxStarts: number;
  private readonly startsWindowMs: number;

  constructor(
    private readonly records: Records,
    options: SignInStatesOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.authorizeTtlMs = options.authorizeTtlMs ?? 10 * 60_000;
    this.verifyTtlMs = options.verifyTtlMs ?? 5 * 60_000;
    this.maxStarts = options.maxStartsPerSignIn ?? 10;
    this.startsWindowMs = options.startsWindowMs ?? 15 * 60_000;
  }

  /**
   * Remembers the binding under a fresh unguessable `state` for the authorize request.
   * @throws TooManyStartsError when the pending sign-in has made its `maxStartsPerSignIn` states.
   */
  async beginAuthorize(binding: AuthorizeBinding): Promise<string> {
    await this.countStart(binding.pendingId);
    const record: AuthorizeRecord = { ...binding, expiresAt: this.now() + this.authorizeTtlMs };
    return this.issue('signin:authorize:', record, this.authorizeTtlMs);
  }

  /** Consumes an authorize `state`: its binding once, then null (also when unknown or expired). */
  async takeAuthorize(state: string): Promise<AuthorizeBinding | null> {
    const key = `signin:authorize:${hashOf(state)}`;
    const entry = await this.records.get<AuthorizeRecord>(key);
    if (!entry) return null;
    if (!(await this.records.delete(key, entry.version))) return null;
    if (entry.value.expiresAt <= this.now()) return null;
    const { expiresAt: _expiresAt, ...binding } = entry.value;
    return binding;
  }

  /** The one-time state the end page hands to Teams for `signin/verifyState`. */
  async issueVerify(pendingId: string, aadObjectId: string): Promise<string> {
    const record: VerifyRecord = { pendingId, aadObjectId, expiresAt: this.now() + this.verifyTtlMs };
    return this.issue('signin:verify:', record, this.verifyTtlMs);
  }

  /**
   * The pending sign-in a verify `state` of `aadObjectId` names, without consuming it: null when it
   * is unknown, used, expired or another user's (verify then says which).
   */
  async pendingOfVerify(state: unknown, aadObjectId: string): Promise<string | null> {
    if (typeof state !== 'string' || state === '' || state.length > 200) return null;
    const entry = await this.records.get<VerifyRecord>(`signin:verify:${hashOf(state)}`);
    if (!entry || !sameUser(entry.value.aadObjectId, aadObjectId) || entry.value.expiresAt <= this.now()) return null;
    return entry.value.pendingId;
  }

  /**
   * Checks and consumes the state of a `signin/verifyState` from `aadObjectId`: the pending
   * sign-in it completes, or why not. Two instances verifying the same state: one wins.
   */
  async verify(state: unknown, aadObjectId: string | undefined): Promise<VerifyResult> {
    if (typeof state !== 'string' || state === '' || state.length > 200) return { problem: 'unknown' };
    const key = `signin:verify:${hashOf(state)}`;
    const entry = await this.records.get<VerifyRecord>(key);
    if (!entry) return { problem: 'unknown' };
    if (!aadObjectId || !sameUser(entry.value.aadObjectId, aadObjectId)) return { problem: 'otherUser' };
    if (!(await this.records.delete(key, entry.version))) return { problem: 'unknown' };
    if (entry.value.expiresAt <= this.now()) return { problem: 'expired' };
    return { pendingId: entry.value.pendingId };
  }

  /** Counts one more start of the pending sign-in, or throws TooManyStartsError without writing. */
  private async countStart(pendingId: string): Promise<void> {
    const key = `signin:starts:${hashOf(pendingId)}`;
    for (let attempt = 0; attempt < COUNT_ATTEMPTS; attempt++) {
      const entry = await this.records.get<StartsRecord>(key);
      if (!entry) {
        const first: StartsRecord = { count: 1 };
        if ((await this.records.create(key, first, { ttlMs: this.startsWindowMs })) !== null) return;
        continue;
      }
      if (entry.value.count >= this.maxStarts) throw new TooManyStartsError();
      const next: StartsRecord = { count: entry.value.count + 1 };
      // 'keep': the window runs from the first start, so a steady trickle cannot keep it open.
      if ((await this.records.replace(key, next, entry.version, 'keep')) !== null) return;
    }
    throw new StateUnavailableError('state store: the count of sign-in starts kept changing');
  }

  private async issue<T>(prefix: string, record: T, ttlMs: number): Promise<string> {
    // 256 random bits never collide in practice; create() still refuses to overwrite one.
    for (let attempt = 0; attempt < 3; attempt++) {
      const state = randomToken();
      if ((await this.records.create(`${prefix}${hashOf(state)}`, record, { ttlMs })) !== null) return state;
    }
    throw new StateUnavailableError('state store: a fresh sign-in state could not be created');
  }
}
