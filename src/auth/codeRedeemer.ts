// Redeems the sign-in page's authorization code on the server, with the PKCE verifier, through
// @azure/msal-node's ConfidentialClientApplication (the SSO app and its secret). The authority
// is configurable; MSAL is given the endpoints and the host as a known authority, so it makes
// exactly one call, to the token endpoint of that host, and never asks a Microsoft host for
// instance discovery or OpenID metadata (a private authority such as the simulated tenant on
// https://127.0.0.1:<port> has neither). A fresh client per redemption: MSAL's in-memory token
// cache never accumulates users' tokens; the caller keeps the access token, nothing else does.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow

import { ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import { EntraRefusal, entraErrorNumber, refusalOfNumber, tokenEndpointRefusal } from './entraRefusals';
import { AuthorityUnreachableError, DeadlineHttpClient } from './msalHttp';

export interface RedeemRequest {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** The claims challenge of the authorize request (MFA step-up), sent again on redemption. */
  readonly claims?: string;
}

export interface RedeemedSignIn {
  readonly accessToken: string;
  /** Epoch milliseconds. */
  readonly expiresOn: number;
  /** Who signed in, from the ID token the token endpoint returned over TLS (`oid`, `tid`). */
  readonly oid: string;
  readonly tid: string;
}

/** Why a redemption failed, as a code safe to show and log (no Entra text, which may quote ids). */
export type RedeemFailure =
  | 'consent_required'
  /** Consent that only an administrator can grant (AADSTS90094 and the like). */
  | 'admin_consent_required'
  | 'interaction_required'
  /** The code was used, expired, or its verifier or redirect URI did not match. */
  | 'invalid_grant'
  /** The app itself was refused (wrong secret, wrong redirect URI registration). */
  | 'invalid_client'
  /** AADSTS53003 with no claims challenge: Conditional Access blocks it, no sign-in can meet it. */
  | 'access_blocked'
  /** AADSTS50105: the app requires assignment and the person is not assigned to it. */
  | 'not_assigned'
  /** AADSTS53000, 53001, 50097: Conditional Access asks for a device the organization manages. */
  | 'device_required'
  /** AADSTS50055, 50144: the person's password (or on-premises password) expired. */
  | 'password_expired'
  /** AADSTS50034, 50020: the account is not in the directory of the app's organization. */
  | 'not_in_directory'
  /** AADSTS50057: the account is disabled. */
  | 'account_disabled'
  /** AADSTS500212: the person's own organization's outbound cross-tenant access settings. */
  | 'cross_tenant_outbound'
  /** AADSTS500213: the app's organization's inbound cross-tenant access settings. */
  | 'cross_tenant_inbound'
  /** Entra answered that the request or the app's registration is wrong (invalid_request,
   * invalid_scope, invalid_resource, unsupported_grant_type): no sign-in can mend it. */
  | 'request_refused'
  | 'unavailable'
  | 'no_identity';

export class RedeemError extends Error {
  constructor(readonly reason: RedeemFailure) {
    super(`The authorization code could not be redeemed (${reason}).`);
    this.name = 'RedeemError';
  }
}

export interface CodeRedeemer {
  redeem(request: RedeemRequest): Promise<RedeemedSignIn>;
}

export interface MsalCodeRedeemerOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
  /** https sign-in host without a trailing slash, e.g. https://login.microsoftonline.com. */
  readonly authorityHost: string;
  /** Deadline of the token call. */
  readonly timeoutMs?: number;
  /** Extra CA to trust for a private authority (tests); production uses Node's roots. */
  readonly ca?: string;
}

/**
 * MSAL settings for the SSO app at a configurable authority: the documented v2.0 endpoints of the
 * tenant are given to MSAL (and the host as a known authority), so it makes exactly one call, to
 * the token endpoint, and never asks a Microsoft host for instance discovery or metadata.
 */
export function msalConfiguration(
  app: { readonly clientId: string; readonly clientSecret: string; readonly tenantId: string },
  authorityHost: string,
  network: DeadlineHttpClient,
): Configuration {
  const root = new URL(authorityHost);
  if (root.protocol !== 'https:') throw new Error('The sign-in host must use https.');
  const base = `https://${root.host}/${encodeURIComponent(app.tenantId)}`;
  return {
    auth: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      authority: base,
      knownAuthorities: [root.host],
      authorityMetadata: JSON.stringify({
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
      }),
    },
    system: { networkClient: network, disableInternalRetries: true },
  };
}

export class MsalCodeRedeemer implements CodeRedeemer {
  private readonly configuration: Configuration;

  constructor(options: MsalCodeRedeemerOptions) {
    this.configuration = msalConfiguration(
      options,
      options.authorityHost,
      new DeadlineHttpClient(options.timeoutMs ?? 10_000, options.ca),
    );
  }

