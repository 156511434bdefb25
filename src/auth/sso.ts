// Teams SSO without an Azure Bot OAuth connection (teams-platform.md §2.1 pattern B): the bot
// sends its own OAuth card, handles signin/tokenExchange itself and exchanges the SSO token on
// behalf of the user. This file is channel-agnostic: it speaks in plain objects.

import { randomUUID } from 'node:crypto';
import { SignInRequiredError, isDomainError } from '../domain/errors';
import { OboExchanger, UserTokenCache } from './tokens';

export const OAUTH_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.oauth';

export interface PendingSignIn<T> {
  readonly id: string;
  readonly aadObjectId: string;
  readonly payload: T;
  readonly createdAt: number;
  /** Set while an exchange for this id runs, so duplicate invokes do not run the command twice. */
  busy: boolean;
}

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

export interface SignInFlowOptions {
  readonly exchanger: OboExchanger;
  readonly cache: UserTokenCache;
  /** Application ID URI of the SSO app, e.g. api://botid-{appId}; Teams uses the manifest's. */
  readonly resourceUri: string | null;
  readonly now?: () => number;
  /** How long a remembered command waits for sign-in. */
  readonly ttlMs?: number;
  /** Remembered commands per user, newest kept. */
  readonly maxPerUser?: number;
}

export class SignInFlow<T> {
  private readonly pending = new Map<string, PendingSignIn<T>>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxPerUser: number;

  constructor(private readonly opts: SignInFlowOptions) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs ?? 15 * 60_000;
    this.maxPerUser = opts.maxPerUser ?? 5;
  }

  /** Remembers what the user asked for and returns the OAuth card to send. */
  begin(aadObjectId: string, payload: T): { id: string; card: { contentType: string; content: object } } {
    this.sweep();
    const mine = [...this.pending.values()].filter((p) => p.aadObjectId === aadObjectId);
    for (const old of mine.slice(0, Math.max(0, mine.length - this.maxPerUser + 1))) this.pending.delete(old.id);
    const id = randomUUID();
    this.pending.set(id, { id, aadObjectId, payload, createdAt: this.now(), busy: false });
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
  latestFor(aadObjectId: string): string | null {
    this.sweep();
    let latest: PendingSignIn<T> | null = null;
    for (const p of this.pending.values()) if (p.aadObjectId === aadObjectId) latest = p;
    return latest?.id ?? null;
  }

  /**
   * Handles signin/tokenExchange. Only the user who typed the command runs it; any other member
   * whose client answered the card is acknowledged and nothing runs.
   */
  async exchange(request: TokenExchangeRequest, fromAadObjectId: string | undefined): Promise<ExchangeResult<T>> {
    this.sweep();
    const { id, token } = request;
    if (typeof id !== 'string' || id === '' || typeof token !== 'string' || token === '') {
      return { status: 400, kind: 'badRequest', failureDetail: 'The token exchange request needs an id and a token.' };
    }
    const entry = this.pending.get(id);
    if (!entry) return { status: 200, kind: 'ignored', why: 'unknownId' };
    if (!fromAadObjectId || fromAadObjectId !== entry.aadObjectId)
      return { status: 200, kind: 'ignored', why: 'otherUser' };
    if (entry.busy) return { status: 200, kind: 'ignored', why: 'duplicate' };
    entry.busy = true;
    try {
      const delegated = await this.opts.exchanger.exchange(token);
      this.opts.cache.set(entry.aadObjectId, delegated);
      this.pending.delete(id);
      return { status: 200, kind: 'signedIn', payload: entry.payload };
    } catch (e) {
      entry.busy = false;
      const error =
        e instanceof SignInRequiredError
          ? e
          : new SignInRequiredError(isDomainError(e) ? e.message : 'Sign-in did not complete.', 'unknown');
      return {
        status: 412,
        kind: 'failed',
        error,
        failureDetail: 'The bot is unable to exchange the token. Ask the user to sign in and consent.',
        payload: entry.payload,
      };
    }
  }

  /** Exchanges a token obtained elsewhere (the sandbox's simulated Teams SSO). */
  async signInWith(aadObjectId: string, ssoToken: string): Promise<void> {
    this.opts.cache.set(aadObjectId, await this.opts.exchanger.exchange(ssoToken));
  }

  forgetUser(aadObjectId: string): void {
    for (const p of [...this.pending.values()]) if (p.aadObjectId === aadObjectId) this.pending.delete(p.id);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const p of [...this.pending.values()]) if (p.createdAt < cutoff) this.pending.delete(p.id);
  }
}
