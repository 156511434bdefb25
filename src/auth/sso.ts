// Teams SSO without an Azure Bot OAuth connection (teams-platform.md §2.1 pattern B): the bot
// sends its own OAuth card, handles signin/tokenExchange itself and exchanges the SSO token on
// behalf of the user. Waiting sign-ins live in the shared state (any instance may receive the
// exchange); tokens only in memory. Every SSO token is bound to the activity's user before it is
// exchanged or cached. Channel-agnostic: it speaks in plain objects.

import { randomUUID } from 'node:crypto';
import { SignInRequiredError, isDomainError } from '../domain/errors';
import type { SignInReason, SignInStates } from '../state/signInStates';
import { PendingMeta, PendingSignIns } from '../state/signIns';
import { ExchangeDuplicates } from './exchangeDuplicates';
import type { ExchangeResult, SsoSource, TokenExchangeRequest, TokenResolution, VerifyOutcome } from './signInResults';
import type { PendingSignInView } from './pages/context';
import { KeptTokens } from './keptTokens';
import { oauthCard } from './oauthCard';
import type { SignOutMarks } from './signOuts';
import { OboExchanger, UserTokenCache, claimsOf } from './tokens';
import { Subject, subjectProblem } from './tokenSubject';

export interface SignInFlowOptions<T> {
  readonly exchanger: OboExchanger;
  readonly cache: UserTokenCache;
  readonly pending: PendingSignIns<T>;
  /** Application ID URI of the SSO app, e.g. api://botid-{appId}; Teams uses the manifest's. */
  readonly resourceUri: string | null;
  /** Where tokens come from without asking, if anywhere. */
  readonly silent?: SsoSource | null;
  /** The bot's sign-in start page for a pending sign-in: the OAuth card's button opens it. */
  readonly signInUrl: (pendingId: string, reason?: SignInReason, claims?: string) => string;
  /** The one-time states of the sign-in pages (`signin/verifyState`). */
  readonly states?: SignInStates | null;
  /** Sign outs shared by every instance (absent: a sign out reaches this instance's memory only). */
  readonly signOuts?: SignOutMarks | null;
}

/** Why SSO failed, if the sign-in page can mend it: consent, MFA, or an expired or revoked grant
 * (silent SSO would hand over the same cached token; the page's interactive sign-in does not). */
export function pageReason(error: SignInRequiredError): SignInReason | undefined {
  return error.reason === 'consent' || error.reason === 'mfa' || error.reason === 'expired' ? error.reason : undefined;
}

type OAuthCard = ReturnType<typeof oauthCard>;

const WRONG_SUBJECT = 'This sign-in belongs to someone else, so it was not used. Sign in as yourself.';
const SIGNED_OUT = 'You signed out before the sign-in finished, so it was not kept. Send the command again.';

export class SignInFlow<T> {
  /** The users' tokens in this instance's memory, which a sign out always wins over. */
  private readonly tokens: KeptTokens;
  private readonly duplicates = new ExchangeDuplicates<ExchangeResult<T>>();

  constructor(private readonly opts: SignInFlowOptions<T>) {
    this.tokens = new KeptTokens(opts.cache, opts.exchanger, opts.signOuts ?? null);
  }

  /** Can a missing token be obtained without asking the user? */
  get silent(): boolean {
    return Boolean(this.opts.silent);
  }

  /**
   * Remembers what the user asked for and returns the OAuth card to send. `meta.reason` (and
   * `meta.claims`) when the silent exchange already failed: the start page then asks for it.
   */
  async begin(aadObjectId: string, payload: T, meta: PendingMeta = {}): Promise<{ id: string; card: OAuthCard }> {
    const id = randomUUID();
    await this.opts.pending.add(id, aadObjectId, payload, meta);
    return { id, card: this.oauthCard(id, meta.reason, meta.claims) };
  }

  /** The OAuth card of a pending sign-in (oauthCard.ts), its button at this sign-in's start page;
   * without single sign-on, saying `fallback`, when that is given. */
  oauthCard(id: string, reason?: SignInReason, claims?: string, fallback?: string): OAuthCard {
    return oauthCard(id, this.opts.resourceUri, this.opts.signInUrl(id, reason, claims), reason, fallback);
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
   * of the user's clients may hold it (it takes the sign-in during its on-behalf-of call and puts
   * it back if that fails), or it ran already; nothing waits to run from the page then. Without a
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
   * activity that brought it, and takes what waited for that sign-in (null for a click, which
   * Teams re-sends itself).
   */
  async verify(state: unknown, user: Subject | null): Promise<VerifyOutcome<T>> {
    if (!this.opts.states) return { kind: 'problem', problem: 'unknown' };
    const result = await this.opts.states.verify(state, user?.aadObjectId);
    if ('problem' in result) return { kind: 'problem', problem: result.problem };
    const entry = await this.opts.pending.take(result.pendingId);
    const payload = entry?.payload ?? null;
    const held = user ? await this.tokens.held(user.aadObjectId) : null;
    return held ? { kind: 'signedIn', payload } : { kind: 'tokenElsewhere', payload };
  }

  /** The id of a remembered command (of those `match` accepts), so a verifyState can re-send its card. */
  latestFor(aadObjectId: string, match?: (payload: T) => boolean): Promise<string | null> {
    return this.opts.pending.latestFor(aadObjectId, match);
  }

