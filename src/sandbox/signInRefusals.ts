// Refusals the simulated Entra's token endpoint gives a seeded user (DemoUser.signInRefusal), on
// the on-behalf-of grant and on the code redemption alike, in Entra's error envelope (error,
// error_description "AADSTSnnnnn: …", error_codes, timestamp, trace_id, correlation_id; TokenMint's
// errorBody), with the AADSTS number and words of Microsoft's error reference
// (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes) and the OAuth
// `error` the token endpoint sends with them
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow#error-response-example:
// a Conditional Access policy the person may still meet comes as interaction_required with its
// claims challenge).

/** What stops the user's token, whatever the app asks. */
export type SeededSignInRefusal =
  /** AADSTS53000 DeviceNotCompliant: Conditional Access asks for a compliant (enrolled) device. */
  | 'deviceNotCompliant'
  /** AADSTS53001 DeviceNotDomainJoined: Conditional Access asks for a domain-joined device. */
  | 'deviceNotDomainJoined'
  /** AADSTS50097 DeviceAuthenticationRequired. */
  | 'deviceAuthenticationRequired'
  /** AADSTS500212 NotAllowedByOutboundPolicyTenant: the user's own organization's outbound settings. */
  | 'crossTenantOutbound'
  /** AADSTS500213 NotAllowedByInboundPolicyTenant: this (the resource) tenant's inbound settings. */
  | 'crossTenantInbound'
  /** AADSTS50055 InvalidPasswordExpiredPassword. */
  | 'passwordExpired'
  /** AADSTS50144 InvalidPasswordExpiredOnPremPassword. */
  | 'onPremPasswordExpired';

export interface TokenRefusal {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly text: string;
  /** suberror, claims: the fields Entra adds to the envelope for this refusal. */
  readonly extra: Record<string, unknown>;
}

/** A Conditional Access claims challenge (as the MFA one, oboGrant.ts): a sign-in that meets the
 * policy may pass (https://learn.microsoft.com/en-us/entra/identity-platform/v2-conditional-access-dev-guide). */
const DEVICE_CHALLENGE =
  '{"access_token":{"capolids":{"essential":true,"values":["00000000-0000-0000-0000-000000000002"]}}}';

/** MSAL's suberror for an expired password (UiRequiredExceptionClassification.UserPasswordExpired). */
const PASSWORD_EXPIRED = { suberror: 'user_password_expired' };

const REFUSALS: Readonly<Record<SeededSignInRefusal, TokenRefusal>> = {
  deviceNotCompliant: {
    status: 400,
    error: 'interaction_required',
    code: 53000,
    text: 'Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant. The user must enroll their device with an approved MDM provider like Intune.',
    extra: { claims: DEVICE_CHALLENGE, suberror: 'basic_action' },
  },
  deviceNotDomainJoined: {
    status: 400,
    error: 'interaction_required',
    code: 53001,
    text: 'Device is not in required device state: domain_joined. Conditional Access policy requires a domain joined device, and the device is not domain joined. Have the user use a domain joined device.',
    extra: { claims: DEVICE_CHALLENGE, suberror: 'basic_action' },
  },
  deviceAuthenticationRequired: {
    status: 400,
    error: 'invalid_grant',
    code: 50097,
    text: 'Device authentication is required.',
    extra: {},
  },
  crossTenantOutbound: {
    status: 400,
    error: 'invalid_grant',
    code: 500212,
    text: "The user's administrator has set an outbound access policy that does not allow access to the resource tenant.",
    extra: {},
  },
  crossTenantInbound: {
    status: 400,
    error: 'invalid_grant',
    code: 500213,
    text: "The resource tenant's cross-tenant access policy does not allow this user to access this tenant.",
    extra: {},
  },
  passwordExpired: {
    status: 400,
    error: 'invalid_grant',
    code: 50055,
    text: "The password is expired. The user's password is expired, and therefore their login or session was ended.",
    extra: PASSWORD_EXPIRED,
  },
  onPremPasswordExpired: {
    status: 400,
    error: 'invalid_grant',
    code: 50144,
    text: "User's Active Directory password has expired.",
    extra: PASSWORD_EXPIRED,
  },
};

/** The token endpoint's refusal for a user seeded with one; null when none. */
export function seededRefusal(user: { readonly signInRefusal?: SeededSignInRefusal }): TokenRefusal | null {
  const r = user.signInRefusal;
  return r !== undefined && Object.hasOwn(REFUSALS, r) ? REFUSALS[r] : null;
}

/** Refuses a seed user whose signInRefusal the simulated Entra does not know (a typo would give
 * them every token), naming the ones it knows. */
export function checkSeededRefusal(user: { readonly displayName: string; readonly signInRefusal?: unknown }): void {
  const r = user.signInRefusal;
  if (r === undefined || (typeof r === 'string' && Object.hasOwn(REFUSALS, r))) return;
  throw new Error(
    `Seed user ${user.displayName}: signInRefusal ${JSON.stringify(r)} is not one of ${Object.keys(REFUSALS).join(', ')}.`,
  );
}
