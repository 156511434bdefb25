// Teams SSO without an Azure Bot OAuth connection (teams-platform.md §2.1 pattern B): the bot
// sends its own OAuth card, handles signin/tokenExchange itself and exchanges the SSO token on
// behalf of the user. Waiting sign-ins live in the shared state (any instance may receive the
// exchange); tokens only in memory. Every SSO token is bound to the activity's user before it is
// exchanged or cached. Channel-agnostic: it speaks in plain objects.

import { randomUUID } from 'node:crypto';
import { SignInRequiredError } from '../domain/errors';
import type { SignInReason } from '../state/signInStates';
import type { Forgotten } from '../state/signInDrops';
import type { PendingMeta } from '../state/signIns';
import { ranAlready } from './signInResults';
import type { ExchangeResult, TokenExchangeRequest, TokenResolution, VerifyOutcome } from './signInResults';
import type { SignInFlowOptions } from './signInFlowOptions';
import type { PendingSignInView } from './pages/context';
import { KeptTokens } from './keptTokens';
import { ResentTake, takeResent } from './resentTake';
import { oauthCard, signInWords } from './oauthCard';
import { claimsOf } from './tokens';
import { Subject, subjectProblem } from './tokenSubject';
import { TokenExchanges, asSignInError, pageReason } from './tokenExchange';

export type { SignInFlowOptions } from './signInFlowOptions';

export { pageReason } from './tokenExchange';

type OAuthCard = ReturnType<typeof oauthCard>;

const WRONG_SUBJECT = 'This sign-in belongs to someone else, so it was not used. Sign in as yourself.';
const SIGNED_OUT = 'You signed out before the sign-in finished, so it was not kept. Send the command again.';

export class SignInFlow<T> {
  /** The users' tokens in this instance's memory, which a sign out always wins over. */
  private readonly tokens: KeptTokens;
  private readonly exchanges: TokenExchanges<T>;

  constructor(private readonly opts: SignInFlowOptions<T>) {
    this.tokens = new KeptTokens(opts.cache, opts.exchanger, opts.signOuts ?? null);
    this.exchanges = new TokenExchanges(opts.pending, this.tokens, opts.seenByTheUserOnly ?? (() => false));
  }

  /** Can a missing token be obtained without asking the user? */
  get silent(): boolean {
    return Boolean(this.opts.silent);
  }

  /**
   * Remembers what the user asked for and returns the OAuth card to send. `meta.reason` (and
   * `meta.claims`) when the silent exchange already failed: the start page then asks for it.
   * `forgotten` hears each of the user's oldest waiting sign-ins this one pushed out (more than
   * are kept): its command ends without running. `waits` false, and its card not to be sent, when
   * a sign out of the user came in while it was remembered and forgot it (signIns.ts add): `gone`
   * heard it.
   */
  async begin(
    aadObjectId: string,
    payload: T,
    meta: PendingMeta = {},
    forgotten?: Forgotten<T>,
    gone?: Forgotten<T>,
  ): Promise<{ id: string; card: OAuthCard; waits: boolean }> {
    const id = randomUUID();
    const waits = await this.opts.pending.add(id, aadObjectId, payload, meta, forgotten, gone);
    return { id, card: this.oauthCard(id, meta.reason, meta.claims), waits };
  }

  /** The OAuth card of a pending sign-in (oauthCard.ts), its button at this sign-in's start page;
   * without single sign-on, saying `fallback`, when that is given. */
  oauthCard(id: string, reason?: SignInReason, claims?: string, fallback?: string): OAuthCard {
    return oauthCard(id, this.opts.resourceUri, this.opts.signInUrl(id, reason, claims), reason, fallback);
  }

  /**
   * The Sign in card for a token exchange that failed when the state store took neither its reason
   * nor its claims challenge (tokenExchange.ts letGo): its link carries them to the start page
   * (signInUrl's `r` and `c`), which then asks Entra for consent, a fresh login or the claims
   * without the store. Null when the page has nothing to ask for. No single sign-on on it: a silent
   * attempt would fail the same way.
   */
  cardForUnnotedFailure(id: string, error: SignInRequiredError): OAuthCard | null {
    const reason = pageReason(error);
    if (!reason) return null;
    return this.oauthCard(id, reason, claimsOf(error), `${signInWords(reason)} Use the Sign in button of this card.`);
  }

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

  /** The id of a remembered command (of those `match` accepts), so a verifyState can re-send its card. */
  latestFor(aadObjectId: string, match?: (payload: T) => boolean): Promise<string | null> {
    return this.opts.pending.latestFor(aadObjectId, match);
  }

  /** First report of a failure of the card this sign-in was last sent on (any instance): its
   * mark's undo; null after (signIns.ts). */
  firstFailureReport(id: string, aadObjectId: string, here: string): Promise<(() => Promise<boolean>) | null> {
    return this.opts.pending.firstFailureReport(id, aadObjectId, here);
  }

