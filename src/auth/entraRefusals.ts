// Entra's token endpoint refusals as both of the bot's calls to it read them: the on-behalf-of
// exchange of the Teams token (oboExchanger.ts) and the sign-in page's code redemption
// (codeRedeemer.ts). Each call decides what a refusal means for the person; which refusals are the
// app's, the request's or the person's is Entra's, and is kept here once.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes

import type { AccountRefusal } from '../domain/errors';

/**
 * What the token endpoint's OAuth `error` refuses, whatever AADSTS number comes with it ("react to
 * `error`"): `app`, the app's credentials (`invalid_client`) or its registration, not registered or
 * not in the tenant (`unauthorized_client`); `request`, a scope or resource the tenant does not
 * know (`invalid_scope`, e.g. AADSTS70011; `invalid_resource`, e.g. AADSTS500011) or a grant it
 * does not take (`unsupported_grant_type`); `malformed`, a request missing or with a wrong
 * parameter (`invalid_request`), which for the on-behalf-of exchange may be the Teams token itself.
 * Null for any other `error` (the person's grant, or Entra not serving now).
 */
export type TokenEndpointRefusal = 'app' | 'request' | 'malformed';

const REFUSALS: ReadonlyMap<string, TokenEndpointRefusal> = new Map([
  ['invalid_client', 'app'],
  ['unauthorized_client', 'app'],
  ['invalid_scope', 'request'],
  ['invalid_resource', 'request'],
  ['unsupported_grant_type', 'request'],
  ['invalid_request', 'malformed'],
]);

export function tokenEndpointRefusal(error: unknown): TokenEndpointRefusal | null {
  return typeof error === 'string' ? (REFUSALS.get(error) ?? null) : null;
}

/**
 * Refusals of the person's account, or of the Teams token for this app, that no sign-in to Teams
 * mends (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes):
 * `notInDirectory`, AADSTS50034 UserAccountNotFound "To sign into this application, the account
 * must be added to the directory ... If this user should be able to log in, add them as a guest"
 * and AADSTS50020 UserUnauthorized "This account needs to be added as an external user in the
 * tenant first"; `accountDisabled`, AADSTS50057 UserDisabled "An admin can re-enable this account";
 * `ssoRejected`, AADSTS50013 InvalidAssertion "Assertion is invalid ... Contact the app developer":
 * the Teams token is not one Entra takes for this app (its single sign-on set up for another app
 * id, Application ID URI or tenant), which the sign-in page, needing no Teams token, does without.
 */
export type { AccountRefusal };

/**
 * What Entra's AADSTS number says of a refusal, read alike by the on-behalf-of exchange and the
 * code redemption (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes):
 * - `notAssigned`, AADSTS50105 "The signed in user isn't assigned to a role for the signed in app.
 *   Assign the user to the app": only an administrator assigns people to it, whatever OAuth `error`
 *   comes with it (invalid_grant, access_denied or interaction_required)
 *   (https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50105-user-not-assigned-role);
 * - `adminConsent`, consent only an administrator can grant: AADSTS90094 "needs permission to access
 *   resources in your organization that only an admin can grant", AADSTS90093 "requesting one or
 *   more permissions that you aren't authorized to grant", AADSTS90095 (the admin consent
 *   workflow), AADSTS900941 (a risky app)
 *   (https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/application-sign-in-unexpected-user-consent-error);
 * - `consent`, AADSTS65001 DelegationDoesNotExist, AADSTS65004 UserDeclinedConsent;
 * - `blocked`, AADSTS53003 BlockedByConditionalAccess (with a claims challenge a sign-in may meet it);
 * - `mfa`, AADSTS50076, 50079 (multifactor authentication, or its registration), 50158 (an external
 *   security challenge), 50078 UserStrongAuthExpired (multifactor authentication done before has
 *   expired, "You must refresh your multifactor authentication");
 * - `device`, a Conditional Access policy asking for a device the organization manages: AADSTS53000
 *   DeviceNotCompliant "requires a compliant device ... The user must enroll their device with an
 *   approved MDM provider like Intune", AADSTS53001 DeviceNotDomainJoined "Have the user use a
 *   domain joined device", AADSTS50097 DeviceAuthenticationRequired;
 * - `configuration`, the app's own credentials or registration: AADSTS7000215, 7000222, 700016;
 * - `expired`, a grant, assertion, session or password out of date, which a new interactive sign-in
 *   mends (Teams' silent SSO hands over the same token): AADSTS500133 (the assertion), 700082 and
 *   70008 ExpiredOrRevokedGrant, 50173 FreshTokenNeeded, 70043 BadTokenDueToSignInFrequency (the
 *   sign-in frequency of Conditional Access), 50132 SsoArtifactInvalidOrExpired and 50133
 *   SsoArtifactRevoked ("The session isn't valid due to password expiration or recent password
 *   change");
 * - `password`, AADSTS50055 InvalidPasswordExpiredPassword "The user's password is expired ...
 *   They'll be offered the opportunity to reset it, or can ask an admin to reset it" and 50144
 *   InvalidPasswordExpiredOnPremPassword "User's Active Directory password has expired ... have the
 *   user use the self-service reset tool": the person changes their password, then signs in again;
 * - `crossTenantOutbound`, AADSTS500212 NotAllowedByOutboundPolicyTenant "The user's administrator
 *   has set an outbound access policy that doesn't allow access to the resource tenant", and
 *   `crossTenantInbound`, AADSTS500213 NotAllowedByInboundPolicyTenant "The resource tenant's
 *   cross-tenant access policy doesn't allow this user to access this tenant": an administrator of
 *   the person's own organization, or of the bot's, changes its cross-tenant access settings
 *   (https://learn.microsoft.com/en-us/entra/external-id/cross-tenant-access-overview);
 * - the account refusals above.
 */
