// Whether the presser of a list card's button (a row's, or a page button that reads Graph) is
// signed in, and the sign-in it asks for when not, remembering the press to run after it. A press
// the bot's state store fails here ends as a typed command does (commandStoreDown.ts).

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow, pageReason } from '../auth/sso';
import type { Subject } from '../auth/tokenSubject';
import type { TokenResolution } from '../auth/signInResults';
import type { SignInRequiredError } from '../domain/errors';
import type { Target } from '../domain/operations';
import type { CommandTurns, ListPageAsked, PendingCommand } from './commandTurns';
import { pressStoreDown } from './commandStoreDown';
import { asked } from './invokeResponses';
import type { ReplyCards } from './replies';
import { resentWithState } from './resentPress';
import { endRefusedResent, resentWithToken } from './resentToken';

export interface PressSignInDeps {
  readonly signIn: SignInFlow<PendingCommand>;
  readonly commands: Pick<CommandTurns, 'signInCard' | 'askToSignIn'>;
  readonly cards: Pick<ReplyCards, 'info' | 'errorWords' | 'passwordResetPage'>;
  readonly logger: Logger;
}

/** How a press that did not sign in ends here. */
export interface PressEnds {
  /** Writes an operation's (a row's) audit line when the press ends without acting. */
  readonly refused?: (error: SignInRequiredError) => void;
  /** The presser's card when the state store failed, saying why nothing changed (`text`). */
  readonly storeDown: (text: string) => Promise<InvokeResponse | undefined>;
}

/**
 * True when the presser holds a token, or Teams re-sent the press with their SSO token (Universal
 * Actions: the invoke comes again with `authentication`; resentToken.ts, which answers a token
 * that fails 412 and `refused` hears when no sign-in remembers the press) or with the state of the
 * bot's sign-in pages (resentPress.ts, which answers a state it cannot use); as for any card's
 * button. Otherwise the sign-in, remembering `what` (a row's operation, or the page asked for) to
 * run after it: a loginRequest for Action.Execute, the Sign in card for Action.Submit. When the
 * store fails (the sign-out mark not read, the press not remembered), the press ends: its audit
 * line (`refused`) and the card `storeDown` answers with.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
 */
export async function pressSignedIn(
  deps: PressSignInDeps,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  user: Subject,
  what: Target | ListPageAsked,
  ends: PressEnds,
): Promise<true | InvokeResponse | undefined> {
  const { signIn, commands } = deps;
  const resent = await resentWithState(deps, ctx, via, user, what);
  if (resent !== null) return resent;
  const { refused } = ends;
  const storeDown = (e: unknown) =>
    ends.storeDown(pressStoreDown(deps, ctx, via, what, { event: 'list.signIn.failed', e, refused }).failed);
  let token: TokenResolution;
  try {
    // Reads the presser's sign-out mark in the shared state when a token is kept here.
    token = await signIn.tokenFor(user);
  } catch (e) {
    return storeDown(e);
  }
  // Teams re-sent the press with the SSO token after our login request (resentToken.ts): its
  // remembered press is taken, for this press runs it; a token that fails is answered 412.
  const sso = await resentWithToken(deps, ctx, via, user, what, token.kind === 'token', 'list.signIn.failed', refused);
  if (sso !== null) return sso;
  if (token.kind === 'token') return true;
  // As any card button: the press is remembered and runs after sign-in.
  const failure = token.kind === 'failed' && pageReason(token.error) ? token.error : undefined;
  try {
    if (via === 'execute') return asked(await commands.signInCard(ctx, user.aadObjectId, what, failure, 'button'));
    await commands.askToSignIn(ctx, user.aadObjectId, what, failure, 'button');
    return undefined;
  } catch (e) {
    // The press could not be remembered for after the sign-in: it ends here.
    return storeDown(e);
  }
}

/**
 * A page button's press answered without signing in (refused, or its page shown from rows already
 * read): when Teams re-sent it with the SSO token, the page its loginRequest remembered (`page`,
 * null when the press names none) ends with this answer (resentToken.ts, endRefusedResent).
 */
export async function endResentPage(
  deps: Pick<PressSignInDeps, 'signIn' | 'logger'>,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  user: Subject | null,
  page: ListPageAsked | null,
): Promise<void> {
  if (user && page) await endRefusedResent(deps, ctx, via, user, page, 'list.signIn.failed');
}
