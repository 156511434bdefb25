// signin/tokenExchange: Teams sends the user's SSO token for a waiting sign-in, and the bot
// exchanges it on behalf of the user and runs what waited. The waiting sign-in stays in the shared
// state while Entra answers, under a lease that names this exchange (signIns.ts): of concurrent
// exchanges on any instance exactly one holds it; success removes it (compare and swap) and runs
// the command once; failure ends the lease in place. Never taken out and put back, so an instance
// that dies, or a state store that fails, mid-exchange leaves the command waiting: the card's Sign
// in button (the sign-in pages) can still run it, and so can a later exchange once the lease ends.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code

import { randomUUID } from 'node:crypto';
import { SignInRequiredError, UpstreamError, isDomainError } from '../domain/errors';
import { StateUnavailableError } from '../state/port';
import type { SignInReason } from '../state/signInStates';
import type { CardReason } from './oauthCard';
import type { PendingMeta, PendingSignIn, PendingSignIns } from '../state/signIns';
import { ExchangeDuplicates } from './exchangeDuplicates';
import type { KeptTokens } from './keptTokens';
import { loginHintOf } from './loginHint';
import { SignInStoreError } from './signInStoreError';
import type { ExchangeResult, TokenExchangeRequest } from './signInResults';
import { claimsOf } from './tokens';
import { Subject, subjectProblem } from './tokenSubject';

/**
 * How long an exchange holds a waiting sign-in. Under it: one read of the user's sign-out mark
 * (the state store's own deadline: 10 s per call on Azure, the lock wait of 5 s on SQLite) and one
 * on-behalf-of request to Entra under MsalOboExchanger's deadline (10 s: the authority's metadata
 * is configured, so MSAL sends nothing else, and its retries are off). A minute leaves room; a
 * holder that outlives it still finishes when no other exchange took the sign-in meanwhile.
 */
export const EXCHANGE_LEASE_MS = 60_000;

/**
 * How often, and how many times, an exchange looks again at a sign-in another instance's exchange
 * holds (the user's other client: Teams sends one per client) before it answers: 20 looks a quarter
 * of a second apart, 5 s, as long as the holder's one read and one call to Entra usually take. Its
 * client must learn how that one ended: 412 after a failure, or it hides the card's Sign in button.
 * Not longer: Azure Bot Service answers the client 504 when the bot has not answered within 10 to
 * 15 s (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance),
 * and the looks' reads of the store, then this client's own exchange after a refusal, come on top
 * (together within a click's budget, CLICK_BUDGET_MS, when the store and Entra answer as usual).
 */
export const HOLDER_POLL_MS = 250;
export const HOLDER_POLLS = 20;

/** Waits `ms` before an exchange looks again at a sign-in another exchange holds. */
export type ExchangePause = (ms: number) => Promise<void>;

