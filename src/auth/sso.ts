// Teams SSO without an Azure Bot OAuth connection (teams-platform.md §2.1 pattern B): the bot
// sends its own OAuth card, handles signin/tokenExchange itself and exchanges the SSO token on
// behalf of the user. Waiting sign-ins live in the shared state (any instance may receive the
// exchange); tokens only in memory. Every SSO token is bound to the activity's user before it is
// exchanged or cached. Channel-agnostic: it speaks in plain objects. The sign-in pages' path (start
// page, end page, verifyState) is signInPagePath.ts.

import { randomUUID } from 'node:crypto';
import { SignInRequiredError } from '../domain/errors';
import type { Forgotten } from '../state/signInDrops';
import type { PendingMeta } from '../state/signIns';
import type { ExchangeResult, TokenExchangeRequest, TokenResolution, VerifyOutcome } from './signInResults';
import type { SignInFlowOptions } from './signInFlowOptions';
import type { PendingSignInView, SignedInCallback } from './pages/context';
import { KeptTokens } from './keptTokens';
import { SignInPagePath } from './signInPagePath';
import { ResentTake, takeResent } from './resentTake';
import { CardReason, oauthCard, pageReasonOfCard, signInWords } from './oauthCard';
import { claimsOf } from './tokens';
import { Subject, subjectProblem } from './tokenSubject';
import { TokenExchanges, asSignInError, cardReason } from './tokenExchange';

export type { SignInFlowOptions } from './signInFlowOptions';

export { cardReason, pageReason } from './tokenExchange';

type OAuthCard = ReturnType<typeof oauthCard>;

const WRONG_SUBJECT = 'This sign-in belongs to someone else, so it was not used. Sign in as yourself.';
const SIGNED_OUT = 'You signed out before the sign-in finished, so it was not kept. Send the command again.';

export class SignInFlow<T> {
  /** The users' tokens in this instance's memory, which a sign out always wins over. */
  private readonly tokens: KeptTokens;
  private readonly exchanges: TokenExchanges<T>;
  private readonly pages: SignInPagePath<T>;

  constructor(private readonly opts: SignInFlowOptions<T>) {
    this.tokens = new KeptTokens(opts.cache, opts.exchanger, opts.signOuts ?? null);
    this.exchanges = new TokenExchanges(
      opts.pending,
      this.tokens,
      opts.seenByTheUserOnly ?? (() => false),
      undefined,
      opts.exchangePause,
    );
    this.pages = new SignInPagePath(opts, this.tokens);
  }

  /** Can a missing token be obtained without asking the user? */
  get silent(): boolean {
    return Boolean(this.opts.silent);
  }

  /**
   * Remembers what the user asked for and returns the OAuth card to send. `meta.reason` (and
   * `meta.claims`) when the silent exchange already failed: the start page then asks for it;
   * `meta.cardReason`, what the card's words say of it when not that reason (a managed device),
   * not remembered.
   * `forgotten` hears each of the user's oldest waiting sign-ins this one pushed out (more than
   * are kept): its command ends without running. `waits` false, and its card not to be sent, when
   * a sign out of the user came in while it was remembered and forgot it (signIns.ts add): `gone`
   * heard it.
   */
  async begin(
    aadObjectId: string,
    payload: T,
    { cardReason: words, ...meta }: PendingMeta & { readonly cardReason?: CardReason } = {},
    forgotten?: Forgotten<T>,
    gone?: Forgotten<T>,
  ): Promise<{ id: string; card: OAuthCard; waits: boolean }> {
    const id = randomUUID();
    const waits = await this.opts.pending.add(id, aadObjectId, payload, meta, forgotten, gone);
    return { id, card: this.oauthCard(id, words ?? meta.reason, meta.claims), waits };
  }

  /** The OAuth card of a pending sign-in (oauthCard.ts), its button at this sign-in's start page;
   * without single sign-on, saying `fallback`, when that is given. */
  oauthCard(id: string, reason?: CardReason, claims?: string, fallback?: string): OAuthCard {
    const url = this.opts.signInUrl(id, reason && pageReasonOfCard(reason), claims);
    const resetPage = this.opts.passwordResetPage;
    return oauthCard(id, this.opts.resourceUri, url, {
      reason,
      resetPage,
      ...(fallback === undefined ? {} : { fallback }),
    });
  }

  /**
   * The Sign in card for a token exchange that failed when the state store took neither its reason
   * nor its claims challenge (tokenExchange.ts letGo): its link carries them to the start page
   * (signInUrl's `r` and `c`), which then asks Entra for consent, a fresh login or the claims
   * without the store. Null when the page has nothing to ask for. No single sign-on on it: a silent
   * attempt would fail the same way.
   */
  cardForUnnotedFailure(id: string, error: SignInRequiredError): OAuthCard | null {
    const reason = cardReason(error);
    if (!reason) return null;
    return this.oauthCard(
      id,
      reason,
      claimsOf(error),
      `${signInWords(reason, this.opts.passwordResetPage)} Use the Sign in button of this card.`,
    );
  }

  /** What the sign-in pages need of a pending sign-in, with the user's sign-out mark (signInPagePath.ts). */
  pendingView(id: string): Promise<PendingSignInView | null> {
    return this.pages.pendingView(id);
  }

  /** Records why the silent exchange of a pending sign-in failed, for its start page (signInPagePath.ts). */
  noteFailure(id: string, aadObjectId: string, error: SignInRequiredError): Promise<void> {
    return this.pages.noteFailure(id, aadObjectId, error);
  }

  /** The sign-in pages redeemed a code for this user: keep the token unless they signed out
   * meanwhile; false then (signInPagePath.ts). */
  signedIn(...redeemed: Parameters<SignedInCallback>): Promise<boolean> {
    return this.pages.signedIn(...redeemed);
  }

  /** Checks and consumes the one-time state the end page handed to Teams, for the user of the
   * activity that brought it; `press`: a press Teams re-sent with it (signInPagePath.ts). */
  verify(state: unknown, user: Subject | null, press = false): Promise<VerifyOutcome<T>> {
    return this.pages.verify(state, user, press);
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
  stateSignIn(state: unknown, user: Subject): Promise<string | null> {
    return this.pages.stateSignIn(state, user);
  }

  /** Handles signin/tokenExchange (tokenExchange.ts). */
  exchange(request: TokenExchangeRequest, user: Subject | null): Promise<ExchangeResult<T>> {
    return this.exchanges.exchange(request, user);
  }

  /** The process is stopping: token exchanges waiting for another instance's stop waiting (tokenExchange.ts). */
  stopWaiting(): void {
    this.exchanges.stopWaiting();
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
