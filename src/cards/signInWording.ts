// What to do when Governance Bot could not get a token for the person, in the words of what they
// did: a typed command is sent again, a card's button is pressed again. A person who pressed a
// button has no command to send, and the card a click answers with has no Sign in button: a new
// press is what asks them to sign in (Universal Actions' loginRequest, or the Sign in card). A
// typed command's Sign in card stays in the chat, and its command runs by itself after the sign-in
// (Teams shows that card's button when the exchange is answered 412:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code);
// a command that got no Sign in card has only the command to send again.

import { SignInRequiredError } from '../domain/errors';

/**
 * What the person did that needed the token: typed a command whose Sign in card is in the chat,
 * waiting to run it (`command`); typed a command that got no Sign in card (`commandAlone`: the
 * silent sign-in failed for good, or Graph refused the token and nothing waits); or pressed a
 * card's button.
 */
export type AskedBy = 'command' | 'commandAlone' | 'button';

/** Reasons no new sign-in mends (the next step says so): their cards are titled "Sign-in refused",
 * not "Sign-in needed", which would ask for what will not help. */
const NOT_MENDED_BY_SIGN_IN: ReadonlySet<string> = new Set([
  'configuration',
  'notAssigned',
  'notInDirectory',
  'accountDisabled',
  'crossTenantOutbound',
  'crossTenantInbound',
  'blocked',
]);

/** The title of a card telling that no token could be got for the person. */
export function signInTitle(error: SignInRequiredError | null): string {
  return NOT_MENDED_BY_SIGN_IN.has(error?.reason ?? 'unknown') ? 'Sign-in refused' : 'Sign-in needed';
}

/** What to do next. `resetPage`: where an expired password is changed in the bot's cloud
 * (PASSWORD_RESET_PAGES, configClouds.ts); null where none is known, and no page is named. */
export function signInNext(error: SignInRequiredError | null, by: AskedBy, resetPage: string | null): string {
  const reason = error?.reason ?? 'unknown';
  switch (reason) {
    case 'consent':
      return by === 'button'
        ? 'Consent is missing for Governance Bot. Press the button again, select Sign in and accept, or ask an administrator to grant admin consent to the app for your organization.'
        : by === 'commandAlone'
          ? 'Consent is missing for Governance Bot. Send the command again, select Sign in and accept, or ask an administrator to grant admin consent to the app for your organization.'
          : 'Consent is missing for Governance Bot. Select Sign in and accept, or ask an administrator to grant admin consent to the app for your organization.';
    case 'mfa':
      return by === 'button'
        ? 'Your organization requires multi-factor authentication. Press the button again and complete it when you are asked to sign in.'
        : by === 'commandAlone'
          ? 'Your organization requires multi-factor authentication. Send the command again and complete it when you are asked to sign in.'
          : 'Your organization requires multi-factor authentication. Select Sign in on the sign-in card to complete it; your command then runs.';
    // An expired or revoked grant (AADSTS50173, AADSTS700082) needs a new interactive sign-in:
    // Teams' silent SSO hands over the same cached token, so only the Sign in page is sure to work.
    case 'expired':
      return by === 'button'
        ? 'Your sign-in expired or was revoked. Press the button again and select Sign in when you are asked to sign in.'
        : by === 'commandAlone'
          ? 'Your sign-in expired or was revoked. Send the command again to sign in afresh.'
          : 'Your sign-in expired or was revoked. Select Sign in on the sign-in card to sign in again, or send the command again for a new card.';
    case 'configuration':
      return "Microsoft Entra refused Governance Bot's own credentials or registration (its client secret may be wrong or expired, or the app or its permissions not set up in your organization), so signing in again will not help. Tell your Teams or Entra administrator.";
    // AADSTS50105: the app requires assignment and the person is not assigned; only an administrator
    // can assign them (or a group they are in) to it.
    case 'notAssigned':
      return 'Your organization allows only people assigned to Governance Bot to use it, and you are not assigned, so signing in again will not help. Ask your Teams or Entra administrator to assign you to the app.';
    // AADSTS50034, 50020: the account is not in the directory of the app's tenant (a guest not
    // added, an account of another organization); only an administrator there can add it.
    case 'notInDirectory':
      return "Your account is not in the Microsoft Entra directory of the organization Governance Bot belongs to (an account of another organization, or a guest, must be added to it first), so signing in again with it will not help. Ask that organization's Teams or Entra administrator to add you.";
    // AADSTS50057: an administrator disabled the account; only an administrator can enable it.
    case 'accountDisabled':
      return 'Your account is disabled in Microsoft Entra ID, so signing in again will not help. Ask your Teams or Entra administrator to enable it.';
    // AADSTS500212: the person's own organization's outbound cross-tenant access settings do not
    // allow the bot's organization; only an administrator of theirs changes them.
    case 'crossTenantOutbound':
      return "Your organization's cross-tenant access settings do not let your account into the organization Governance Bot belongs to, so signing in again will not help. Ask your Teams or Entra administrator to allow that organization in your organization's outbound cross-tenant access settings.";
    // AADSTS500213: the bot's organization's inbound cross-tenant access settings do not allow the
    // person's organization (or the person); only an administrator there changes them.
    case 'crossTenantInbound':
      return "The organization Governance Bot belongs to does not let accounts of your organization in (its inbound cross-tenant access settings), so signing in again will not help. Ask that organization's Teams or Entra administrator to allow your organization, or you, in its cross-tenant access settings.";
    // AADSTS53000, 53001, 50097: Conditional Access asks for a device the organization manages
    // (enrolled and compliant, or domain joined); a sign-in from such a device may pass.
    case 'device':
      return `Your organization's Conditional Access policy lets Governance Bot act as you only from a device it manages (enrolled and compliant, or joined to its domain), and the device you used does not meet it. ${
        by === 'button'
          ? 'Press the button again from such a device and sign in when you are asked'
          : by === 'commandAlone'
            ? 'Send the command again from such a device and sign in when you are asked'
            : 'Select Sign in on the sign-in card from such a device; your command then runs'
      }. Or ask your Teams or Entra administrator how to enroll this device.`;
    // AADSTS50055, 50144: the password (or the on-premises one) expired; a new sign-in passes only
    // once it is changed (at the cloud's self-service password reset, or as the organization has
    // people change it).
    case 'password':
      return `Your password has expired. Change it ${
        resetPage ? `(at ${resetPage}, or as your organization tells you)` : 'as your organization tells you'
      }, then ${
        by === 'button'
          ? 'press the button again and select Sign in when you are asked to sign in'
          : by === 'commandAlone'
            ? 'send the command again to sign in afresh'
            : 'select Sign in on the sign-in card to sign in again, or send the command again for a new card'
      }.`;
    // AADSTS50013: Entra does not take the Teams token for this app (its single sign-on setup), so
    // Teams cannot sign the person in by itself; the Sign in page needs no Teams token.
    case 'ssoRejected':
      return `Microsoft Entra ID did not accept the sign-in Teams gave Governance Bot for you, because of how the app's single sign-on is set up, so signing out of Teams will not change it. ${
        by === 'button'
          ? 'Press the button again and select Sign in when you are asked to sign in'
          : by === 'commandAlone'
            ? 'Send the command again and select Sign in on the sign-in card'
            : 'Select Sign in on the sign-in card to sign in on its page; your command then runs'
      }, and tell your Teams or Entra administrator.`;
    // AADSTS53003 without a claims challenge: no sign-in can meet the policy.
    case 'blocked':
      return `Your organization's Conditional Access policy blocked Governance Bot from acting as you, so signing in again will not help. Contact your administrator${
        error?.correlationId ? ` and give them the correlation id ${error.correlationId}` : ''
      }.`;
    // Entra could not be reached or cannot serve now: the command waits, as for any failed exchange.
    case 'unavailable':
      return by === 'button'
        ? 'Microsoft Entra ID could not be reached or is busy. Press the button again in a moment.'
        : by === 'commandAlone'
          ? 'Microsoft Entra ID could not be reached or is busy. Send the command again in a moment.'
          : 'Microsoft Entra ID could not be reached or is busy. In a moment, select Sign in on the sign-in card, and your command then runs, or send the command again.';
    // The bot's own state store failed (signInStoreError.ts): the person's sign-in is not at
    // fault. A typed command's Sign in card still remembers it (the store held it before it failed).
    case 'stateUnavailable':
      return `Nothing is wrong with your sign-in. ${storeAgain(error, by)}`;
    case 'unknown':
      return by === 'button'
        ? 'Press the button again. If it keeps failing, sign out of Teams and back in.'
        : by === 'commandAlone'
          ? 'Send the command again. If it keeps failing, sign out of Teams and back in.'
          : 'Select Sign in on the sign-in card, and your command then runs, or send the command again. If it keeps failing, sign out of Teams and back in.';
  }
}

