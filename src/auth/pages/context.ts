// What the sign-in pages share: the resolved settings and the collaborators the bot injects.

import type { Logger } from 'pino';
import type { SignInReason, SignInStates } from '../../state/signInStates';
import type { CodeRedeemer } from '../codeRedeemer';

/** The part of a pending sign-in (the bot's remembered command) that the pages need. */
export interface PendingSignInView {
  /** The user who must sign in: the activity's `from.aadObjectId`. */
  readonly aadObjectId: string;
  /** That user's tenant (the activity's `conversation.tenantId`), when known. */
  readonly tenantId?: string;
  /** Pre-fills the account on Entra's page (the user's UPN), when known. */
  readonly loginHint?: string;
  /** Why the silent SSO exchange failed, when the pending sign-in recorded it. */
  readonly reason?: SignInReason;
  /** The claims challenge of an MFA / Conditional Access failure (a JSON object as text). */
  readonly claims?: string;
  /** The user's sign-out mark, read before the pending sign-in was found (null: never signed out;
   * absent: sign outs are not shared). The start page binds it to the authorize state. */
  readonly signOutMark?: string | null;
}

/** Receives the signed-in user's token (to keep in memory only, e.g. the bot's token cache) and
 * the sign-out mark the start page found (absent when it found none to record); false: not kept
 * (the user signed out since the page opened). */
export type SignedInCallback = (
  aadObjectId: string,
  accessToken: string,
  expiresOn: number,
  pendingId: string,
  signOutMark?: string | null,
) => boolean | void | Promise<boolean | void>;

export interface PageContext {
  readonly clientId: string;
  readonly authorizeEndpoint: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** The SSO app's tenant when it is a GUID: every token must come from it. */
  readonly tenantGuid: string | null;
  readonly states: SignInStates;
  readonly redeemer: CodeRedeemer;
  readonly findPending: (pendingId: string) => Promise<PendingSignInView | null>;
  readonly onSignedIn: SignedInCallback;
  readonly logger: Logger;
  /** Where an expired password is changed in the bot's cloud (PASSWORD_RESET_PAGES); null: none known. */
  readonly passwordResetPage: string | null;
}
