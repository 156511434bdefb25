// Entra's token endpoint refusals as both of the bot's calls to it read them: the on-behalf-of
// exchange of the Teams token (oboExchanger.ts) and the sign-in page's code redemption
// (codeRedeemer.ts). Each call decides what a refusal means for the person; which refusals are the
// app's, the request's or the person's is Entra's, and is kept here once.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-token-endpoint-errors
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes

import type { AccountRefusal } from '../domain/errors';

/**
 * AADSTS50105 "The signed in user isn't assigned to a role for the signed in app. Assign the user
 * to the app": the app requires assignment and only an administrator assigns people to it. The
 * number names the cause whatever OAuth `error` Entra sends with it (invalid_grant at the token
 * endpoint, access_denied or interaction_required from the authorize endpoint).
 * https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50105-user-not-assigned-role
 */
export const NOT_ASSIGNED_CODE = /AADSTS50105\b/i;

/**
 * Entra's answers that only an administrator's consent mends: AADSTS90094 "needs permission to
 * access resources in your organization that only an admin can grant", AADSTS90093 "requesting one
 * or more permissions that you aren't authorized to grant", AADSTS90095 admin consent required (the
 * admin consent workflow), AADSTS900941 admin consent required (a risky app).
 * https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/application-sign-in-unexpected-user-consent-error
 */
export const ADMIN_CONSENT_CODES = /AADSTS(?:90093|90094|90095|900941)\b/i;

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

const ACCOUNT_REFUSALS: ReadonlyMap<number, AccountRefusal> = new Map([
  [50034, 'notInDirectory'],
  [50020, 'notInDirectory'],
  [50057, 'accountDisabled'],
  [50013, 'ssoRejected'],
]);

/**
 * The first of Entra's `error_codes`, as MSAL keeps it (`errorNo`, its digits), never read from
 * the description: "Never use this field to react to an error in your code" (reference-error-codes).
 */
export function entraErrorNumber(e: unknown): number | null {
  const n = (e as { errorNo?: unknown } | null)?.errorNo;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  return typeof n === 'string' && /^\d{1,9}$/.test(n) ? Number(n) : null;
}

export function accountRefusal(e: unknown): AccountRefusal | null {
  const n = entraErrorNumber(e);
  return n === null ? null : (ACCOUNT_REFUSALS.get(n) ?? null);
}