/**
 * The words of a command or press the bot's own state store failed (signInStoreError.ts): its
 * storage failed, so nothing was changed, and it is done again in a moment. `graphRefused`: the
 * command went out once and Microsoft Graph refused the token it was sent with (401), which
 * changed nothing either; its token is dropped, so sending it again asks for a sign-in.
 */
export function storeDownWords(
  error: SignInRequiredError | null,
  by: AskedBy,
  graphRefused = false,
): { title: string; what: string; next: string } {
  const title = 'Storage unavailable';
  if (!graphRefused)
    return {
      title,
      what: 'Governance Bot could not use its own storage just now, so it did not act. Nothing was changed.',
      next: `Nothing is wrong with your sign-in. ${storeAgain(error, by)}`,
    };
  // Only a typed command is sent again to Graph after its 401 (commandTurns.ts run); its Sign in
  // card, when one was sent, still remembers it (`command`).
  const kept = by === 'command' ? 'to complete the new sign-in' : 'to keep the command for a new sign-in';
  return {
    title,
    what: `Microsoft Graph refused the sign-in this command was sent with (401), and then Governance Bot could not use its own storage ${kept}. Nothing was changed.`,
    next: by === 'commandAlone' ? storeAgain(error, by, ', and sign in when you are asked') : storeAgain(error, by),
  };
}

/** What to do after a store failure: again in a moment, in the words of what the person did, with
 * the reference to give an administrator when it keeps happening. */
function storeAgain(error: SignInRequiredError | null, by: AskedBy, then = ''): string {
  const reference = error?.correlationId
    ? ` If it keeps happening, give your administrator this reference: ${error.correlationId}.`
    : '';
  return by === 'button'
    ? `Press the button again in a moment${then}.${reference}`
    : by === 'commandAlone'
      ? `Send the command again in a moment${then}.${reference}`
      : `In a moment, select Sign in on the sign-in card, and your command then runs, or send the command again.${reference}`;
}