export type EntraRefusal =
  | 'notAssigned'
  | 'adminConsent'
  | 'consent'
  | 'blocked'
  | 'mfa'
  | 'device'
  | 'configuration'
  | 'expired'
  | 'password'
  | AccountRefusal;

const BY_NUMBER: ReadonlyMap<number, EntraRefusal> = new Map<number, EntraRefusal>([
  [50105, 'notAssigned'],
  [90093, 'adminConsent'],
  [90094, 'adminConsent'],
  [90095, 'adminConsent'],
  [900941, 'adminConsent'],
  [65001, 'consent'],
  [65004, 'consent'],
  [53003, 'blocked'],
  [50076, 'mfa'],
  [50079, 'mfa'],
  [50158, 'mfa'],
  [50078, 'mfa'],
  [53000, 'device'],
  [53001, 'device'],
  [50097, 'device'],
  [7000215, 'configuration'],
  [7000222, 'configuration'],
  [700016, 'configuration'],
  [500133, 'expired'],
  [700082, 'expired'],
  [50173, 'expired'],
  [70008, 'expired'],
  [70043, 'expired'],
  [50132, 'expired'],
  [50133, 'expired'],
  [50055, 'password'],
  [50144, 'password'],
  [50034, 'notInDirectory'],
  [50020, 'notInDirectory'],
  [50057, 'accountDisabled'],
  [50013, 'ssoRejected'],
  [500212, 'crossTenantOutbound'],
  [500213, 'crossTenantInbound'],
]);

/** Refusals of the person (their account, their organization's or the bot's settings), which no
 * fault of the app's registration or request hides: told as such whatever OAuth `error` comes. */
export function personRefusal(r: EntraRefusal | null): r is 'notAssigned' | AccountRefusal {
  return (
    r === 'notAssigned' ||
    r === 'notInDirectory' ||
    r === 'accountDisabled' ||
    r === 'ssoRejected' ||
    r === 'crossTenantOutbound' ||
    r === 'crossTenantInbound'
  );
}

/** The AADSTS number a description starts with (its documented shape, "AADSTS70011: ..."): the
 * authorize endpoint's redirect has no `error_codes`, only `error` and `error_description`
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response). */
export function descriptionNumber(text: string): number | null {
  const m = /\bAADSTS(\d{1,9})\b/.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Entra's number for MSAL's error: the first of Entra's `error_codes`, as MSAL keeps it (`errorNo`,
 * its digits), never read from the description: "Never use this field to react to an error in
 * your code" (reference-error-codes). The token endpoint sends `error_codes` with every refusal
 * (v2-oauth2-on-behalf-of-flow, "Error response example"); only the authorize endpoint's redirect
 * does without, where the number its description starts with is read (descriptionNumber).
 */
export function entraErrorNumber(e: unknown): number | null {
  const n = (e as { errorNo?: unknown } | null)?.errorNo;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  return typeof n === 'string' && /^\d{1,9}$/.test(n) ? Number(n) : null;
}

/** What an AADSTS number says, when the bot knows it. */
export function refusalOfNumber(n: number | null): EntraRefusal | null {
  return n === null ? null : (BY_NUMBER.get(n) ?? null);
}

/** What MSAL's error says by Entra's number (entraErrorNumber). */
export function entraRefusal(e: unknown): EntraRefusal | null {
  return refusalOfNumber(entraErrorNumber(e));
}
