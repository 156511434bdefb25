// The tokens and OAuth errors the simulated Entra issues: delegated Graph access tokens, id tokens
// and the AADSTS error body (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).

import { randomUUID } from 'node:crypto';
import { SigningKey, signJwt } from '../auth/jwt';
import { graphDate } from './envelope';
import type { DemoSeed, DemoUser } from './seed';

export class TokenMint {
  constructor(
    private readonly key: SigningKey,
    private readonly seed: Pick<DemoSeed, 'tenantId' | 'app'>,
    private readonly now: () => number,
    /** Lifetime of issued Graph access tokens. */
    private readonly accessTokenLifetimeSec: number,
  ) {}

  /** A token response carrying a delegated Graph token for the user (the bot's app as azp). */
  graphTokenBody(user: DemoUser, resource: string, base: string, mfa: boolean): Record<string, unknown> {
    const lifetime = this.accessTokenLifetimeSec;
    const iat = Math.floor(this.now() / 1000);
    const accessToken = signJwt(
      {
        aud: resource,
        iss: `${base}/${this.seed.tenantId}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + lifetime,
        oid: user.id,
        tid: this.seed.tenantId,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        scp: user.scopes.join(' '),
        amr: mfa ? ['pwd', 'mfa'] : ['pwd'],
        azp: this.seed.app.clientId,
        typ_sim: 'graph',
      },
      this.key,
    );
    return {
      token_type: 'Bearer',
      scope: user.scopes.map((s) => `${resource}/${s}`).join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    };
  }

  /**
   * The SSO token Teams hands the bot in signin/tokenExchange: an access token for the SSO app
   * (`clientId`) with its scope access_as_user, asked for by the Teams web client. Its shape is the
   * version the app's registration accepts, whatever endpoint Teams asked
   * (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference):
   * 2.0 by default, as Teams' bot SSO registration asks (accessTokenAcceptedVersion 2,
   * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-register-aad)
   * and scripts/register-sso-app.js sets: aud the client id ("In v2.0 tokens, this value is always
   * the client ID of the API"), the v2.0 issuer at `host`. With `v1`, an app that accepts v1.0
   * tokens: aud the Application ID URI Teams asked for, issuer `v1.issuer` (https://sts…/{tid}/).
   */
  ssoToken(
    user: DemoUser,
    clientId: string,
    mfa: boolean,
    opts: { expiresInSec?: number; host?: string; v1?: { resourceUri: string; issuer: string } },
  ): string {
    const iat = Math.floor(this.now() / 1000);
    const teamsWeb = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
    const version = opts.v1
      ? { aud: opts.v1.resourceUri, iss: opts.v1.issuer, appid: teamsWeb, upn: user.userPrincipalName, ver: '1.0' }
      : {
          aud: clientId,
          iss: `https://${opts.host ?? 'login.sandbox'}/${this.seed.tenantId}/v2.0`,
          azp: teamsWeb,
          preferred_username: user.userPrincipalName,
          ver: '2.0',
        };
    return signJwt(
      {
        ...version,
        iat,
        nbf: iat,
        exp: iat + (opts.expiresInSec ?? 3600),
        oid: user.id,
        tid: this.seed.tenantId,
        name: user.displayName,
        scp: 'access_as_user',
        // A multi-factor sign-in done in the browser shows in the tokens Teams gets afterwards.
        amr: mfa ? ['pwd', 'mfa'] : ['pwd'],
      },
      this.key,
    );
  }

  /** The id token of an interactive sign-in, for the bot's app. */
  idToken(user: DemoUser, base: string, nonce: string | null): string {
    const iat = Math.floor(this.now() / 1000);
    return signJwt(
      {
        aud: this.seed.app.clientId,
        iss: `${base}/${this.seed.tenantId}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + 3600,
        oid: user.id,
        sub: user.id,
        tid: this.seed.tenantId,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        ...(nonce !== null ? { nonce } : {}),
        ver: '2.0',
      },
      this.key,
    );
  }

  /** Entra's OAuth error body (oauthErrorBody) at this mint's clock. */
  errorBody(error: string, code: number, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return oauthErrorBody(error, code, text, this.now(), extra);
  }
}

/**
 * Entra's OAuth error body as its pages show it: the AADSTS description ends with the trace id,
 * correlation id and timestamp the body's own fields carry, lines apart ("\r\nTrace ID: …"), and
 * the timestamp reads "2016-01-09 02:02:12Z"
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-example,
 * https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).
 */
export function oauthErrorBody(
  error: string,
  code: number,
  text: string,
  nowMs: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const timestamp = `${graphDate(nowMs).replace('T', ' ')}Z`;
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    ...extra,
  };
}