  /** First report of this sign-in's failure (any instance): its mark's undo; null after (signIns.ts). */
  firstFailureReport(id: string, aadObjectId: string, here: string): Promise<(() => Promise<boolean>) | null> {
    return this.opts.pending.firstFailureReport(id, aadObjectId, here);
  }

  failureSeenIn(aadObjectId: string, here: string): Promise<boolean> {
    return this.opts.pending.failureSeenIn(aadObjectId, here);
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

  /**
   * Handles signin/tokenExchange. Only the user who typed the command runs it, and only with
   * their own token; any other member whose client answered the card is acknowledged and nothing
   * runs. Of duplicate invokes (Teams sends one per client) exactly one exchanges; one that
   * arrives while it is on its way is answered as it ends (exchangeDuplicates.ts).
   */
  async exchange(request: TokenExchangeRequest, user: Subject | null): Promise<ExchangeResult<T>> {
    const { id, token } = request;
    if (typeof id !== 'string' || id === '' || typeof token !== 'string' || token === '') {
      return { status: 400, kind: 'badRequest', failureDetail: 'The token exchange request needs an id and a token.' };
    }
    if (!user) return { status: 200, kind: 'ignored', why: 'otherUser' };
    for (;;) {
      // Checked and registered in one tick, so of concurrent duplicates exactly one exchanges.
      const running = this.duplicates.running(id, user.aadObjectId);
      if (!running) return this.duplicates.track(id, user.aadObjectId, this.exchangeOnce(id, token, user));
      const first = await running;
      // Only a success is shared. This client's token may work where the other's did not (one
      // device's expired, another's fresh), so after a failure it is exchanged in its turn, as
      // botbuilder's TeamsSSOTokenExchangeMiddleware does: it de-duplicates successes only.
      if (first.status !== 412) return duplicateOf(first);
    }
  }

  private async exchangeOnce(id: string, token: string, user: Subject): Promise<ExchangeResult<T>> {
    const waiting = await this.opts.pending.get(id);
    if (!waiting) return { status: 200, kind: 'ignored', why: 'unknownId' };
    if (user.aadObjectId.toLowerCase() !== waiting.aadObjectId) {
      return { status: 200, kind: 'ignored', why: 'otherUser' };
    }
    if (subjectProblem(token, user) !== null) {
      // A token that is not this user's is never exchanged; to Teams and to the user that is a
      // failed exchange (412: Teams shows the card's Sign in button), and the command keeps
      // waiting for the sign-in pages. https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
      return {
        status: 412,
        kind: 'failed',
        error: new SignInRequiredError('The token Teams sent is not the token of this user.', 'unknown'),
        failureDetail: 'The token does not belong to the user of this activity.',
        payload: waiting.payload,
        told: !this.duplicates.firstFailure(id, 'wrongToken'),
      };
    }
    const entry = await this.opts.pending.take(id);
    if (!entry) return { status: 200, kind: 'ignored', why: 'duplicate' };
    try {
      // The user signed out meanwhile: sign out forgot the command too, so nothing runs.
      if (!(await this.tokens.exchange(user.aadObjectId, token)))
        return { status: 200, kind: 'ignored', why: 'signedOut' };
      return { status: 200, kind: 'signedIn', payload: entry.payload };
    } catch (e) {
      // The command keeps waiting, with the reason its start page must ask for (consent, MFA, login).
      const error = asSignInError(e);
      const reason = pageReason(error);
      const claims = claimsOf(error);
      await this.opts.pending.restore(reason ? { ...entry, reason, ...(claims ? { claims } : {}) } : entry);
      return {
        status: 412,
        kind: 'failed',
        error,
        failureDetail: 'The bot is unable to exchange the token. Ask the user to sign in and consent.',
        payload: entry.payload,
        told: !this.duplicates.firstFailure(id, error.reason),
      };
    }
  }

  /** Forgets the user's token and every command waiting for their sign-in; an exchange still on
   * its way keeps nothing. */
  async forgetUser(aadObjectId: string): Promise<void> {
    // The waiting sign-ins go before the sign-out mark changes: the end page keeps its token only
    // while its sign-in waits or its start page's mark is unchanged, under the mark it read before
    // looking (KeptTokens.keepIf). In the other order an end page could read the new mark, still
    // find its sign-in, and keep a token that the sign out it came after never retires; and a
    // start page could find the sign-in under the new mark (pendingView), which would then never
    // change for this sign out.
    await this.opts.pending.forgetUser(aadObjectId);
    await this.tokens.signOut(aadObjectId);
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

/** The answer to a duplicate: the status of the exchange it duplicates, and nothing to run. */
function duplicateOf<T>(first: ExchangeResult<T>): ExchangeResult<T> {
  if (first.status !== 412) return { status: 200, kind: 'duplicate' };
  return { status: 412, kind: 'duplicate', ...(first.failureDetail ? { failureDetail: first.failureDetail } : {}) };
}

function asSignInError(e: unknown): SignInRequiredError {
  if (e instanceof SignInRequiredError) return e;
  return new SignInRequiredError(isDomainError(e) ? e.message : 'Sign-in did not complete.', 'unknown');
}
