// What the sign-in end page says when a sign-in did not complete. Every failure the bot names
// itself (the code redemption's, codeRedeemer.ts, and the end page's own, end.ts) has its words in
// one map typed over that union: a new failure code does not compile until it is given words. Only
// the `error` Entra's authorize endpoint sends back is open-ended; one the bot does not know gets
// the generic words.

import type { RedeemFailure } from '../codeRedeemer';

/** Every failure the bot names itself: the code redemption's and the end page's own. */
export type EndFailure =
  | RedeemFailure
  /** No usable state or code in the redirect (end.ts). */
  | 'invalid_request'
  | 'expired'
  | 'wrong_user'
  | 'signed_out'
  /** The bot's own state store failed (end.ts storeFailed). */
  | 'store_unavailable';

export type EndOutcome =
  | { readonly kind: 'success'; readonly verifyState: string }
  /** anotherAccount: the start page link that asks Entra for its account picker (the wrong account
   * signed in). reference: the correlation id of the error line logged for it, for the person to
   * pass on. */
  | {
      readonly kind: 'failure';
      readonly reason: EndFailure;
      readonly fromAuthorize?: undefined;
      readonly anotherAccount?: string;
      readonly reference?: string;
    }
  /** The reason is the `error` Entra's authorize endpoint sent back ([a-z_], end.ts errorCode). */
  | {
      readonly kind: 'failure';
      readonly reason: string;
      readonly fromAuthorize: true;
      readonly anotherAccount?: undefined;
      readonly reference?: undefined;
    };

export type EndFailureOutcome = Extract<EndOutcome, { readonly kind: 'failure' }>;

type Words =
  /** Signing in again may help: the words, then "Close this window, … select Sign in again." */
  | { readonly again: string }
  /** Signing in again cannot mend it: what to do instead, said whole. */
  | { readonly instead: string }
  /** Entra refused the request itself (REQUEST_REFUSED). */
  | 'requestRefused'
  /** The bot's own storage failed (storeUnavailableText). */
  | 'storeUnavailable'
  /** The password expired: changed at the cloud's reset page, if known (passwordExpiredText). */
  | 'passwordExpired';

const DID_NOT_COMPLETE: Words = { again: 'Sign-in did not complete.' };

export const WRONG_USER_TEXT = 'You signed in as a different person than the one who asked Governance Bot to act.';

const WORDS: Readonly<Record<EndFailure, Words>> = {
  consent_required: { again: 'Permission for Governance Bot was not granted.' },
  // AADSTS90094 and the like: the permissions need an administrator's consent.
  admin_consent_required: {
    instead:
      'Governance Bot needs permissions that only an administrator of your organization can grant, so signing in again will not help until one does. Close this window and ask your Teams or Entra administrator to grant admin consent to Governance Bot; then select Sign in again.',
  },
  interaction_required: {
    again: 'Your organization requires another sign-in step (such as multi-factor authentication).',
  },
  // A code spent, expired or not matching its verifier: a new sign-in gets a new one.
  invalid_grant: DID_NOT_COMPLETE,
  // Entra refused the app itself (a wrong or expired client secret, an app id or redirect URI it
  // does not know): every sign-in meets the same refusal until an administrator mends it.
  invalid_client: {
    instead:
      "Microsoft Entra refused Governance Bot's own credentials (its client secret may be wrong or expired), so signing in again will not help. Close this window and tell your Teams or Entra administrator.",
  },
  // AADSTS53003: a Conditional Access policy blocks the access; no sign-in can meet it.
  access_blocked: {
    instead:
      "Your organization's Conditional Access policy blocked this sign-in, so signing in again will not help. Close this window and contact your administrator.",
  },
  // AADSTS50105: the app requires assignment and the person is not assigned to it.
  not_assigned: {
    instead:
      'Your organization allows only people assigned to Governance Bot to use it, and you are not assigned, so signing in again will not help. Close this window and ask your Teams or Entra administrator to assign you to the app.',
  },
  // AADSTS53000, 53001, 50097: Conditional Access asks for a device the organization manages.
  device_required: {
    instead:
      "Your organization's Conditional Access policy allows this sign-in only from a device it manages (enrolled and compliant, or joined to its domain), and this device does not meet it, so signing in again here will not help. Close this window and sign in from such a device, or ask your Teams or Entra administrator how to enroll this one.",
  },
  // AADSTS50055, 50144: the password (or the on-premises one) expired; Entra's own page may offer
  // its change, or the self-service password reset of the bot's cloud does (passwordExpiredText).
  password_expired: 'passwordExpired',
  // AADSTS50034, 50020: the account is not in the directory of the app's organization.
  not_in_directory: {
    instead:
      "Your account is not in the Microsoft Entra directory of the organization Governance Bot belongs to (an account of another organization, or a guest, must be added to it first), so signing in again with it will not help. Close this window and ask that organization's Teams or Entra administrator to add you.",
  },
  // AADSTS50057: an administrator disabled the account.
  account_disabled: {
    instead:
      'Your account is disabled in Microsoft Entra ID, so signing in again will not help. Close this window and ask your Teams or Entra administrator to enable it.',
  },
  // AADSTS500212: the person's own organization's outbound cross-tenant access settings.
  cross_tenant_outbound: {
    instead:
      "Your organization's cross-tenant access settings do not let your account into the organization Governance Bot belongs to, so signing in again will not help. Close this window and ask your Teams or Entra administrator to allow that organization in your organization's outbound cross-tenant access settings.",
  },
  // AADSTS500213: the inbound cross-tenant access settings of the app's organization.
  cross_tenant_inbound: {
    instead:
      "The organization Governance Bot belongs to does not let accounts of your organization in (its inbound cross-tenant access settings), so signing in again will not help. Close this window and ask that organization's Teams or Entra administrator to allow your organization, or you, in its cross-tenant access settings.",
  },
  request_refused: 'requestRefused',
  unavailable: { again: 'The sign-in service could not be reached.' },
  no_identity: DID_NOT_COMPLETE,
  invalid_request: DID_NOT_COMPLETE,
  expired: { again: 'This sign-in took too long or was already used.' },
  wrong_user: { again: WRONG_USER_TEXT },
  signed_out: {
    again: 'You signed out of Governance Bot, or cancelled this sign-in, before it finished, so nothing was kept.',
  },
  store_unavailable: 'storeUnavailable',
};

