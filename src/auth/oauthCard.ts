// The OAuth card a sign-in starts with: Teams tries SSO with its `tokenExchangeResource`; when that
// cannot succeed it shows the button, which opens the bot's own start page for this pending sign-in
// (never an empty URL).
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code

import type { SignInReason } from '../state/signInStates';

const OAUTH_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.oauth';

/**
 * What a Sign in card's words speak of: the start page's reason, or `device`, a device the
 * organization manages that Conditional Access asks for (AADSTS53000, 53001, 50097), whose page
 * asks Entra as for MFA (its claims challenge) but whose words name the device, as the problem
 * card does (signInWording.ts); or `password`, an expired password (AADSTS50055, 50144), whose
 * page asks for a fresh sign-in as for an expired one but whose words say to change it first.
 */
export type CardReason = SignInReason | 'device' | 'password';

/** The start page's reason for a card's: a managed device is asked for as MFA is, an expired
 * password as an expired sign-in is. */
export function pageReasonOfCard(reason: CardReason): SignInReason {
  return reason === 'device' ? 'mfa' : reason === 'password' ? 'expired' : reason;
}

const OAUTH_TEXT: Readonly<Record<Exclude<CardReason, 'password'> | 'none', string>> = {
  none: 'Sign in to Governance Bot so it can act as you in Microsoft Entra.',
  consent: 'Governance Bot needs your permission to act as you in Microsoft Entra. Select Sign in and accept.',
  mfa: 'Your organization asks for multi-factor authentication before Governance Bot can act as you. Select Sign in to complete it.',
  expired: 'Your sign-in to Governance Bot expired or was revoked. Select Sign in to sign in again.',
  device:
    "Your organization's Conditional Access policy lets Governance Bot act as you only from a device it manages (enrolled and compliant, or joined to its domain). Select Sign in from such a device, or ask your Teams or Entra administrator how to enroll this one.",
};

/** What a Sign in card says for this reason (none: a first sign-in). `resetPage`: where an expired
 * password is changed in the bot's cloud (PASSWORD_RESET_PAGES); null where none is known. */
export function signInWords(reason: CardReason | undefined, resetPage: string | null): string {
  if (reason === 'password')
    return `Your password has expired. Change it ${
      resetPage ? `at ${resetPage}, or ` : ''
    }as your organization tells you, then select Sign in to sign in again.`;
  return OAUTH_TEXT[reason ?? 'none'];
}

/** What a Sign in card says: its reason's words in the bot's cloud, or `fallback` said instead. */
export interface CardWords {
  readonly reason?: CardReason;
  readonly resetPage: string | null;
  readonly fallback?: string;
}

/**
 * `resourceUri`: the SSO app's Application ID URI, when known; `signInUrl`: its start page. With
 * a `fallback` (the card's words) the card carries no `tokenExchangeResource`: Teams then shows its
 * Sign in button instead of trying single sign-on again, which is the way on after Teams reported
 * that SSO failed on its side (signin/failure), where a new silent attempt fails the same way and
 * shows nothing. The words say why in the same message, so the failure adds one message, not two.
 */
export function oauthCard(
  id: string,
  resourceUri: string | null,
  signInUrl: string,
  { reason, resetPage, fallback }: CardWords,
): { contentType: string; content: object } {
  const tokenExchangeResource: Record<string, string> = { id };
  if (resourceUri) tokenExchangeResource.uri = resourceUri;
  return {
    contentType: OAUTH_CARD_CONTENT_TYPE,
    content: {
      text: fallback ?? signInWords(reason, resetPage),
      connectionName: '',
      ...(fallback === undefined ? { tokenExchangeResource } : {}),
      buttons: [{ type: 'signin', title: 'Sign in', value: signInUrl }],
    },
  };
}
