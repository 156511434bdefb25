// The simulated Entra's on-behalf-of grant
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow): the
// client's credentials, the assertion (an SSO token for this app), then the user's consent and
// multi-factor state, each refused with the AADSTS error Entra gives, before a Graph token.

import { Claims, JwtError, PublicJwk, verifyJwt } from '../auth/jwt';
import { CLOUD_ENDPOINTS } from '../configClouds';
import type { SimRequest, SimResponse } from './envelope';
import { readScopes } from './oboScopes';
import type { DemoUser } from './seed';
import { TokenRefusal, seededRefusal } from './signInRefusals';

export interface OboGrantContext {
  readonly clientId: string;
  /** The app's Application ID URIs (identifierUris of its registration), the other names of its audience. */
  readonly identifierUris: readonly string[];
  readonly tenantId: string;
  /** The issuers of this tenant's tokens (assertionIssuers). */
  readonly issuers: readonly string[];
  readonly clientSecret: string;
  readonly publicJwk: PublicJwk;
  readonly now: () => number;
  readonly userById: (id: string) => DemoUser | undefined;
  readonly hasConsented: (id: string) => boolean;
  readonly hasMfaSession: (id: string) => boolean;
  readonly oauthError: (
    status: number,
    error: string,
    code: number,
    text: string,
    extra?: Record<string, unknown>,
  ) => SimResponse;
  /** The token answer for `user` and the Graph root `resource`. */
  readonly tokenBody: (user: DemoUser, resource: string, mfa: boolean) => Record<string, unknown>;
  readonly json: (status: number, payload: unknown) => SimResponse;
}

/** AADSTS53003 (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes). */
export const BLOCKED =
  'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.';

/**
 * The issuers whose assertions the tenant takes: its v2.0 issuer (`{authority}/{tid}/v2.0`) and its
 * v1.0 one (`https://sts…/{tid}/`) in the cloud it plays, and the v2.0 issuer under the simulator's
 * own sign-in hosts (`hosts`: where it is asked and where it issues SSO tokens), which stand for
 * the cloud's. https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
 */
export function assertionIssuers(cloud: keyof typeof CLOUD_ENDPOINTS, tenantId: string, hosts: string[]): string[] {
  const v1Host = cloud === 'china' ? 'sts.chinacloudapi.cn' : 'sts.windows.net';
  const v2Hosts = [CLOUD_ENDPOINTS[cloud].authority, ...hosts];
  return [...v2Hosts.map((h) => `${h}/${tenantId}/v2.0`), `https://${v1Host}/${tenantId}/`];
}

/** Answers one on-behalf-of token request; `base` is the Graph root a scope-less resource means. */
export function onBehalfOfGrant(req: SimRequest, base: string, c: OboGrantContext): SimResponse {
  const form = new URLSearchParams(req.body ?? '');
  const { clientId, oauthError } = c;
  if (form.get('client_id') !== clientId || form.get('client_secret') !== c.clientSecret) {
    return oauthError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  }
  if (
    form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
    form.get('requested_token_use') !== 'on_behalf_of'
  ) {
    return oauthError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
  // "scope: Required" (v2-oauth2-on-behalf-of-flow): Entra answers its absence with AADSTS90014.
  // A malformed request is refused as such, whoever its assertion names, so this comes first.
  if ((form.get('scope') ?? '').trim() === '') {
    return oauthError(
      400,
      'invalid_request',
      90014,
      "The required field 'scope' is missing from the credential. Ensure that you have all the necessary parameters for the login request.",
    );
  }
  const scopes = readScopes(form.get('scope') ?? '', base);
  if (!scopes.ok) {
    // One resource per request, and /.default alone (scopes-oidc); Entra's AADSTS70011.
    return oauthError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. One or more scopes in '${form.get('scope') ?? ''}' are not compatible with each other.`,
    );
  }
  let claims: Claims;
  try {
    claims = verifyJwt(form.get('assertion') ?? '', [c.publicJwk], { clockToleranceSec: 0, now: c.now });
  } catch (e) {
    if (e instanceof JwtError && e.reason === 'expired') {
      return oauthError(400, 'invalid_grant', 500133, 'Assertion is not within its valid time range.');
    }
    return oauthError(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
  }
  // "This token must have an audience (aud) claim of the app making this OBO request"
  // (v2-oauth2-on-behalf-of-flow): its client id, or one of the Application ID URIs registered for
  // it. Any other name, even one that ends in the client id, is another audience.
  const aud = String(claims.aud ?? '');
  if (aud !== clientId && !c.identifierUris.includes(aud)) {
    return oauthError(
      400,
      'invalid_grant',
      50013,
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${aud}' and the expected audience is '${clientId}' or one of the Application Uris of this application with App ID '${clientId}'.`,
    );
  }
  // Entra takes only an assertion its tenant issued: another tenant's or issuer's token is an
  // invalid assertion (AADSTS50013, invalid_grant;
  // https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).
  if (!c.issuers.includes(String(claims.iss ?? '')) || String(claims.tid ?? '').toLowerCase() !== lower(c.tenantId)) {
    return oauthError(
      400,
      'invalid_grant',
      50013,
      'Assertion is invalid: its issuer or tenant is not the tenant of this request.',
    );
  }
  // "assertion: The access token that was sent to the middle-tier API" (v2-oauth2-on-behalf-of-flow):
  // a token without delegated scopes (an ID token of the app's sign-in, an app-only token) is no
  // such access token, and Entra refuses it as an invalid assertion (AADSTS50013).
  if (typeof claims.scp !== 'string' || claims.scp.trim() === '') {
    return oauthError(
      400,
      'invalid_grant',
      50013,
      'Assertion is invalid: it is not an access token for the application (it carries no scp).',
    );
  }
  const user = c.userById(String(claims.oid ?? ''));
  if (!user) return oauthError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
  // What stops any token for the user (a device, cross-tenant access settings, an expired password).
  const refused: TokenRefusal | null = seededRefusal(user);
  if (refused) return oauthError(refused.status, refused.error, refused.code, refused.text, refused.extra);
  // OBO has no user interaction: a permission named in `scope` that the user has not consented to
  // the app is refused as an app without consent is (AADSTS65001, consent_required).
  const granted = user.scopes.map(lower);
  const unconsented = scopes.named.some((p) => !granted.includes(lower(p)));
  if (unconsented || (user.consent === false && !c.hasConsented(user.id))) {
    return oauthError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    );
  }
  // A Conditional Access block: Entra's token endpoint answers a policy the user cannot meet as
  // interaction_required (v2-oauth2-on-behalf-of-flow, "Error response example"), with suberror
  // message_only (no interactive sign-in can resolve it, only show why) and no claims challenge.
  if (user.accessBlocked) {
    return oauthError(400, 'interaction_required', 53003, BLOCKED, { suberror: 'message_only' });
  }
  const amr = Array.isArray(claims.amr) ? claims.amr : [];
  const mfaDone = amr.includes('mfa') || c.hasMfaSession(user.id);
  if (user.mfaRequired && !mfaDone) {
    return oauthError(
      400,
      'interaction_required',
      50076,
      'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
      {
        claims: '{"access_token":{"capolids":{"essential":true,"values":["00000000-0000-0000-0000-000000000001"]}}}',
        suberror: 'basic_action',
      },
    );
  }
  return c.json(200, c.tokenBody(user, scopes.resource, mfaDone));
}

function lower(s: string): string {
  return s.toLowerCase();
}
