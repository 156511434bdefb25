// Why a sign-in failed (SignInRequiredError's reason, errors.ts), for the user's next step.

/** entraRefusals.ts; crossTenantOutbound / crossTenantInbound: the cross-tenant access settings of
 * the person's own organization (outbound) or of the bot's (inbound) do not let them in. */
export type AccountRefusal =
  'notInDirectory' | 'accountDisabled' | 'ssoRejected' | 'crossTenantOutbound' | 'crossTenantInbound';

/** consent | mfa | expired | configuration (Entra refused the app's own credentials, which no
 * sign-in by the user can mend) | blocked (a Conditional Access policy blocks the access, with no
 * claims challenge that a sign-in could meet) | notAssigned (the app requires users to be assigned
 * to it and this person is not, AADSTS50105: only an administrator can assign them) | device (a
 * Conditional Access policy asks for a device the organization manages, AADSTS53000, 53001, 50097) | password
 * (the person's password, or their on-premises one, expired, AADSTS50055, 50144: they change it,
 * then sign in again) | AccountRefusal
 * | unavailable (Entra could not be reached, or answered that it cannot serve now) | stateUnavailable (the bot's
 * own state store failed meanwhile: nothing is wrong with the person's sign-in, trying again in
 * a moment may pass) | unknown: why the sign-in failed, for the user's next step. */
export type SignInFailureReason =
  | 'consent'
  | 'mfa'
  | 'expired'
  | 'configuration'
  | 'blocked'
  | 'notAssigned'
  | 'device'
  | 'password'
  | AccountRefusal
  | 'unavailable'
  | 'stateUnavailable'
  | 'unknown';
