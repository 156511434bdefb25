// Authorization codes of the simulated Entra: issued at the end of the interactive flow, redeemed
// once at the token endpoint, within their lifetime, by the client and for the redirect URI they
// were issued to, with the PKCE verifier of their challenge.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token

import { createHash, randomBytes } from 'node:crypto';
import type { PageUser } from './authorizePages';
import type { SimRequest, SimResponse } from './envelope';

/** Entra documents codes as short-lived (about ten minutes). */
const CODE_LIFETIME_MS = 10 * 60_000;

export interface FlowUser extends PageUser {
  readonly consent?: boolean;
  readonly mfaRequired?: boolean;
  readonly accessBlocked?: boolean;
}

export interface CodeDeps {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly now: () => number;
  readonly users: () => readonly FlowUser[];
  /** The token response for a user (access token for the resource of the scopes, and an id token). */
  readonly tokensFor: (
    req: SimRequest,
    user: FlowUser,
    scope: string,
    mfa: boolean,
    nonce: string | null,
  ) => SimResponse;
  readonly oauthError: (req: SimRequest, status: number, error: string, code: number, text: string) => SimResponse;
}

export interface CodeGrant {
  readonly redirectUri: string;
  readonly userId: string;
  readonly scope: string;
  readonly codeChallenge: string;
  readonly nonce: string | null;
  /** Whether the user passed MFA in this sign-in (or within their MFA session). */
  readonly mfa: boolean;
}

interface IssuedCode extends CodeGrant {
  readonly clientId: string;
  readonly expiresAt: number;
  used: boolean;
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class CodeStore {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly d: CodeDeps) {}

  reset(): void {
    this.codes.clear();
  }

  issue(grant: CodeGrant): string {
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      ...grant,
      clientId: this.d.clientId,
      expiresAt: this.d.now() + CODE_LIFETIME_MS,
      used: false,
    });
    return code;
  }

  /** Forgets codes long past their lifetime. */
  sweep(): void {
    const now = this.d.now();
    for (const [c, v] of this.codes) if (v.expiresAt <= now - CODE_LIFETIME_MS) this.codes.delete(c);
  }

  /** grant_type=authorization_code at the token endpoint. */
  redeem(req: SimRequest, form: URLSearchParams): SimResponse {
    const e = this.d.oauthError;
    if (form.get('client_id') !== this.d.clientId || form.get('client_secret') !== this.d.clientSecret) {
      return e(req, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    const codeText = form.get('code') ?? '';
    if (codeText === '')
      return e(req, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
    const code = this.codes.get(codeText);
    if (!code) return e(req, 400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
    if (code.used) {
      return e(
        req,
        400,
        'invalid_grant',
        54005,
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code.',
      );
    }
    // A code is single use: any redemption attempt spends it.
    code.used = true;
    if (code.expiresAt <= this.d.now()) {
      return e(req, 400, 'invalid_grant', 70008, 'The provided authorization code has expired.');
    }
    if (code.clientId !== form.get('client_id')) {
      return e(req, 400, 'invalid_grant', 70000, 'The code was issued to another application.');
    }
    if (code.redirectUri !== form.get('redirect_uri')) {
      return e(
        req,
        400,
        'invalid_grant',
        500112,
        'The reply address does not match the reply address provided when requesting the authorization code.',
      );
    }
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || pkceChallenge(verifier) !== code.codeChallenge) {
      return e(
        req,
        400,
        'invalid_grant',
        50148,
        'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
      );
    }
    const user = this.d.users().find((u) => u.id === code.userId);
    if (!user) return e(req, 400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    return this.d.tokensFor(req, user, code.scope, code.mfa, code.nonce);
  }
}
