// A command the bot's own state store failed before it could run (the user's sign-out mark not
// read, the command not remembered for its sign-in): the command ends there. It is answered with a
// card, as every command is, that says to try again in a moment (never that it was done, nor to
// sign in afresh), and an operation writes its one audit line, SIGN_IN_REQUIRED with the reference
// the person was given as its correlation id (contract §6). A typed command's answer is sent here
// (storeDown); a card's or list row's press (cardPressSignIn.ts, listPressSignIn.ts) is answered
// on its card, whose buttons stay, with the error storeFailed gives.

import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInStoreError } from '../auth/signInStoreError';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import type { SignInRequiredError } from '../domain/errors';
import type { ListName } from '../domain/myWork';
import type { GovernanceService } from '../domain/governance';
import type { Click } from '../domain/click';
import type { Target } from '../domain/operations';
import { StateUnavailableError } from '../state/port';
import type { ListPageAsked } from './pendingCommand';
import { ReplyCards, sendReply } from './replies';
import { namesRememberedPress, wordsFor } from './resentToken';

export interface StoreDown {
  readonly what: Target | ListName;
  /** What was thrown: anything but a StateUnavailableError is thrown again. */
  readonly e: unknown;
  /** Writes an operation's audit line. */
  readonly refused: ((aad: string, error: SignInRequiredError) => void) | undefined;
  /** The command's correlation id when it has one already (a first attempt's). */
  readonly correlationId?: string | undefined;
  /** That first attempt went out and Graph refused its token (401): the card does not say nothing
   * was sent. */
  readonly graphRefused?: boolean;
}

export async function storeDown(
  deps: { readonly cards: ReplyCards; readonly logger: Logger },
  ctx: TurnContext,
  aad: string,
  down: StoreDown,
): Promise<void> {
  const refused = down.refused;
  const line = refused ? (error: SignInRequiredError) => refused(aad, error) : undefined;
  const error = storeFailed(deps.logger, 'command.signIn.failed', down.e, line, down.correlationId);
  const target = typeof down.what === 'string' ? null : down.what;
  await sendReply(ctx, deps.cards.signInProblem(error, target, 'commandAlone', down.graphRefused ?? false));
}

/**
 * The store failure `e` as the sign-in error the person reads (its reference a fresh id, or the
 * command's `correlationId`), logged once under `event`, with its one audit line (`refused`, when
 * the command ends here). Anything but a StateUnavailableError is thrown again.
 */
export function storeFailed(
  logger: Logger,
  event: string,
  e: unknown,
  refused: ((error: SignInRequiredError) => void) | undefined,
  correlationId?: string,
): SignInStoreError {
  if (!(e instanceof StateUnavailableError)) throw e;
  const error = new SignInStoreError(e, correlationId);
  loggedStoreFailure(logger, event, error);
  refused?.(error);
  return error;
}

/**
 * A card's button press (a notification card's, or a list card's row or page button) the store
 * failed before it could act: the words for the presser's card, whose buttons stay since nothing
 * changed, and its one audit line (`refused`, for an operation), unless Teams re-sent it after a
 * loginRequest: the press that sign-in remembers still waits, and writes its line when it ends.
 */
export function pressStoreDown(
  deps: { readonly cards: Pick<ReplyCards, 'errorWords' | 'passwordResetPage'>; readonly logger: Logger },
  ctx: TurnContext,
  via: 'execute' | 'submit',
  what: Target | ListPageAsked,
  press: { readonly event: string; readonly e: unknown; readonly refused?: (error: SignInRequiredError) => void },
): { failed: string } {
  const line = namesRememberedPress(ctx, via) ? undefined : press.refused;
  return { failed: wordsFor(deps, storeFailed(deps.logger, press.event, press.e, line), what) };
}

/** The audit line of a press (a card's or a list row's) refused before it could act, with its
 * `via` and card; a store failure's carries the reference the presser was given, as a command's. */
export function pressRefused(
  governance: Pick<GovernanceService, 'recordRefusal'>,
  click: Click,
): (error: SignInRequiredError) => void {
  return (error) =>
    governance.recordRefusal(
      click.target,
      click.actor.aadObjectId,
      error,
      click.audit,
      click.answers,
      storeReference(error) ?? undefined,
    );
}

/** The reference of a sign-in the state store failed (signInStoreError.ts), null for others. */
export function storeReference(error: SignInRequiredError): string | null {
  return error instanceof SignInStoreError ? (error.correlationId ?? null) : null;
}
