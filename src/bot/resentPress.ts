// A card button's press that Teams sends again after the user signed in on the bot's sign-in pages
// (the loginRequest's Sign in button): its `state` is the one-time value the end page handed to
// Teams. One home for every card's buttons: the notification cards' (cardClicks.ts) and the list
// cards' rows and page buttons (listTurns.ts).
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { SignInFlow } from '../auth/sso';
import type { Subject } from '../auth/tokenSubject';
import type { Target } from '../domain/operations';
import type { CommandTurns, ListPageAsked, PendingCommand } from './commandTurns';
import { invalidAuthCode, asked } from './invokeResponses';
import { pressEnded } from './resentToken';
import { ReplyCards, sendReply } from './replies';
import { VERIFY_PROBLEMS } from './signInInvokes';

export interface ResentDeps {
  readonly signIn: SignInFlow<PendingCommand>;
  readonly commands: Pick<CommandTurns, 'signInCard'>;
  readonly cards: Pick<ReplyCards, 'info'>;
  readonly logger: Logger;
}

/**
 * For a press (Action.Execute) that carries `state`: true once the state signs the presser in here
 * (used up, with the press remembered for it, so neither runs again), or the answer: 401
 * invalidAuthCode for an unknown, used, expired or other user's state (with the card a
 * verifyState gets, saying what to do), a loginRequest again when the token is on another instance.
 * Null when the press carries no state: the caller resolves the token as for any press.
 */
export async function resentWithState(
  deps: ResentDeps,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  user: Subject,
  what: Target | ListPageAsked,
): Promise<true | InvokeResponse | null> {
  const state = (ctx.activity.value as { state?: unknown } | undefined)?.state;
  if (via !== 'execute' || typeof state !== 'string' || state === '') return null;
  const verified = await deps.signIn.verify(state, user, true);
  // Its remembered press ran meanwhile (or was answered without running): this sending of it runs
  // nothing (resentPressRan asked first; this is the press that ended between).
  if (verified.kind !== 'problem' && verified.payload === null && verified.ran) {
    return pressEnded(deps, verified.answered ? 'answered' : 'ran');
  }
  if (verified.kind === 'signedIn') return true;
  deps.logger.info(
    { event: 'signin.click.state', outcome: verified.kind === 'problem' ? verified.problem : verified.kind },
    'a re-sent click could not use its sign-in state',
  );
  // An unknown, used, expired or other user's state is an error, not a new login request, and not
  // 412, which is for a failed SSO exchange: 401 invalidAuthCode, no value, the type Teams takes
  // for an incorrect state (invokeResponses.ts).
  // https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
  // That answer carries no words, so the presser gets the card a verifyState with such a state
  // gets (signInInvokes.ts). Nothing is run or remembered: the card's button stays, and pressing
  // it again asks for a fresh sign-in.
  if (verified.kind === 'problem') {
    const problem = VERIFY_PROBLEMS[verified.problem];
    try {
      await sendReply(ctx, deps.cards.info(problem.title, problem.text));
    } catch {
      // The answer still goes: Teams may ask to sign in again, and the button stays on the card.
      deps.logger.warn({ event: 'signin.click.state.notice', outcome: 'notSent' }, 'the state notice was not sent');
    }
    return invalidAuthCode();
  }
  // Signed in, the token on another instance: ask again; after consent or MFA, Teams' silent SSO
  // now succeeds on this instance too. For the press that still waits (verify let it be found
  // under `id` too): a new sign-in remembering it again would leave the first one waiting after
  // this press ran, for the periodic pass to end with a second audit line (contract §6), or for
  // its Sign in page to run it again. Nothing waits any more (expired, forgotten): a new one.
  if (verified.payload !== null) return asked(deps.signIn.oauthCard(verified.id));
  return asked(await deps.commands.signInCard(ctx, user.aadObjectId, what, undefined, 'button'));
}
