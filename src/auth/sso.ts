// Teams SSO without an Azure Bot OAuth connection (teams-platform.md §2.1 pattern B): the bot
// sends its own OAuth card, handles signin/tokenExchange itself and exchanges the SSO token on
// behalf of the user. Waiting sign-ins live in the shared state (any instance may receive the
// exchange); tokens only in memory. Every SSO token is bound to the activity's user before it is
// exchanged or cached. Channel-agnostic: it speaks in plain objects.

import { randomUUID } from 'node:crypto';
import { SignInRequiredError, isDomainError } from '../domain/errors';
import { PendingSignIns } from '../state/signIns';
import { OboExchanger, UserTokenCache } from './tokens';
import { Subject, subjectProblem } from './tokenSubject';

export const OAUTH_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.oauth';

/**
 * Hands out a user's SSO token without asking them, where the host can (the sandbox's simulated
 * Teams SSO). Null when the user is unknown. Teams itself has no such source: it sends tokens in
 * invokes.
 */
export type SsoSource = (aadObjectId: string) => Promise<string | null>;

export interface TokenExchangeRequest {
  readonly id?: unknown;
  readonly connectionName?: unknown;
  readonly token?: unknown;
}

export type ExchangeResult<T> =
  | { readonly status: 200; readonly kind: 'signedIn'; readonly payload: T }
  /** Duplicate or foreign invoke: acknowledged, nothing runs. */
  | { readonly status: 200; readonly kind: 'ignored'; readonly why: 'duplicate' | 'otherUser' | 'unknownId' }
  | {
      readonly status: 412;
      readonly kind: 'failed';
      readonly error: SignInRequiredError;
      readonly failureDetail: string;
      readonly payload: T | null;
    }
  | { readonly status: 400; readonly kind: 'badRequest'; readonly failureDetail: string };

/** A token for the user, or why there is none. */
export type TokenResolution =
  | { readonly kind: 'token'; readonly token: string }
  /** Ask the user (OAuth card or Universal Actions login request). */
  | { readonly kind: 'needed' }
  /** The SSO source does not know this user. */
  | { readonly kind: 'unknownUser' }
  | { readonly kind: 'failed'; readonly error: SignInRequiredError };

export interface SignInFlowOptions<T> {
  readonly exchanger: OboExchanger;
  readonly cache: UserTokenCache;
  readonly pending: PendingSignIns<T>;
  /** Application ID URI of the SSO app, e.g. api://botid-{appId}; Teams uses the manifest's. */
  readonly resourceUri: string | null;
  /** Where tokens come from without asking, if anywhere. */
  readonly silent?: SsoSource | null;
}

const WRONG_SUBJECT = 'This sign-in belongs to someone else, so it was not used. Sign in as yourself.';

export class SignInFlow<T> {
  constructor(private readonly opts: SignInFlowOptions<T>) {}

  /** Can a missing token be obtained without asking the user? */
  get silent(): boolean {
    return Boolean(this.opts.silent);
  }

  /** Remembers what the user asked for and returns the OAuth card to send. */
  async begin(
    aadObjectId: string,
    payload: T,
  ): Promise<{ id: string; card: { contentType: string; content: object } }> {
    const id = randomUUID();
    await this.opts.pending.add(id, aadObjectId, payload);
    return { id, card: this.oauthCard(id) };
  }

  oauthCard(id: string): { contentType: string; content: object } {
    const tokenExchangeResource: Record<string, string> = { id };
    if (this.opts.resourceUri) tokenExchangeResource.uri = this.opts.resourceUri;
    return {
      contentType: OAUTH_CARD_CONTENT_TYPE,
      content: {
        text: 'Sign in to Governance Bot so it can act as you in Microsoft Entra.',
        connectionName: '',
        tokenExchangeResource,
        buttons: [{ type: 'signin', title: 'Sign in', value: '' }],
      },
    };
  }