const realPause: ExchangePause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why SSO failed, if the sign-in page can mend it: consent, MFA, or an expired or revoked grant
 * (silent SSO would hand over the same cached token; the page's interactive sign-in does not). A
 * managed device asked by Conditional Access is a step of the same kind as MFA: the page sends
 * its claims challenge, and a sign-in from such a device meets it. An expired password is asked
 * for as an expired sign-in is (a fresh sign-in, once the person has changed it). */
export function pageReason(error: SignInRequiredError): SignInReason | undefined {
  if (error.reason === 'device') return 'mfa';
  if (error.reason === 'password') return 'expired';
  return error.reason === 'consent' || error.reason === 'mfa' || error.reason === 'expired' ? error.reason : undefined;
}

/** What the Sign in card of this failure says (oauthCard.ts), when the page can mend it: the
 * page's reason, but a managed device and an expired password in their own words. */
export function cardReason(error: SignInRequiredError): CardReason | undefined {
  return error.reason === 'device' || error.reason === 'password' ? error.reason : pageReason(error);
}

/** The exchange's failure as a sign-in error. Entra unreachable or not serving now (UpstreamError,
 * oboExchanger.ts) is `unavailable`, and the bot's own state store failing meanwhile (the read of
 * the user's sign-out mark: keptTokens.ts) is `stateUnavailable`: either way the person tries
 * again in a moment, not signs in afresh. */
export function asSignInError(e: unknown): SignInRequiredError {
  if (e instanceof SignInRequiredError) return e;
  if (e instanceof UpstreamError) return new SignInRequiredError(e.message, 'unavailable');
  if (e instanceof StateUnavailableError) return new SignInStoreError(e);
  return new SignInRequiredError(isDomainError(e) ? e.message : 'Sign-in did not complete.', 'unknown');
}

export class TokenExchanges<T> {
  private readonly duplicates = new ExchangeDuplicates<ExchangeResult<T>>();
  /** Set once the process stops (stopWaiting); wakes the exchanges waiting between looks. */
  private stopping = false;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly pending: PendingSignIns<T>,
    private readonly tokens: KeptTokens,
    /** Whether only the user sees the Sign in card of this payload (SignInFlowOptions). */
    private readonly seenByTheUserOnly: (payload: T) => boolean = () => false,
    private readonly leaseMs = EXCHANGE_LEASE_MS,
    private readonly pause: ExchangePause = realPause,
  ) {}

  /**
   * The process is stopping: an exchange waiting for another instance's holder looks no more and
   * answers at once as when its looks run out (412: its client's Sign in button still works), so
   * it does not hold the stop's wait for the requests under way (shutdown.ts) for its looks.
   */
  stopWaiting(): void {
    this.stopping = true;
    for (const wake of this.wakers) wake();
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
      // So is the word that another instance's exchange still held the card after all the looks:
      // looking again would only hold this client as long once more.
      if (first.status !== 412 || first.kind === 'duplicate') return duplicateOf(first);
    }
  }

  private async exchangeOnce(id: string, token: string, user: Subject): Promise<ExchangeResult<T>> {
    // Nothing waits under this card's id: its command ran already (another client's exchange or
    // the sign-in pages' verifyState took it), or the id is unknown, expired or forgotten by a sign
    // out. Either way Teams gets 200 and the card shows nothing more; only the log tells them apart.
    const now = await this.pending.lookup(id);
    const waiting = now.entry;
    if (!waiting) return { status: 200, kind: 'ignored', why: gone(now) };
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
        id,
        error: new SignInRequiredError('The token Teams sent is not the token of this user.', 'unknown'),
        failureDetail: 'The token does not belong to the user of this activity.',
        payload: waiting.payload,
        told: !this.duplicates.firstFailure(id, 'wrongToken'),
      };
    }
    const by = randomUUID();
    const held = await this.leaseOrWait(id, user.aadObjectId, by);
    if (held.kind === 'gone') return { status: 200, kind: 'ignored', why: held.why };
    if (held.kind === 'stillHeld') {
      // The holder neither ended nor let go in time (it died, or Entra is slow): the card's Sign in
      // button is shown, whose pages do not wait for a lease; nothing runs here.
      return { status: 412, kind: 'duplicate', failureDetail: 'Another exchange of this sign-in is still on its way.' };
    }
    const entry = held.entry;
    let kept: boolean;
    try {
      kept = await this.tokens.exchange(user.aadObjectId, token);
    } catch (e) {
      // The command keeps waiting, with the reason its start page must ask for (consent, MFA, login).
      const error = asSignInError(e);
      const reason = pageReason(error);
      const claims = claimsOf(error);
      // The token is this user's (subjectProblem above): its user name pre-fills Entra's page, when
      // only they can open the card's Sign in link. In a group chat or a channel any member may
      // (the start page cannot tell who did): their browser would get the user's name, and
      // Entra's page would offer them the user's account.
      const loginHint = this.seenByTheUserOnly(entry.payload) ? loginHintOf(token) : undefined;
      const noted = await this.letGo(id, by, {
        ...(reason ? { reason, ...(claims ? { claims } : {}) } : {}),
        ...(loginHint ? { loginHint } : {}),
      });
      return {
        ...(noted ? {} : { notNoted: true as const }),
        status: 412,
        kind: 'failed',
        id,
        error,
        failureDetail: 'The bot is unable to exchange the token. Ask the user to sign in and consent.',
        payload: entry.payload,
        // Told here before, or by the exchange this one waited for (another instance's), which
        // failed for the same reason and noted it.
        told:
          !this.duplicates.firstFailure(id, error.reason) ||
          (held.waited && reason !== undefined && entry.reason === reason),
      };
    }
    // The user signed out meanwhile: sign out forgot the command too, so nothing runs.
    if (!kept) {
      await this.letGo(id, by, {});
      return { status: 200, kind: 'ignored', why: 'signedOut' };
    }
    // Gone or held by another now: a sign out forgot it, the sign-in pages' verifyState took it to
    // run, or another exchange took it after this one's lease ended. That one runs it, or nothing.
    if (!(await this.pending.finish(id, by))) return { status: 200, kind: 'ignored', why: 'duplicate' };
    return { status: 200, kind: 'signedIn', payload: entry.payload };
  }

  /**
   * Leases the waiting sign-in for the exchange `by`. While another exchange holds it (the user's
   * other client's, on another instance: one on this instance is waited for in memory), looks
   * again until it is gone (that one ran it, or a sign out or the sign-in pages took it), or free
   * (that one failed: this client's token is exchanged in its turn, as in `exchange`), or the
   * looks run out. `waited`: another exchange held it first.
   */
  private async leaseOrWait(
    id: string,
    aadObjectId: string,
    by: string,
  ): Promise<
    | { kind: 'leased'; entry: PendingSignIn<T>; waited: boolean }
    | { kind: 'gone'; why: 'duplicate' | 'alreadyRan' | 'alreadyAnswered' | 'unknownId' }
    | { kind: 'stillHeld' }
  > {
    for (let look = 0; ; look++) {
      const entry = await this.pending.lease(id, aadObjectId, by, this.leaseMs);
      if (entry) return { kind: 'leased', entry, waited: look > 0 };
      const now = await this.pending.lookup(id);
      if (!now.entry || now.entry.aadObjectId !== aadObjectId.toLowerCase()) {
        return { kind: 'gone', why: now.ran ? gone(now) : 'duplicate' };
      }
      if (look >= HOLDER_POLLS || this.stopping) return { kind: 'stillHeld' };
      await this.pauseUnlessStopping();
    }
  }

  /** The pause between two looks, cut short when the process stops. */
  private pauseUnlessStopping(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.wakers.delete(wake);
        resolve();
      };
      this.wakers.add(wake);
      this.pause(HOLDER_POLL_MS).then(wake, wake);
    });
  }

  /**
   * Ends a failed exchange's lease with the reason for the start page, trying once more when the
   * state store fails (a try that comes after the lease ended is harmless: it lets go of this
   * exchange's own lease only, never of a later holder's). False when neither went through:
   * the user is still told what Entra wants, as after any refusal (Teams then shows the card's Sign
   * in button: bot-sso-code), and the sign-in pages, which do not wait for a lease, still run the
   * command; only the reason is not noted for the page, and this card's exchanges from the user's
   * other clients wait until the lease ends.
   */
  private async letGo(id: string, by: string, meta: PendingMeta): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.pending.release(id, by, meta);
        return true;
      } catch {
        if (attempt >= 2) return false;
      }
    }
  }
}

/** The answer to a duplicate: the status of the exchange it duplicates, and nothing to run. */
function duplicateOf<T>(first: ExchangeResult<T>): ExchangeResult<T> {
  if (first.status !== 412) return { status: 200, kind: 'duplicate' };
  return { status: 412, kind: 'duplicate', ...(first.failureDetail ? { failureDetail: first.failureDetail } : {}) };
}

/** Why nothing waits under a card's id: its command ran, its press was answered without running,
 * or the id is unknown, expired or forgotten (signInLookup.ts). */
function gone(now: { ran: boolean; answered?: true }): 'alreadyRan' | 'alreadyAnswered' | 'unknownId' {
  if (!now.ran) return 'unknownId';
  return now.answered ? 'alreadyAnswered' : 'alreadyRan';
}
