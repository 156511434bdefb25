// The sign-in pages' path of a sign-in (teams-platform.md §2.1 pattern B's fallback, when single
// sign-on gives no token): the start page finds the sign-in waiting, the end page keeps the token
// it redeemed, and the one-time state the end page handed to Teams comes back (signin/verifyState,
// or a press re-sent with it). Each step races the user's sign outs, through the sign-out mark.
// Apart from sso.ts, which is the flow's face to the bot and keeps the single sign-on path.

import { randomUUID } from 'node:crypto';
import type { SignInRequiredError } from '../domain/errors';
import type { PendingSignInView } from './pages/context';
import type { KeptTokens } from './keptTokens';
import type { SignInFlowOptions } from './signInFlowOptions';
import { ranAlready } from './signInResults';
import type { VerifyOutcome } from './signInResults';
import { pageReason } from './tokenExchange';
import { claimsOf } from './tokens';
import type { Subject } from './tokenSubject';

export class SignInPagePath<T> {
  constructor(
    private readonly opts: SignInFlowOptions<T>,
    private readonly tokens: KeptTokens,
  ) {}

  /**
   * What the sign-in pages need of a pending sign-in; null when it is gone. With shared sign outs,
   * also the user's sign-out mark, read before the sign-in is found waiting (looked up again after
   * the mark): a sign out forgets the sign-in before it changes the mark (forgetUser), so a sign-in
   * still found after the read was found under a mark that any later sign out changes. A mark read
   * after the last look could already be the new one of a sign out that came between.
   */
  async pendingView(id: string): Promise<PendingSignInView | null> {
    const signOuts = this.opts.signOuts;
    let entry = await this.opts.pending.get(id);
    let signOutMark: string | null | undefined;
    if (entry && signOuts) {
      signOutMark = await signOuts.current(entry.aadObjectId);
      const again = await this.opts.pending.get(id);
      entry = again && again.aadObjectId === entry.aadObjectId ? again : null;
    }
    if (!entry) return null;
    return {
      aadObjectId: entry.aadObjectId,
      ...(signOutMark !== undefined ? { signOutMark } : {}),
      ...(entry.tenantId ? { tenantId: entry.tenantId } : {}),
      ...(entry.reason ? { reason: entry.reason } : {}),
      ...(entry.claims ? { claims: entry.claims } : {}),
      ...(entry.loginHint ? { loginHint: entry.loginHint } : {}),
    };
  }

  /**
   * Records why the silent exchange of a pending sign-in failed, for its start page: only for the
   * user it belongs to (the id comes from a click, which anyone who saw the card can send). In
   * place: a state store that fails leaves the entry and its command as they were, and throws.
   */
  async noteFailure(id: string, aadObjectId: string, error: SignInRequiredError): Promise<void> {
    const reason = pageReason(error);
    if (!reason) return;
    const claims = claimsOf(error);
    await this.opts.pending.note(id, aadObjectId, { reason, ...(claims ? { claims } : {}) });
  }

  /**
   * The sign-in pages redeemed a code for this user (the end page checked that the person who
   * signed in is the pending sign-in's user): keep the token, in memory only, unless the user
   * signed out while Entra's page was open: false then. With `signOutMark`, the user's mark when
   * the start page found the sign-in waiting, an unchanged mark says there was no sign out since,
   * and the token is kept even when the sign-in is not waiting now: a token exchange from another
   * of the user's clients ran it already (one on its way holds it under a lease, in place, so it
   * still waits), or verifyState took it; nothing waits to run from the page then. Without a
   * mark, the sign-in must still wait (sign outs that forgot it win).
   */
  async signedIn(
    aadObjectId: string,
    accessToken: string,
    expiresOn: number,
    pendingId: string,
    signOutMark?: string | null,
  ): Promise<boolean> {
    const token = { token: accessToken, expiresOnTimestamp: expiresOn };
    const markKnown = signOutMark !== undefined && Boolean(this.opts.signOuts);
    return this.tokens.keepIf(aadObjectId, token, async (markNow) => {
      // The start page's mark still current: no sign out since it found the sign-in waiting (a
      // sign out that changes it after this read makes the kept token unusable: keepIf). Another
      // mark: a sign out since, which wins even if an exchange it overtook put the sign-in back.
      if (markKnown) return markNow === signOutMark;
      const waiting = await this.opts.pending.get(pendingId);
      return waiting !== null && waiting.aadObjectId === aadObjectId.toLowerCase();
    });
  }

  /**
   * Checks and consumes the one-time state the end page handed to Teams, for the user of the
   * activity that brought it. With the user's token here, takes what waited for that sign-in (null
   * for a click, which Teams re-sends itself), last, right before the caller runs it: a state store
   * that fails before leaves the command waiting for the card. With the token elsewhere, nothing
   * is taken: the sign-in waits on, also under a fresh id for the card the caller sends again (a
   * fresh exchange), or, when the state store failed to move it, under its own. Nothing waiting:
   * `ran` says whether its command already ran (signIns.ts lookup), so the user is not asked to send it again.
   * `press`: a press Teams re-sent with the state, which runs with its own data whatever is taken:
   * it takes its remembered press even when that one's time is over (the end page handed the state
   * just before, Teams sent it just after), lest the periodic pass end it with a second line.
   */
  async verify(state: unknown, user: Subject | null, press = false): Promise<VerifyOutcome<T>> {
    if (!this.opts.states) return { kind: 'problem', problem: 'unknown' };
    const result = await this.opts.states.verify(state, user?.aadObjectId);
    if ('problem' in result) return { kind: 'problem', problem: result.problem };
    const held = user ? await this.tokens.held(user.aadObjectId) : null;
    if (held) {
      const pending = this.opts.pending;
      const taken = await (press ? pending.takeLate(result.pendingId) : pending.take(result.pendingId));
      if (taken.entry) return { kind: 'signedIn', payload: taken.entry.payload };
      return { kind: 'signedIn', payload: null, ...ranAlready(taken) };
    }
    const { entry, ...gone } = await this.opts.pending.lookup(result.pendingId);
    if (!entry) return { kind: 'tokenElsewhere', payload: null, id: result.pendingId, ...ranAlready(gone) };
    const id = randomUUID();
    try {
      if (user && (await this.opts.pending.moveTo(result.pendingId, id, user.aadObjectId))) {
        return { kind: 'tokenElsewhere', payload: entry.payload, id };
      }
    } catch {
      // The move writes in place: whatever part the store failed, the sign-in still waits under
      // its own id, so its card is the one sent again. Losing it here would lose the command.
      // Teams tries that card's single sign-on anew: a failure of it must be told again, if the
      // store lets its mark go now (best effort; the card goes either way).
      if (user) await this.opts.pending.sentAgain(result.pendingId, user.aadObjectId).catch(() => undefined);
    }
    return { kind: 'tokenElsewhere', payload: entry.payload, id: result.pendingId };
  }

  /** The user's sign-in a press's one-time `state` (the sign-in pages') names, leaving the state unused. */
  async stateSignIn(state: unknown, user: Subject): Promise<string | null> {
    return this.opts.states ? this.opts.states.pendingOfVerify(state, user.aadObjectId) : null;
  }
}
