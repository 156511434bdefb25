// The user's delegated Graph token: the Teams SSO token exchanged on behalf of the user
// (oboExchanger.ts), or redeemed by the sign-in pages, then kept in memory per aadObjectId until
// shortly before it expires. Tokens never go to storage or logs.

import { SignInRequiredError } from '../domain/errors';
import type { EntraRefusal } from './entraRefusals';

export interface DelegatedToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
  /** The user's sign-out mark when the token was obtained (signOuts.ts); null before any. */
  readonly signOutMark?: string | null;
}

/** Exchanges a Teams SSO token for a Graph token; failures are SignInRequiredError. */
export interface OboExchanger {
  exchange(ssoToken: string): Promise<DelegatedToken>;
}

/**
 * A failed exchange that came with Entra's claims challenge (MFA or Conditional Access): the
 * sign-in page sends it on the authorize request so Entra asks for exactly what is missing.
 * https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge
 */
export class ClaimsChallengeError extends SignInRequiredError {
  constructor(
    message: string,
    reason: SignInRequiredError['reason'],
    readonly claims: string,
  ) {
    super(message, reason);
  }
}

/** The claims challenge a sign-in failure carries, if any. */
export function claimsOf(error: SignInRequiredError): string | undefined {
  return error instanceof ClaimsChallengeError && error.claims !== '' ? error.claims : undefined;
}

/**
 * Why the exchange failed, from what Entra's number says (entraRefusals.ts): consent only an
 * administrator can grant is consent too (its words name the administrator who can grant it,
 * signInWording.ts, and signing out of Teams would not change it). AADSTS53003 "Access has been
 * blocked by Conditional Access policies" is `blocked`, which no sign-in can satisfy; with a
 * claims challenge the caller keeps it as MFA.
 */
export function reasonOfRefusal(r: EntraRefusal): SignInRequiredError['reason'] {
  return r === 'adminConsent' ? 'consent' : r;
}

/**
 * The OAuth `error` (or suberror) when Entra's number is not one the bot knows, or none came:
 * consent_required is consent, interaction_required another sign-in step (MFA).
 * https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application
 */
export function reasonOfOAuthError(words: readonly unknown[]): SignInRequiredError['reason'] {
  if (words.includes('consent_required')) return 'consent';
  if (words.includes('interaction_required')) return 'mfa';
  return 'unknown';
}

/**
 * Per-user tokens in memory only, across conversations (contract §5.4), bounded: a token is
 * dropped shortly before it expires, and beyond `maxEntries` the least recently used goes first,
 * so thousands of users who signed in once do not keep memory forever.
 */
export class UserTokenCache {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  private readonly tokens = new Map<string, DelegatedToken>();
  constructor(
    private readonly now: () => number = Date.now,
    /** Treat a token as gone this long before it expires, so a call never starts with a dying token. */
    private readonly marginMs = 60_000,
    readonly maxEntries = 10_000,
  ) {}

  get(aadObjectId: string): string | null {
    return this.entry(aadObjectId)?.token ?? null;
  }

  /** The kept token with what was recorded with it, while it is usable. */
  entry(aadObjectId: string): DelegatedToken | null {
    const key = aadObjectId.toLowerCase();
    const t = this.tokens.get(key);
    if (!t) return null;
    this.tokens.delete(key);
    if (this.expired(t)) return null;
    this.tokens.set(key, t);
    return t;
  }

  set(aadObjectId: string, token: DelegatedToken): void {
    const key = aadObjectId.toLowerCase();
    this.tokens.delete(key);
    this.tokens.set(key, token);
    for (const [k, t] of this.tokens) {
      if (this.tokens.size <= this.maxEntries && !this.expired(t)) break;
      this.tokens.delete(k);
    }
  }

  forget(aadObjectId: string): boolean {
    return this.tokens.delete(aadObjectId.toLowerCase());
  }

  get size(): number {
    return this.tokens.size;
  }

  private expired(t: DelegatedToken): boolean {
    return t.expiresOnTimestamp - this.marginMs <= this.now();
  }
}