  async redeem(request: RedeemRequest): Promise<RedeemedSignIn> {
    const app = new ConfidentialClientApplication(this.configuration);
    let result;
    try {
      result = await app.acquireTokenByCode({
        code: request.code,
        codeVerifier: request.codeVerifier,
        redirectUri: request.redirectUri,
        scopes: [...request.scopes],
        ...(request.claims ? { claims: request.claims } : {}),
      });
    } catch (e) {
      throw new RedeemError(classifyRedeemFailure(e));
    }
    const claims = (result?.idTokenClaims ?? {}) as { oid?: unknown; tid?: unknown };
    if (!result?.accessToken || typeof claims.oid !== 'string' || typeof claims.tid !== 'string') {
      throw new RedeemError('no_identity');
    }
    return {
      accessToken: result.accessToken,
      expiresOn: result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000,
      oid: claims.oid,
      tid: claims.tid,
    };
  }
}

/** The code redemption's failure for what Entra's number says (entraRefusals.ts); `challenged`:
 * a claims challenge came that a sign-in can meet (a Conditional Access block is then a step). */
export function redeemFailureOf(r: EntraRefusal, challenged: boolean): RedeemFailure {
  switch (r) {
    case 'blocked':
      return challenged ? 'interaction_required' : 'access_blocked';
    case 'notAssigned':
      return 'not_assigned';
    case 'adminConsent':
      return 'admin_consent_required';
    case 'consent':
      return 'consent_required';
    case 'mfa':
      return 'interaction_required';
    case 'device':
      return 'device_required';
    case 'password':
      return 'password_expired';
    case 'configuration':
      return 'invalid_client';
    case 'notInDirectory':
      return 'not_in_directory';
    case 'accountDisabled':
      return 'account_disabled';
    case 'crossTenantOutbound':
      return 'cross_tenant_outbound';
    case 'crossTenantInbound':
      return 'cross_tenant_inbound';
    // A grant out of date; a Teams token refused (none is sent here): a new sign-in gets a new code.
    case 'expired':
    case 'ssoRejected':
      return 'invalid_grant';
  }
}

/** Numbers only the code redemption meets: AADSTS50011 a redirect URI not registered; AADSTS54005,
 * 501481, 70000 a code spent or not matching its verifier (a code expired, AADSTS70008, is
 * `expired` in entraRefusals.ts, which is invalid_grant here too). */
const REDEEM_NUMBERS: ReadonlyMap<number, RedeemFailure> = new Map<number, RedeemFailure>([
  [50011, 'invalid_client'],
  [54005, 'invalid_grant'],
  [501481, 'invalid_grant'],
  [70000, 'invalid_grant'],
]);

/** Entra's answer as a failure code: its AADSTS number (entraErrorNumber), then its OAuth `error`. */
export function classifyRedeemFailure(e: unknown): RedeemFailure {
  if (e instanceof AuthorityUnreachableError || hasCause(e, AuthorityUnreachableError)) return 'unavailable';
  const fields = e as { errorCode?: unknown; subError?: unknown; claims?: unknown };
  // As in the on-behalf-of exchange (oboExchanger.ts): only a claims challenge can be met by
  // signing in, and not one whose suberror is message_only (no sign-in can resolve it).
  const challenged = typeof fields.claims === 'string' && fields.claims !== '' && fields.subError !== 'message_only';
  const n = entraErrorNumber(e);
  const known = refusalOfNumber(n);
  if (known) return redeemFailureOf(known, challenged);
  const own = n === null ? undefined : REDEEM_NUMBERS.get(n);
  if (own) return own;
  const words = [fields.errorCode, fields.subError];
  if (words.includes('consent_required')) return 'consent_required';
  if (words.includes('interaction_required') || words.includes('basic_action')) return 'interaction_required';
  // The token endpoint's errors that only mending the app, the request or the registration cures
  // ("Error codes for token endpoint errors"), e.g. AADSTS9002327, a redirect URI registered as a
  // single-page application: Entra was reached, so not 'unavailable'.
  const refusal = tokenEndpointRefusal(fields.errorCode);
  if (refusal === 'app') return 'invalid_client';
  if (refusal === 'request' || refusal === 'malformed') return 'request_refused';
  if (fields.errorCode === 'invalid_grant') return 'invalid_grant';
  return 'unavailable';
}

function hasCause(e: unknown, type: new (...args: never[]) => Error): boolean {
  for (let c = (e as { cause?: unknown } | null)?.cause, depth = 0; c && depth < 5; depth++) {
    if (c instanceof type) return true;
    c = (c as { cause?: unknown }).cause;
  }
  return false;
}