  /** The id of a remembered command, so a verifyState can re-send its card. */
  latestFor(aadObjectId: string): Promise<string | null> {
    return this.opts.pending.latestFor(aadObjectId);
  }

  /** The user's token: cached, or from the silent source, or `needed`. */
  async tokenFor(user: Subject): Promise<TokenResolution> {
    const cached = this.opts.cache.get(user.aadObjectId);
    if (cached) return { kind: 'token', token: cached };
    if (!this.opts.silent) return { kind: 'needed' };
    const sso = await this.opts.silent(user.aadObjectId);
    if (!sso) return { kind: 'unknownUser' };
    const accepted = await this.accept(user, sso);
    if (!accepted.ok) return { kind: 'failed', error: accepted.error };
    const token = this.opts.cache.get(user.aadObjectId);
    return token ? { kind: 'token', token } : { kind: 'needed' };
  }

  /** Exchanges an SSO token that arrived with the user's activity, and keeps the result. */
  async accept(user: Subject, ssoToken: string): Promise<{ ok: true } | { ok: false; error: SignInRequiredError }> {
    if (subjectProblem(ssoToken, user) !== null) return { ok: false, error: new SignInRequiredError(WRONG_SUBJECT) };
    try {
      this.opts.cache.set(user.aadObjectId, await this.opts.exchanger.exchange(ssoToken));
      return { ok: true };
    } catch (e) {
      return { ok: false, error: asSignInError(e) };
    }
  }

  /**
   * Handles signin/tokenExchange. Only the user who typed the command runs it, and only with
   * their own token; any other member whose client answered the card is acknowledged and nothing
   * runs. Of duplicate invokes (Teams sends one per client) exactly one exchanges.
   */
  async exchange(request: TokenExchangeRequest, user: Subject | null): Promise<ExchangeResult<T>> {
    const { id, token } = request;
    if (typeof id !== 'string' || id === '' || typeof token !== 'string' || token === '') {
      return { status: 400, kind: 'badRequest', failureDetail: 'The token exchange request needs an id and a token.' };
    }
    const waiting = await this.opts.pending.get(id);
    if (!waiting) return { status: 200, kind: 'ignored', why: 'unknownId' };
    if (!user || user.aadObjectId.toLowerCase() !== waiting.aadObjectId) {
      return { status: 200, kind: 'ignored', why: 'otherUser' };
    }
    if (subjectProblem(token, user) !== null) {
      return {
        status: 400,
        kind: 'badRequest',
        failureDetail: 'The token does not belong to the user of this activity.',
      };
    }
    const entry = await this.opts.pending.take(id);
    if (!entry) return { status: 200, kind: 'ignored', why: 'duplicate' };
    try {
      this.opts.cache.set(user.aadObjectId, await this.opts.exchanger.exchange(token));
      return { status: 200, kind: 'signedIn', payload: entry.payload };
    } catch (e) {
      // The user may consent or complete MFA and try again: the command keeps waiting.
      await this.opts.pending.restore(entry);
      return {
        status: 412,
        kind: 'failed',
        error: asSignInError(e),
        failureDetail: 'The bot is unable to exchange the token. Ask the user to sign in and consent.',
        payload: entry.payload,
      };
    }
  }

  /** Forgets the user's token and every command waiting for their sign-in. */
  async forgetUser(aadObjectId: string): Promise<void> {
    this.opts.cache.forget(aadObjectId);
    await this.opts.pending.forgetUser(aadObjectId);
  }

  /** Drops a token Graph no longer accepts. */
  forgetToken(aadObjectId: string): void {
    this.opts.cache.forget(aadObjectId);
  }

  /** The cached token, if any (for the actor's token source). */
  cachedToken(aadObjectId: string): string | null {
    return this.opts.cache.get(aadObjectId);
  }
}

function asSignInError(e: unknown): SignInRequiredError {
  if (e instanceof SignInRequiredError) return e;
  return new SignInRequiredError(isDomainError(e) ? e.message : 'Sign-in did not complete.', 'unknown');
}