/** The words for an `error` of Entra's authorize endpoint that the bot does not name itself. */
const AUTHORIZE_WORDS: Readonly<Record<string, Words>> = {
  access_denied: { again: 'Sign-in was cancelled or permission was not granted.' },
};

/**
 * Entra's authorize endpoint refusing the request itself: "a development error", an app "isn't
 * registered in Microsoft Entra ID or isn't added to the user's Microsoft Entra tenant", a
 * resource "not configured in the tenant" (the v2 code flow's "Error codes for authorization
 * endpoint errors"), or a scope it does not know (RFC 6749 §4.1.2.1). Every sign-in meets the
 * same refusal until the registration or the request is mended.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-authorization-endpoint-errors
 */
export const REQUEST_REFUSALS: ReadonlySet<string> = new Set([
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_resource',
  'invalid_scope',
]);

const REQUEST_REFUSED =
  "Microsoft Entra refused Governance Bot's sign-in request (the app's registration in your organization needs mending), so signing in again will not help. Close this window and tell your Teams or Entra administrator.";

/** Entra's authorize or token endpoint refused the request itself (not the person): an
 * administrator must mend it. */
export function requestRefused(outcome: EndOutcome): boolean {
  if (outcome.kind !== 'failure') return false;
  return (
    outcome.reason === 'request_refused' || (outcome.fromAuthorize === true && REQUEST_REFUSALS.has(outcome.reason))
  );
}

/** The end page's text for a failure. Only own keys are looked up: an authorize `error` such as
 * `constructor` is not a word of any map. `resetPage`: where an expired password is changed in the
 * bot's cloud (PASSWORD_RESET_PAGES); null where none is known, and none is named. */
export function failureText(outcome: EndFailureOutcome, resetPage: string | null): string {
  if (requestRefused(outcome)) return REQUEST_REFUSED;
  const words = Object.hasOwn(WORDS, outcome.reason)
    ? WORDS[outcome.reason as EndFailure]
    : Object.hasOwn(AUTHORIZE_WORDS, outcome.reason)
      ? AUTHORIZE_WORDS[outcome.reason]!
      : DID_NOT_COMPLETE;
  if (words === 'requestRefused') return REQUEST_REFUSED;
  if (words === 'storeUnavailable') return storeUnavailableText(outcome.reference);
  if (words === 'passwordExpired') return passwordExpiredText(resetPage);
  if ('instead' in words) return words.instead;
  return `${words.again} Close this window, go back to Teams and select Sign in again.`;
}

function passwordExpiredText(resetPage: string | null): string {
  return `Your password has expired, so Microsoft Entra ID did not sign you in. Change it ${
    resetPage ? `(at ${resetPage}, or as your organization tells you)` : 'as your organization tells you'
  }, then close this window and select Sign in again.`;
}

/** The bot's own state store failed (end.ts storeFailed): not Entra, not the person's sign-in. */
function storeUnavailableText(reference: string | undefined): string {
  return `Nothing is wrong with your sign-in: Governance Bot could not use its own storage just now. Close this window, go back to Teams and select Sign in again in a moment.${
    reference ? ` If it keeps happening, give your administrator this reference: ${reference}.` : ''
  }`;
}