  /** First report of this failure with nothing waiting for the user here (any instance): its
   * mark's undo; null after (signIns.ts). */
  firstLoneFailureReport(aadObjectId: string, here: string, code: string): Promise<(() => Promise<boolean>) | null> {
    return this.opts.pending.failures.firstLoneReport(aadObjectId, here, code);
  }

  failureSeenIn(aadObjectId: string, here: string): Promise<boolean> {
    return this.opts.pending.failures.seenIn(aadObjectId, here);
  }

  /** The user's token: cached, or from the silent source, or `needed`. */
  async tokenFor(user: Subject): Promise<TokenResolution> {
    const cached = await this.tokens.held(user.aadObjectId);
    if (cached) return { kind: 'token', token: cached };
    if (!this.opts.silent) return { kind: 'needed' };
    const sso = await this.opts.silent(user.aadObjectId);
    if (!sso) return { kind: 'unknownUser' };
    const accepted = await this.accept(user, sso);
    if (!accepted.ok) return { kind: 'failed', error: accepted.error };
    const token = this.tokens.cached(user.aadObjectId);
    return token ? { kind: 'token', token } : { kind: 'needed' };
  }

  /** Exchanges an SSO token that arrived with the user's activity, and keeps the result. */
  async accept(user: Subject, ssoToken: string): Promise<{ ok: true } | { ok: false; error: SignInRequiredError }> {
    if (subjectProblem(ssoToken, user) !== null) return { ok: false, error: new SignInRequiredError(WRONG_SUBJECT) };
    try {
      if (await this.tokens.exchange(user.aadObjectId, ssoToken)) return { ok: true };
      return { ok: false, error: new SignInRequiredError(SIGNED_OUT, 'unknown') };
    } catch (e) {
      return { ok: false, error: asSignInError(e) };
    }
  }

  /** Takes the waiting sign-in that a press re-sent with the user's SSO token names (`authentication.id`), when it
   * waits for this user and `matches` the press (resentTake.ts); `answered`: the press was answered without running. */
  takeResent(
    id: string,
    user: Subject,
    matches: (p: T) => boolean,
    here?: string,
    answered = false,
  ): Promise<ResentTake> {
    return takeResent(this.opts.pending, id, user, matches, here, answered);
  }

  /** A sign-in of the user completed in `conversationId`, its command taken to run: a failure
   * reported there afterwards is a late one (signInFailureMarks.ts answered). Best effort. */
  async ranIn(aadObjectId: string, conversationId: string): Promise<void> {
    await this.opts.pending.failures.answered(aadObjectId, conversationId).catch(() => undefined);
  }

  /** Whether the command of the user's sign-in `id` was taken to run lately, or answered without (signIns.ts ended). */
  pressRan(id: string, user: Subject): Promise<'ran' | 'answered' | null> {
    return this.opts.pending.ended(id, user.aadObjectId);
  }

  /** The user's sign-in a press's one-time `state` (the sign-in pages') names, leaving the state unused. */
  async stateSignIn(state: unknown, user: Subject): Promise<string | null> {
    return this.opts.states ? this.opts.states.pendingOfVerify(state, user.aadObjectId) : null;
  }

  /** Handles signin/tokenExchange (tokenExchange.ts). */
  exchange(request: TokenExchangeRequest, user: Subject | null): Promise<ExchangeResult<T>> {
    return this.exchanges.exchange(request, user);
  }

  /** Forgets the user's token and every command waiting for their sign-in (`sign out`); an
   * exchange still on its way keeps nothing. `forgotten` hears each waiting sign-in this call forgot
   * (its command ends without running; one that a racing caller forgot or ran is not told here). */
  async forgetUser(aadObjectId: string, forgotten?: Forgotten<T>): Promise<void> {
    // The waiting sign-ins go before the sign-out mark changes: the end page keeps its token only
    // while its sign-in waits or its start page's mark is unchanged, under the mark it read before
    // looking (KeptTokens.keepIf), and a start page finds a sign-in only under a mark read before
    // (pendingView). In the other order either could keep a token this sign out never retires.
    await this.forgetWaiting(aadObjectId, forgotten);
    await this.tokens.signOut(aadObjectId);
  }

  /** Forgets only the commands waiting for the user's sign-in (a sign-in window they closed), as
   * forgetUser does; no sign out: a token the user holds stays, and no sign-out mark is written. */
  forgetWaiting(aadObjectId: string, forgotten?: Forgotten<T>): Promise<void> {
    return this.opts.pending.forgetUser(aadObjectId, forgotten);
  }

  /** Drops a token Graph no longer accepts. */
  forgetToken(aadObjectId: string): void {
    this.tokens.forget(aadObjectId);
  }

  /** The cached token, if any (for the actor's token source). */
  cachedToken(aadObjectId: string): string | null {
    return this.tokens.cached(aadObjectId);
  }
}
